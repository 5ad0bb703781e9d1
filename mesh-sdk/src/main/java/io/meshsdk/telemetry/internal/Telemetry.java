package io.meshsdk.telemetry.internal;

import io.meshsdk.telemetry.MeshTracing;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics registry and tracer of one {@code Mesh}. Every call into telemetry goes through
 * {@link #safely(Runnable)} or is itself exception-free, so a broken exporter never reaches user
 * code.
 *
 * <p>Without an {@code OpenTelemetry} given, the global one is used once an application or agent
 * has registered it, and never asked for before: {@code GlobalOpenTelemetry.get()} would fix the
 * global to a no-op and make the application's later registration fail. Until then tracing is off.
 *
 * <p>Meters of clients that come and go are counted per meter ({@link #retain}, {@link #release}),
 * so the last client of a product to close removes them from the registry.
 */
public final class Telemetry {
  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  /** The SDK's version, the instrumentation scope version of its spans. */
  public static final String VERSION = version();

  private final MeterRegistry meters;
  private final boolean metricsEnabled;
  private final Map<Meter.Id, Integer> retained = new HashMap<>();
  private volatile Tracer tracer;
  private volatile TextMapPropagator propagator;
  private volatile boolean tracingOff;

  /** Whether the OpenTelemetry in use is final (given, or the registered global). */
  private volatile boolean resolved;

  /**
   * Telemetry of a mesh.
   *
   * @param meters the meter registry (an empty composite when none was given)
   * @param openTelemetry the OpenTelemetry given, or null for the global one once registered
   * @param metricsEnabled whether a real meter registry was given
   */
  public Telemetry(
      MeterRegistry meters, @Nullable OpenTelemetry openTelemetry, boolean metricsEnabled) {
    this.meters = meters;
    this.metricsEnabled = metricsEnabled;
    OpenTelemetry initial;
    if (openTelemetry != null) {
      initial = openTelemetry;
      resolved = true;
    } else if (GlobalOpenTelemetry.isSet()) {
      initial = GlobalOpenTelemetry.get();
      resolved = true;
    } else {
      initial = OpenTelemetry.noop();
    }
    use(initial);
  }

  private void use(OpenTelemetry openTelemetry) {
    Tracer t = openTelemetry.getTracer(MeshTracing.INSTRUMENTATION, VERSION);
    TextMapPropagator p = openTelemetry.getPropagators().getTextMapPropagator();
    this.tracer = t;
    this.propagator = p;
    this.tracingOff = isNoop(t, p);
  }

  /** Switches to the global OpenTelemetry once it is registered. */
  private void refresh() {
    if (!resolved && GlobalOpenTelemetry.isSet()) {
      synchronized (this) {
        if (!resolved) {
          use(GlobalOpenTelemetry.get());
          resolved = true;
        }
      }
    }
  }

  private static String version() {
    try (InputStream in =
        Telemetry.class.getResourceAsStream("/io/meshsdk/internal/mesh-sdk.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    String v = Telemetry.class.getPackage().getImplementationVersion();
    return v != null ? v : "unknown";
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
    refresh();
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
    refresh();
    return tracer;
  }

  public TextMapPropagator propagator() {
    refresh();
    return propagator;
  }

  /**
   * Registers a meter on behalf of one more client; meters are shared by every client with the same
   * name and tags. Registration and counting happen under one lock with {@link #release}, so a
   * client releasing the last use cannot remove a meter another client is just registering.
   *
   * @param registration registers the meter in {@link #meters()} (or finds it there)
   * @param <M> the meter type
   * @return the meter
   */
  public <M extends Meter> M retain(Supplier<M> registration) {
    synchronized (retained) {
      M meter = registration.get();
      retained.merge(meter.getId(), 1, Integer::sum);
      return meter;
    }
  }

  /**
   * One client no longer uses the meters: those no other client uses leave the registry.
   *
   * @param meters meters given by {@link #retain} before
   */
  public void release(Meter... meters) {
    for (Meter meter : meters) {
      synchronized (retained) {
        Integer left = retained.merge(meter.getId(), -1, Integer::sum);
        if (left != null && left <= 0) {
          retained.remove(meter.getId());
          safely(() -> this.meters.remove(meter));
        }
      }
    }
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
