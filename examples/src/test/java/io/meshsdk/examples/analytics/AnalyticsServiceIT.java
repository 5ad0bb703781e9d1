package io.meshsdk.examples.analytics;

import static io.meshsdk.testkit.MeshAssertions.assertThatMetrics;

import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.TestMesh;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Analytics' historical replay on the real broker. */
@MeshTest(broker = BrokerMode.EMBEDDED, timeoutMillis = 30_000)
class AnalyticsServiceIT {
  @Test
  void replaysTheWholeHistory(TestMesh mesh) {
    var orders = mesh.producer(OrderPlaced.class);
    for (int i = 0; i < 5; i++) {
      orders
          .send(new OrderPlaced("o-" + i, "a@example.com", 10, "EUR", Instant.now(), null))
          .join();
    }
    AnalyticsService analytics = new AnalyticsService(mesh);

    assertThatMetrics(mesh)
        .hasCount(MeshMetrics.CONSUME, 5, "group", AnalyticsService.GROUP, "outcome", "success");
    org.assertj.core.api.Assertions.assertThat(analytics.revenue()).containsEntry("EUR", 50L);
  }
}
