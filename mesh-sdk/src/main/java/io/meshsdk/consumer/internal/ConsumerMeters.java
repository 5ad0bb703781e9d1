package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.serde.SchemaIdSource;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The meters of one consumer, registered once. */
final class ConsumerMeters {
  final Timer handled;
  final Timer retried;
  final Timer deadLettered;
  final Timer skipped;
  final Timer failed;
  private final Timer freshness;

  /**
   * One lag gauge per registry and tag set, summing every live consumer with those tags: several
   * consumers of one group in one JVM (a consumer is one thread) must add up, and Micrometer keeps
   * only the first gauge registered under an id.
   */
  private static final Map<MeterRegistry, Map<Tags, Map<ConsumerMeters, Long>>> LAG =
      new java.util.WeakHashMap<>();

  private final Map<ConsumerMeters, Long> lagParts;
  private final Map<String, Counter> dlqByReason = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Tags tags;
  private final String product;
  private final String version;
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerMeters.class);
  private final Counter deprecatedCounter;
  private final Counter registryOutages;
  private final Counter keyOutages;

  private final Telemetry telemetry;

  ConsumerMeters(
      Telemetry telemetry, String application, String product, String version, String group) {
    this.telemetry = telemetry;
    MeterRegistry registry = telemetry.meters();
    this.registry = registry;
    this.product = product;
    this.version = version;
    this.deprecatedCounter =
        telemetry.retain(
            () ->
                Counter.builder(MeshMetrics.DEPRECATED_CONSUMPTION)
                    .tags(
                        Tags.of(
                            MeshMetrics.TAG_APPLICATION, application,
                            MeshMetrics.TAG_PRODUCT, product,
                            MeshMetrics.TAG_MAJOR, version.substring(0, version.indexOf('.')),
                            MeshMetrics.TAG_GROUP, group))
                    .register(registry));
    this.tags =
        Tags.of(
            MeshMetrics.TAG_APPLICATION, application,
            MeshMetrics.TAG_PRODUCT, product,
            MeshMetrics.TAG_VERSION, version,
            MeshMetrics.TAG_GROUP, group);
    this.handled =
        telemetry.retain(() -> Meters.timer(registry, MeshMetrics.CONSUME, tags, "success"));
    this.retried =
        telemetry.retain(() -> Meters.timer(registry, MeshMetrics.CONSUME, tags, "retry"));
    this.deadLettered =
        telemetry.retain(() -> Meters.timer(registry, MeshMetrics.CONSUME, tags, "dead_letter"));
    this.skipped =
        telemetry.retain(() -> Meters.timer(registry, MeshMetrics.CONSUME, tags, "skip"));
    this.failed =
        telemetry.retain(() -> Meters.timer(registry, MeshMetrics.CONSUME, tags, "failure"));
    this.freshness =
        telemetry.retain(
            () -> Timer.builder(MeshMetrics.CONSUME_FRESHNESS).tags(tags).register(registry));
    this.registryOutages =
        telemetry.retain(
            () ->
                Counter.builder(MeshMetrics.CONSUME_REGISTRY_OUTAGES)
                    .tags(tags)
                    .register(registry));
    this.keyOutages =
        telemetry.retain(
            () -> Counter.builder(MeshMetrics.CONSUME_KEY_OUTAGES).tags(tags).register(registry));
    synchronized (LAG) {
      this.lagParts =
          LAG.computeIfAbsent(registry, r -> new java.util.HashMap<>())
              .computeIfAbsent(
                  tags,
                  t -> {
                    Map<ConsumerMeters, Long> parts = new ConcurrentHashMap<>();
                    Gauge.builder(
                            MeshMetrics.CONSUME_LAG,
                            parts,
                            p -> p.values().stream().mapToLong(Long::longValue).sum())
                        .tags(t)
                        .strongReference(true)
                        .register(registry);
                    return parts;
                  });
    }
  }

  /** Now minus event time, for the freshness objective; negative ages (clock skew) count as 0. */
  void freshness(Instant eventTime) {
    long age = Math.max(0, System.currentTimeMillis() - eventTime.toEpochMilli());
    Telemetry.safely(() -> freshness.record(age, TimeUnit.MILLISECONDS));
  }

  void lag(long records) {
    lagParts.put(this, records);
  }

  /** The consumer's loop stopped: its lag no longer counts. */
  void stopped() {
    lagParts.remove(this);
  }

  /**
   * The consumer closed: the meters no other consumer with the same tags uses leave the registry
   * (the dead-letter counters by reason stay, as a record of what happened).
   */
  void close() {
    lagParts.remove(this);
    telemetry.release(
        handled,
        retried,
        deadLettered,
        skipped,
        failed,
        freshness,
        registryOutages,
        keyOutages,
        deprecatedCounter);
  }

  private volatile boolean warnedDeprecated;

  /** Counts a record of a deprecated major; warns once per consumer. */
  void deprecated(ConsumedEvent<?> event, String clientId) {
    if (!warnedDeprecated) {
      warnedDeprecated = true;
      String sunset = event.header(MeshHeaders.SUNSET).orElse("?");
      LOG.warn(
          "{}: consuming {} {}, a deprecated major with sunset {}; move to its successor"
              + " (see ce_meshsunset and the schema's mesh.successor)",
          clientId,
          product,
          version,
          sunset);
    }
    Telemetry.safely(deprecatedCounter::increment);
  }

  /** The consumer began to wait for the registry. */
  void registryOutage() {
    Telemetry.safely(registryOutages::increment);
  }

  void keyOutage() {
    Telemetry.safely(keyOutages::increment);
  }

  private final Counter[] schemaIdSources = new Counter[SchemaIdSource.values().length];

  /** Counts where a record's schema id was; called on the poll thread. */
  void schemaIdSource(SchemaIdSource source) {
    Counter c = schemaIdSources[source.ordinal()];
    if (c == null) {
      try {
        c =
            Counter.builder(MeshMetrics.CONSUME_SCHEMA_IDS)
                .tags(tags)
                .tag(MeshMetrics.TAG_SOURCE, source.code())
                .register(registry);
      } catch (RuntimeException e) {
        Telemetry.failed(e);
        return;
      }
      schemaIdSources[source.ordinal()] = c;
    }
    Telemetry.safely(c::increment);
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
