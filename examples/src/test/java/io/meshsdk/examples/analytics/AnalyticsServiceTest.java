package io.meshsdk.examples.analytics;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMetrics;

import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.TestMesh;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Analytics in unit tests: a late starter replays the whole history with its own reader. */
@MeshTest
class AnalyticsServiceTest {

  @Test
  void replaysHistoryWrittenByOlderAndNewerMinorsWithItsOwnReader(TestMesh mesh) {
    // written before analytics existed: 1.0 (the quick start's class) and 1.1
    mesh.producer(io.meshsdk.examples.quickstart.OrderPlaced.class)
        .send(
            new io.meshsdk.examples.quickstart.OrderPlaced(
                "o-1", "a@example.com", 100, "EUR", Instant.now()))
        .join();
    mesh.producer(OrderPlaced.class)
        .send(new OrderPlaced("o-2", "b@example.com", 250, "USD", Instant.now(), "app"))
        .join();

    AnalyticsService analytics = new AnalyticsService(mesh);

    assertThatMetrics(mesh)
        .hasCount(MeshMetrics.CONSUME, 2, "group", AnalyticsService.GROUP, "outcome", "success");
    assertThat(analytics.orders()).isEqualTo(2);
    assertThat(analytics.revenue()).isEqualTo(Map.of("EUR", 100L, "USD", 250L));
    assertThat(analytics.maxFreshness()).isPositive();
  }

  @Test
  void aReplayedCopyOfAnEventCountsOnce(TestMesh mesh) {
    AnalyticsService analytics = new AnalyticsService(mesh);
    var orders = mesh.producer(OrderPlaced.class);
    orders.send(new OrderPlaced("o-1", "a@example.com", 100, "EUR", Instant.now(), null)).join();
    // what a dead-letter replay of another group does: the same record, same ce_id, again
    var original = mesh.records(mesh.topicOf(OrderPlaced.class)).get(0);
    var raw =
        new org.apache.kafka.clients.producer.ProducerRecord<>(
            original.topic(), null, original.key(), original.value(), original.headers());
    try (var producer = mesh.inMemoryKafka().orElseThrow().producer(Map.of())) {
      producer.send(raw).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    assertThatMetrics(mesh)
        .hasCount(MeshMetrics.CONSUME, 2, "group", AnalyticsService.GROUP, "outcome", "success");
    assertThat(analytics.orders()).isEqualTo(1);
    assertThat(analytics.revenue()).containsEntry("EUR", 100L);
  }
}
