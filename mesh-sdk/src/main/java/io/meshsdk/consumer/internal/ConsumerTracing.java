package io.meshsdk.consumer.internal;

import io.meshsdk.telemetry.MeshTracing;
import io.meshsdk.telemetry.internal.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The {@code process {topic}} spans of one consumer: a child of the producer's span found in the
 * headers (or linked to it), with the messaging attributes. Strings are built once.
 */
final class ConsumerTracing {
  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {

        @Override
        public @Nullable String get(@Nullable Headers carrier, String key) {
          if (carrier == null) {
            return null;
          }
          Header h = carrier.lastHeader(key);
          return h == null || h.value() == null
              ? null
              : new String(h.value(), StandardCharsets.UTF_8);
        }
      };

  private final Telemetry telemetry;
  private final String spanName;
  private final String group;
  private final String product;
  private final String version;
  private final boolean asLink;
  private final String[] partitionIds = new String[64];

  ConsumerTracing(
      Telemetry telemetry,
      String topic,
      String group,
      String product,
      String version,
      boolean asLink) {
    this.telemetry = telemetry;
    this.spanName = MeshTracing.PROCESS + " " + topic;
    this.group = group;
    this.product = product;
    this.version = version;
    this.asLink = asLink;
  }

  /**
   * Whether tracing is off, so there is no span to make current.
   *
   * @return true when {@link #start} returns the invalid span for every event
   */
  boolean off() {
    return telemetry.tracingOff();
  }

  /** Starts the span of one event; never throws (a broken tracer gives an invalid span). */
  Span start(DefaultConsumedEvent<?> event) {
    if (telemetry.tracingOff()) {
      return Span.getInvalid(); // a no-op tracer and nothing propagated: no span work per record
    }
    try {
      Context extracted = telemetry.propagator().extract(Context.root(), event.headers(), GETTER);
      SpanBuilder builder =
          telemetry
              .tracer()
              .spanBuilder(spanName)
              .setSpanKind(SpanKind.CONSUMER)
              .setAttribute(MeshTracing.MESSAGING_SYSTEM, "kafka")
              .setAttribute(MeshTracing.DESTINATION, event.topic())
              .setAttribute(MeshTracing.PARTITION, partitionId(event.partition()))
              .setAttribute(MeshTracing.OFFSET, event.offset())
              .setAttribute(MeshTracing.CONSUMER_GROUP, group)
              .setAttribute(MeshTracing.OPERATION_TYPE, "process")
              .setAttribute(MeshTracing.OPERATION_NAME, MeshTracing.PROCESS)
              .setAttribute(MeshTracing.MESSAGE_ID, event.eventId())
              .setAttribute(MeshTracing.PRODUCT, product)
              .setAttribute(MeshTracing.PRODUCT_VERSION, version);
      var producerSpan = Span.fromContext(extracted).getSpanContext();
      if (asLink) {
        builder.setNoParent();
        if (producerSpan.isValid()) {
          builder.addLink(producerSpan);
        }
      } else {
        builder.setParent(extracted);
      }
      return builder.startSpan();
    } catch (RuntimeException e) {
      Telemetry.failed(e);
      return Span.getInvalid();
    }
  }

  private String partitionId(int partition) {
    if (partition >= partitionIds.length) {
      return Integer.toString(partition);
    }
    String id = partitionIds[partition];
    if (id == null) {
      id = Integer.toString(partition);
      partitionIds[partition] = id;
    }
    return id;
  }
}
