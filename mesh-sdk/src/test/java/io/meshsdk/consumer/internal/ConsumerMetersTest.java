package io.meshsdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

class ConsumerMetersTest {

  @Test
  void theLagOfSeveralConsumersOfOneGroupAddsUpAndLeavesWithThem() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Telemetry telemetry = new Telemetry(registry, OpenTelemetry.noop(), true);
    ConsumerMeters first =
        new ConsumerMeters(telemetry, "app", "orders.order-placed", "1.0", "shipping");
    ConsumerMeters second =
        new ConsumerMeters(telemetry, "app", "orders.order-placed", "1.0", "shipping");
    ConsumerMeters other =
        new ConsumerMeters(telemetry, "app", "orders.order-placed", "1.0", "billing");

    first.lag(10);
    second.lag(5);
    other.lag(7);

    assertThat(registry.get(MeshMetrics.CONSUME_LAG).tag("group", "shipping").gauge().value())
        .isEqualTo(15);
    assertThat(registry.get(MeshMetrics.CONSUME_LAG).tag("group", "billing").gauge().value())
        .isEqualTo(7);
    first.close();
    assertThat(registry.get(MeshMetrics.CONSUME_LAG).tag("group", "shipping").gauge().value())
        .isEqualTo(5);
  }

  @Test
  void theLastConsumerWithTheSameTagsToCloseRemovesItsMetersFromTheRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Telemetry telemetry = new Telemetry(registry, OpenTelemetry.noop(), true);
    ConsumerMeters first =
        new ConsumerMeters(telemetry, "app", "orders.order-placed", "1.0", "shipping");
    ConsumerMeters second =
        new ConsumerMeters(telemetry, "app", "orders.order-placed", "1.0", "shipping");

    first.close();
    assertThat(registry.find(MeshMetrics.CONSUME).tag("group", "shipping").timers()).isNotEmpty();
    second.close();
    assertThat(registry.find(MeshMetrics.CONSUME).tag("group", "shipping").timers()).isEmpty();
    assertThat(registry.find(MeshMetrics.CONSUME_FRESHNESS).timers()).isEmpty();
  }
}
