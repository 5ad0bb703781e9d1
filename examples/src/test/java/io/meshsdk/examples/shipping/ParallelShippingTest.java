package io.meshsdk.examples.shipping;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.TestMesh;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The parallel consumers of the runtime guide, in unit tests. */
@MeshTest
class ParallelShippingTest {

  @Test
  void theFraudCheckScoresEveryOrderAndEachCustomersInOrder(TestMesh mesh) {
    Map<String, ConcurrentLinkedQueue<Long>> scored = new ConcurrentHashMap<>();
    ParallelShipping.fraudCheck(
        mesh,
        order ->
            scored
                .computeIfAbsent(order.orderId(), k -> new ConcurrentLinkedQueue<>())
                .add(order.amountCents()));
    for (int i = 1; i <= 30; i++) {
      mesh.producer(OrderPlaced.class)
          .send(
              new OrderPlaced(
                  "o-" + (i % 3), "ada@example.com", i, "EUR", java.time.Instant.now(), "web"))
          .join();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> scored.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum() == 30);
    assertThat(scored).hasSize(3);
    scored.values().forEach(amounts -> assertThat(amounts.stream().toList()).isSorted());
  }

  @Test
  void labelPrintersNeedABrokerWithShareGroups(TestMesh mesh) {
    assertThatThrownBy(() -> ParallelShipping.labelPrinters(mesh, shipment -> {}))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("embedded broker");
  }
}
