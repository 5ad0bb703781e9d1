package io.meshsdk.examples.orders;

import io.meshsdk.Mesh;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The orders domain: publishes {@link OrderPlaced} (1.1), and from the 2.0 release {@link
 * OrderPlacedV2} with a translation to v1 during the migration period.
 *
 * <p>Thread-safety: thread-safe after {@link #releaseV2()}; the mesh owns the producers.
 */
public final class OrdersService {
  private final Mesh mesh;
  private final MeshProducer<OrderPlaced> v1;
  private volatile @Nullable DualProducer<OrderPlacedV2> v2;

  /**
   * Starts publishing 1.1.
   *
   * @param mesh the mesh (with {@link OrderMigrations#ALL} registered, for 2.0)
   */
  public OrdersService(Mesh mesh) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.v1 = mesh.producer(OrderPlaced.class);
  }

  /**
   * Publishes an order as 1.1 (before the 2.0 release).
   *
   * @param order the order; checked against the contract first
   * @return the send result
   */
  public CompletableFuture<SendResult> place(OrderPlaced order) {
    return v1.send(order);
  }

  /**
   * Releases 2.0: later orders go to v2 and, translated, to v1 until v1's sunset.
   *
   * @return the dual producer
   */
  public DualProducer<OrderPlacedV2> releaseV2() {
    DualProducer<OrderPlacedV2> p =
        mesh.dualProducer(OrderPlacedV2.class).alsoAs(OrderPlaced.class).build();
    this.v2 = p;
    return p;
  }

  /**
   * Publishes an order as 2.0 (and its translation to 1.1).
   *
   * @param order the order
   * @return the result of the v2 record
   * @throws IllegalStateException before {@link #releaseV2()}
   */
  public CompletableFuture<SendResult> place(OrderPlacedV2 order) {
    DualProducer<OrderPlacedV2> p = v2;
    if (p == null) {
      throw new IllegalStateException("2.0 is not released yet: call releaseV2() first");
    }
    return p.send(order);
  }
}
