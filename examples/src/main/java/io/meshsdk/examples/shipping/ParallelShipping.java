package io.meshsdk.examples.shipping;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.examples.orders.OrderPlaced;

/**
 * Consuming beyond the partition count, as {@code docs/runtime.md} shows it: a key-ordered parallel
 * consumer for a handler that waits on I/O, and a share group of label printers. The regions are
 * quoted in the document (checked by {@code ReadmeSnippetsTest}).
 */
public final class ParallelShipping {
  private ParallelShipping() {}

  /** Scores an order for fraud: a call to another service; thread-safe. */
  @FunctionalInterface
  public interface FraudScoring {
    /**
     * Scores.
     *
     * @param order the order
     */
    void score(OrderPlaced order);
  }

  /** Prints a shipment's label: a call to a printer; thread-safe. */
  @FunctionalInterface
  public interface LabelPrinter {
    /**
     * Prints.
     *
     * @param shipment the shipment
     */
    void print(ShipmentRequested shipment);
  }

  /**
   * Orders scored 64 at a time, each customer's orders in order.
   *
   * @param mesh the mesh
   * @param scoring the scoring service
   * @return the running consumer, closed with the mesh
   */
  public static MeshConsumer<OrderPlaced> fraudCheck(Mesh mesh, FraudScoring scoring) {
    // docs/runtime.md: parallel
    MeshConsumer<OrderPlaced> fraudCheck =
        mesh.consumer(OrderPlaced.class)
            .group("fraud-check")
            .parallel(
                MeshConsumer.Ordering.KEY, 64) // 64 worker threads; records of one key in order
            .maxInFlight(1_000) // default 4 × 64 = 256
            .handle(event -> scoring.score(event.value())) // must be thread-safe
            .start();
    // docs/runtime.md: end
    return fraudCheck;
  }

  /**
   * Labels printed by 16 members of a share group, however many partitions the product has.
   *
   * @param mesh the mesh, on a broker with share groups
   * @param printer the printer
   * @return the running share consumer, closed with the mesh
   */
  public static MeshShareConsumer<ShipmentRequested> labelPrinters(
      Mesh mesh, LabelPrinter printer) {
    // docs/runtime.md: share-group
    MeshShareConsumer<ShipmentRequested> printers =
        mesh.shareConsumer(ShipmentRequested.class)
            .group("label-printers")
            .concurrency(16) // 16 members in this JVM, one thread each
            .maxAttempts(3) // default; capped one below the group's delivery limit
            .nonRetriable(IllegalArgumentException.class)
            .startFrom(StartPosition.earliest()) // default for a new group: see below
            .handle(event -> printer.print(event.value()))
            .start();
    // docs/runtime.md: end
    return printers;
  }
}
