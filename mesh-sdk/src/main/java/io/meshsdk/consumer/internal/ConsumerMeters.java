package io.meshsdk.consumer.internal;

import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Meters;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The meters of one consumer, registered once. */
final class ConsumerMeters {
  final Timer handled;
  final Timer retried;
  final Timer deadLettered;
  final Timer skipped;
  final Timer failed;
  private final Timer freshness;
  private final AtomicLong lag = new AtomicLong();
  private final Map<String, Counter> dlqByReason = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Tags tags;

  ConsumerMeters(
      MeterRegistry registry, String application, String product, String version, String group) {
    this.registry = registry;
    this.tags =
        Tags.of(
            MeshMetrics.TAG_APPLICATION, application,
            MeshMetrics.TAG_PRODUCT, product,
            MeshMetrics.TAG_VERSION, version,
            MeshMetrics.TAG_GROUP, group);
    this.handled = Meters.timer(registry, MeshMetrics.CONSUME, tags, "success");
    this.retried = Meters.timer(registry, MeshMetrics.CONSUME, tags, "retry");
    this.deadLettered = Meters.timer(registry, MeshMetrics.CONSUME, tags, "dead_letter");
    this.skipped = Meters.timer(registry, MeshMetrics.CONSUME, tags, "skip");
    this.failed = Meters.timer(registry, MeshMetrics.CONSUME, tags, "failure");
    this.freshness = Timer.builder(MeshMetrics.CONSUME_FRESHNESS).tags(tags).register(registry);
    Gauge.builder(MeshMetrics.CONSUME_LAG, lag, AtomicLong::get).tags(tags).register(registry);
  }

  /** Now minus event time, for the freshness objective; negative ages (clock skew) count as 0. */
  void freshness(Instant eventTime) {
    long age = Math.max(0, System.currentTimeMillis() - eventTime.toEpochMilli());
    Telemetry.safely(() -> freshness.record(age, TimeUnit.MILLISECONDS));
  }

  void lag(long records) {
    lag.set(records);
  }

  void deadLettered(String reason) {
    Telemetry.safely(
        () ->
            dlqByReason
                .computeIfAbsent(
                    reason,
                    r ->
                        Counter.builder(MeshMetrics.DLQ)
                            .tags(tags)
                            .tag(MeshMetrics.TAG_REASON, r)
                            .register(registry))
                .increment());
  }
}
