package io.meshsdk.telemetry.internal;

import io.meshsdk.telemetry.MeshTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics registry and tracer of one {@code Mesh}. Every call into telemetry goes through
 * {@link #safely(Runnable)} or is itself exception-free, so a broken exporter never reaches user
 * code.
 */
public final class Telemetry {
  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  private final MeterRegistry meters;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final boolean metricsEnabled;
  private final boolean tracingOff;

  public Telemetry(MeterRegistry meters, OpenTelemetry openTelemetry, boolean metricsEnabled) {
    this.meters = meters;
    this.tracer = openTelemetry.getTracer(MeshTracing.INSTRUMENTATION, "0.1.0");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.metricsEnabled = metricsEnabled;
    this.tracingOff = isNoop(tracer, propagator);
  }

  /**
   * Whether spans and propagation would have no effect at all: the tracer is OpenTelemetry's no-op
   * tracer (its spans only wrap the current context) and the propagator injects no header. Only
   * then may the runtime skip span work per record; with a no-op tracer but a real propagator it
   * still runs, so a trace context that arrived with a record travels on.
   */
  private static boolean isNoop(Tracer tracer, TextMapPropagator propagator) {
    try {
      return tracer.getClass() == NOOP_TRACER && propagator.fields().isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static final Class<?> NOOP_TRACER =
      OpenTelemetry.noop().getTracer(MeshTracing.INSTRUMENTATION).getClass();

  /**
   * Whether tracing is off (no-op tracer, no propagated header), so per-record span work can be
   * skipped without any observable difference.
   *
   * @return true when spans and propagation would do nothing
   */
  public boolean tracingOff() {
    return tracingOff;
  }

  /** Telemetry that records nothing. */
  public static Telemetry noop() {
    return new Telemetry(new CompositeMeterRegistry(), OpenTelemetry.noop(), false);
  }

  public MeterRegistry meters() {
    return meters;
  }

  /** Whether a real registry was given (Kafka client metrics are bound only then). */
  public boolean metricsEnabled() {
    return metricsEnabled;
  }

  public Tracer tracer() {
    return tracer;
  }

  public TextMapPropagator propagator() {
    return propagator;
  }

  /** Runs a telemetry action; failures are logged, never thrown. */
  public static void safely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /**
   * Logs a telemetry failure: at WARN the first time in this JVM, at DEBUG afterwards, so a broken
   * exporter cannot flood the log with one line per record.
   */
  public static void failed(RuntimeException e) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn(
          "telemetry failed and was ignored (further failures are logged at DEBUG): {}",
          e.toString());
    } else {
      LOG.debug("telemetry failed and was ignored: {}", e.toString());
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean WARNED =
      new java.util.concurrent.atomic.AtomicBoolean();
}
