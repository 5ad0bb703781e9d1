package io.meshsdk.examples.shipping;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.producer.MeshProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The shipping domain: reads {@code OrderPlaced} (its 1.1 class, on the v1 topic, so the 2.0
 * release does not force it to change), requests a shipment for each order and keeps the latest
 * status per order. Both outputs name the order event as their parent automatically. An order whose
 * zone no carrier serves fails three times and is dead-lettered; after adding the carrier,
 * replaying the dead letters ships it.
 *
 * <p>Thread-safety: thread-safe; the mesh owns the consumer and producers.
 */
public final class ShippingService {
  /** The consumer group. */
  public static final String GROUP = "shipping";

  private final MeshConsumer<OrderPlaced> consumer;

  /**
   * Starts consuming.
   *
   * @param mesh the mesh
   * @param carriers the carrier table
   */
  public ShippingService(Mesh mesh, Carriers carriers) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(carriers, "carriers");
    MeshProducer<ShipmentRequested> shipments = mesh.producer(ShipmentRequested.class);
    MeshProducer<ShipmentStatus> statuses = mesh.producer(ShipmentStatus.class);
    this.consumer =
        mesh.consumer(OrderPlaced.class)
            .group(GROUP)
            .maxAttempts(3)
            .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
            .handle(
                event -> {
                  OrderPlaced order = event.value();
                  String carrier = carriers.forCurrency(order.currency());
                  shipments
                      .send(new ShipmentRequested(order.orderId(), "s-" + order.orderId(), carrier))
                      .join();
                  statuses
                      .send(
                          new ShipmentStatus(
                              order.orderId(), ShipmentStatus.Status.REQUESTED, Instant.now()))
                      .join();
                })
            .start();
  }

  /**
   * The running consumer.
   *
   * @return the consumer
   */
  public MeshConsumer<OrderPlaced> consumer() {
    return consumer;
  }
}
