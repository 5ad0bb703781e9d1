package io.meshsdk.examples.shipping;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMetrics;

import io.meshsdk.consumer.FailedEvent;
import io.meshsdk.consumer.FailureReason;
import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipping domain in unit tests. */
@MeshTest
class ShippingServiceTest {

  static OrderPlaced order(String id, String currency) {
    return new OrderPlaced(id, "ada@example.com", 4200, currency, Instant.now(), "web");
  }

  @Test
  void requestsAShipmentNamingTheOrderAsParentAndRecordsItsStatus(TestMesh mesh) {
    new ShippingService(mesh, new Carriers());
    mesh.producer(OrderPlaced.class).send(order("o-1", "USD")).join();

    PublishedEvent<OrderPlaced> placed = mesh.published(OrderPlaced.class).now().get(0);
    assertThat(mesh.published(ShipmentRequested.class))
        .hasSize(1)
        .first()
        .hasKey("o-1")
        .hasValue(new ShipmentRequested("o-1", "s-o-1", "ups"))
        .hasParent(placed);
    assertThat(mesh.published(ShipmentStatus.class))
        .hasSize(1)
        .first()
        .hasKey("o-1")
        .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(ShipmentStatus.Status.REQUESTED))
        .hasParent(placed);
  }

  @Test
  void anOrderNoCarrierServesIsDeadLetteredAndShippedAfterTheFixAndAReplay(TestMesh mesh) {
    Carriers carriers = new Carriers();
    new ShippingService(mesh, carriers);
    mesh.producer(OrderPlaced.class).send(order("o-7", "JPY")).join();

    assertThat(mesh.deadLetters(ShippingService.GROUP))
        .hasSize(1)
        .first()
        .hasReason("handler")
        .hasAttempts(3)
        .hasMessageContaining("no carrier serves the JPY zone");
    assertThat(mesh.published(ShipmentRequested.class)).isEmpty();

    carriers.add("JPY", "yamato");
    assertThat(
            mesh.deadLetters(OrderPlaced.class, ShippingService.GROUP)
                .replay(Duration.ofSeconds(10)))
        .isEqualTo(1);
    assertThat(mesh.published(ShipmentRequested.class))
        .hasSize(1)
        .first()
        .hasValue(new ShipmentRequested("o-7", "s-o-7", "yamato"));
    assertThatMetrics(mesh).hasCount(MeshMetrics.DLQ, 1, "group", ShippingService.GROUP);
  }

  @Test
  void deadLettersCanBeReplayedThroughCodeInsteadOfTheTopic(TestMesh mesh) {
    new ShippingService(mesh, new Carriers());
    mesh.producer(OrderPlaced.class).send(order("o-8", "JPY")).join();
    assertThat(mesh.deadLetters(ShippingService.GROUP)).hasSize(1);

    List<FailedEvent<OrderPlaced>> failed = new ArrayList<>();
    assertThat(
            mesh.deadLetters(OrderPlaced.class, ShippingService.GROUP)
                .replay(failed::add, Duration.ofSeconds(10)))
        .isEqualTo(1);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).value())
        .hasValueSatisfying(o -> assertThat(o.orderId()).isEqualTo("o-8"));
    assertThat(failed.get(0).reason()).isEqualTo("handler");
    assertThat(failed.get(0).failureReason()).contains(FailureReason.HANDLER);
    assertThat(failed.get(0).message()).hasValueSatisfying(m -> assertThat(m).contains("JPY"));
    // nothing went back to the topic: the order was published once, and nothing shipped
    assertThat(mesh.published(OrderPlaced.class).now()).hasSize(1);
    assertThat(mesh.published(ShipmentRequested.class)).isEmpty();
    assertThat(
            mesh.deadLetters(OrderPlaced.class, ShippingService.GROUP)
                .replay(Duration.ofSeconds(10)))
        .isZero();
  }
}
