package io.meshsdk.examples.shipping;

import static io.meshsdk.testkit.MeshAssertions.assertThat;

import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.TestMesh;
import java.time.Instant;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Shipping on the real broker: the status product lives on a compacted topic. */
@MeshTest(broker = BrokerMode.EMBEDDED, timeoutMillis = 30_000)
class ShippingServiceIT {
  @Test
  void shipsAnOrderAndKeepsTheStatusOnACompactedTopic(TestMesh mesh) throws Exception {
    new ShippingService(mesh, new Carriers());
    mesh.producer(OrderPlaced.class)
        .send(new OrderPlaced("o-1", "ada@example.com", 100, "EUR", Instant.now(), null))
        .join();

    assertThat(mesh.published(ShipmentRequested.class)).hasSize(1).first().hasKey("o-1");
    assertThat(mesh.published(ShipmentStatus.class)).hasSize(1);
    try (Admin admin =
        Admin.create(java.util.Map.of("bootstrap.servers", mesh.bootstrapServers()))) {
      ConfigResource topic =
          new ConfigResource(ConfigResource.Type.TOPIC, mesh.topicOf(ShipmentStatus.class));
      String policy =
          admin
              .describeConfigs(java.util.List.of(topic))
              .all()
              .get()
              .get(topic)
              .get("cleanup.policy")
              .value();
      assertThat(policy).isEqualTo("compact");
    }
  }
}
