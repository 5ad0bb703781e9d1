package io.meshsdk.examples.quickstart;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.SchemaRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The README's runtime quick start: one mesh, a producer of {@link OrderPlaced} and a consumer in
 * the group {@code shipping}.
 */
public final class RuntimeQuickStart {
  private RuntimeQuickStart() {}

  /**
   * Produces one order and starts a consumer that collects what it reads.
   *
   * @param bootstrapServers the Kafka cluster
   * @param registry the schema registry
   * @param received where the consumer puts the events it handles
   * @return the mesh, to close when done
   * @throws Exception if the send fails
   */
  public static Mesh run(
      String bootstrapServers, SchemaRegistry registry, List<ConsumedEvent<OrderPlaced>> received)
      throws Exception {
    // README: runtime
    Mesh mesh =
        Mesh.builder()
            .application("checkout-service")
            .bootstrapServers(bootstrapServers)
            .schemaRegistry(registry)
            .build();

    MeshProducer<OrderPlaced> orders = mesh.producer(OrderPlaced.class);
    SendResult sent =
        orders
            .send(new OrderPlaced("o-1", "ada@example.com", 4200, "EUR", Instant.now()))
            .get(30, TimeUnit.SECONDS);

    MeshConsumer<OrderPlaced> shipping =
        mesh.consumer(OrderPlaced.class)
            .group("shipping")
            .handle(event -> received.add(event)) // event.value(), event.lineage(), event.key() ...
            .start();
    // README: end
    if (sent.offset() < 0 || !shipping.isRunning()) {
      throw new IllegalStateException("quick start did not start");
    }
    return mesh;
  }

  static List<ConsumedEvent<OrderPlaced>> newInbox() {
    return new CopyOnWriteArrayList<>();
  }
}
