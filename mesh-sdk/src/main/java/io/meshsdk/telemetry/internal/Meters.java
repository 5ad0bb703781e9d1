package io.meshsdk.telemetry.internal;

import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Builds the SDK's meters the same way everywhere. */
public final class Meters {
  private Meters() {}

  /** A timer with an {@code outcome} tag. */
  public static Timer timer(MeterRegistry registry, String name, Tags tags, String outcome) {
    return Timer.builder(name).tags(tags).tag(MeshMetrics.TAG_OUTCOME, outcome).register(registry);
  }

  /** Records the time since {@code startNanos}; never throws. */
  public static void recordSince(Timer timer, long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    Telemetry.safely(() -> timer.record(elapsed, TimeUnit.NANOSECONDS));
  }
}
