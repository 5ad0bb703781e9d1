package io.meshsdk.examples.orders;

import static io.meshsdk.testkit.MeshAssertions.assertThat;

import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshExtension;
import io.meshsdk.testkit.TestMesh;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Orders' dual publishing on the real broker. */
class OrdersServiceIT {
  @RegisterExtension
  static final MeshExtension MESH =
      MeshExtension.builder()
          .mode(BrokerMode.EMBEDDED)
          .migrations(OrderMigrations.ALL)
          .timeout(java.time.Duration.ofSeconds(30))
          .build();

  @Test
  void publishesVersion2AndItsTranslation(TestMesh mesh) {
    OrdersService orders = new OrdersService(mesh);
    orders.releaseV2();
    orders
        .place(
            new OrderPlacedV2(
                "o-1", "ada@example.com", new Money(500, "EUR"), Instant.now(), "web", null))
        .join();

    assertThat(mesh.published(OrderPlacedV2.class)).hasSize(1).first().hasKey("o-1");
    assertThat(mesh.published(OrderPlaced.class)).hasSize(1).first().hasKey("o-1");
  }
}
