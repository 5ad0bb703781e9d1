package io.meshsdk.bridge.internal;

import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A bridge's meters: {@code mesh.bridge.records} by outcome, and {@code mesh.dlq} by reason with
 * the tags consumers use, so one dashboard of dead letters shows bridges too. The counters stay in
 * the registry after the bridge closes, as a record of what it did.
 */
final class BridgeMeters {
  private static final String RECORDS = MeshMetrics.BRIDGE_RECORDS;

  private final Counter mapped;
  private final Counter deleted;
  private final Counter unmappable;
  private final Counter violations;
  private final Counter unmappableDlq;
  private final Counter violationsDlq;

  BridgeMeters(
      Telemetry telemetry,
      String application,
      String product,
      String version,
      String group,
      String source) {
    MeterRegistry registry = telemetry.meters();
    Tags tags =
        Tags.of(
            MeshMetrics.TAG_APPLICATION, application,
            MeshMetrics.TAG_PRODUCT, product,
            MeshMetrics.TAG_VERSION, version,
            MeshMetrics.TAG_GROUP, group);
    Tags records = tags.and(MeshMetrics.TAG_TOPIC, source);
    this.mapped = counter(registry, RECORDS, records, MeshMetrics.TAG_OUTCOME, "mapped");
    this.deleted = counter(registry, RECORDS, records, MeshMetrics.TAG_OUTCOME, "deleted");
    this.unmappable = counter(registry, RECORDS, records, MeshMetrics.TAG_OUTCOME, "unmappable");
    this.violations =
        counter(registry, RECORDS, records, MeshMetrics.TAG_OUTCOME, "contract_violation");
    this.unmappableDlq =
        counter(registry, MeshMetrics.DLQ, tags, MeshMetrics.TAG_REASON, "unmappable");
    this.violationsDlq =
        counter(registry, MeshMetrics.DLQ, tags, MeshMetrics.TAG_REASON, "contract_violation");
  }

  private static Counter counter(
      MeterRegistry registry, String name, Tags tags, String tag, String value) {
    return Counter.builder(name).tags(tags).tag(tag, value).register(registry);
  }

  void mapped() {
    Telemetry.safely(mapped::increment);
  }

  void deleted() {
    Telemetry.safely(deleted::increment);
  }

  /** A record went to the dead-letter topic. */
  void deadLettered(boolean contractViolation) {
    Telemetry.safely(
        () -> {
          if (contractViolation) {
            violations.increment();
            violationsDlq.increment();
          } else {
            unmappable.increment();
            unmappableDlq.increment();
          }
        });
  }
}
