package io.meshsdk.testkit;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The spans a {@link TestMesh} recorded, read when asked: {@code assertThat(mesh.traces())} waits
 * until the assertion holds or the mesh's timeout passes.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Traces extends Live<SpanData> {
  Traces(String description, Supplier<List<SpanData>> source, Duration timeout) {
    super(description, source, timeout);
  }
}
