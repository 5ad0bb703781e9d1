package io.meshsdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ConsumerMetersTest {

  @Test
  void theLagOfSeveralConsumersOfOneGroupAddsUpAndLeavesWithThem() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerMeters first =
        new ConsumerMeters(registry, "app", "orders.order-placed", "1.0", "shipping");
    ConsumerMeters second =
        new ConsumerMeters(registry, "app", "orders.order-placed", "1.0", "shipping");
    ConsumerMeters other =
        new ConsumerMeters(registry, "app", "orders.order-placed", "1.0", "billing");

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
}
