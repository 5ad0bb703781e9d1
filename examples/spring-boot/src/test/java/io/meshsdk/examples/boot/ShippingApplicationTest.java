package io.meshsdk.examples.boot;

import static io.meshsdk.testkit.MeshAssertions.assertThat;

import io.meshsdk.producer.MeshProducer;
import io.meshsdk.spring.test.AutoConfigureTestMesh;
import io.meshsdk.testkit.TestMesh;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

/** The shipping service, its Kafka and registry replaced by the testkit's in-memory ones. */
@SpringBootTest
@AutoConfigureTestMesh
class ShippingApplicationTest {
  @Autowired TestMesh mesh;
  @Autowired MeshProducer<OrderPlaced> orders;
  @Autowired HealthIndicator meshHealthIndicator;

  @Test
  void requestsAShipmentForEachOrderNamingTheOrderAsParent() {
    orders.send(new OrderPlaced("o-1", "ada@example.com", 4200, "EUR", Instant.now())).join();

    assertThat(mesh.published(ShipmentRequested.class))
        .hasSize(1)
        .first()
        .hasKey("o-1")
        .hasValue(new ShipmentRequested("o-1", "s-o-1", "dhl"))
        .hasParent(mesh.published(OrderPlaced.class).now().get(0));
  }

  @Test
  void deadLettersAnOrderNoCarrierServes() {
    orders.send(new OrderPlaced("o-2", "bob@example.com", 100, "JPY", Instant.now())).join();

    assertThat(mesh.deadLetters("shipping")).hasSize(1);
    // dead-lettered after its last attempt: no shipment can follow (the context, and the shipment
    // of o-1, are shared by the tests of this class)
    assertThat(mesh.published(ShipmentRequested.class).now())
        .noneMatch(e -> e.value().orderId().equals("o-2"));
  }

  @Test
  void theServiceIsHealthy() {
    assertThat(meshHealthIndicator.health().getStatus()).isEqualTo(Status.UP);
  }
}
