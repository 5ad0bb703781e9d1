package io.meshsdk.examples.quickstart;

import static io.meshsdk.testkit.MeshAssertions.assertThat;

import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.TestMesh;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link CheckoutTest} on the real broker: only the annotation differs. */
// README: embedded-test
@MeshTest(broker = BrokerMode.EMBEDDED)
// README: end
class CheckoutEmbeddedIT {
  @Test
  void publishesTheOrder(TestMesh mesh) {
    mesh.producer(OrderPlaced.class)
        .send(new OrderPlaced("o-1", "ada@example.com", 4200, "EUR", Instant.now()))
        .join();

    assertThat(mesh.published(OrderPlaced.class))
        .hasSize(1)
        .first()
        .hasKey("o-1")
        .hasType("orders.order-placed.v1");
  }
}
