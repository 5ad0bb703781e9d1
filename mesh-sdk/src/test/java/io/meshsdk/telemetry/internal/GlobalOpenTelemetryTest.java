package io.meshsdk.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.Mesh;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A mesh built before the application registers its OpenTelemetry SDK must not lock the global
 * (with {@code GlobalOpenTelemetry.get()}, the application's later {@code set} would throw), and
 * picks the SDK up once it is there.
 */
class GlobalOpenTelemetryTest {

  @AfterEach
  void reset() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void theApplicationRegistersItsSdkAfterTheMeshIsBuiltAndTheMeshUsesIt() {
    GlobalOpenTelemetry.resetForTest();
    try (Mesh mesh =
        Mesh.builder()
            .application("early")
            .bootstrapServers("127.0.0.1:1")
            .schemaRegistry(new InMemorySchemaRegistry())
            .build()) {
      assertThat(GlobalOpenTelemetry.isSet()).isFalse();
      Telemetry telemetry = new Telemetry(new SimpleMeterRegistry(), null, true);
      assertThat(telemetry.tracingOff()).isTrue();

      InMemorySpanExporter spans = InMemorySpanExporter.create();
      OpenTelemetrySdk sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(SimpleSpanProcessor.create(spans))
                      .build())
              .build();
      GlobalOpenTelemetry.set(sdk); // throws if the mesh had locked the global

      assertThat(telemetry.tracingOff()).isFalse();
      telemetry.tracer().spanBuilder("after").startSpan().end();
      assertThat(spans.getFinishedSpanItems())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo("after");
                assertThat(s.getInstrumentationScopeInfo().getName()).isEqualTo("io.meshsdk");
                assertThat(s.getInstrumentationScopeInfo().getVersion())
                    .isEqualTo(Telemetry.VERSION)
                    .matches("\\d+\\.\\d+\\.\\d+.*"); // from the build, not a constant
              });
      sdk.close();
    }
  }
}
