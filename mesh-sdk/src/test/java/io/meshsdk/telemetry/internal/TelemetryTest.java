package io.meshsdk.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import org.junit.jupiter.api.Test;

class TelemetryTest {
  @Test
  void tracingIsOffOnlyWithTheNoopTracerAndNoPropagatedHeader() {
    assertThat(new Telemetry(new SimpleMeterRegistry(), OpenTelemetry.noop(), true).tracingOff())
        .isTrue();
    assertThat(Telemetry.noop().tracingOff()).isTrue();
  }

  @Test
  void aRealTracerKeepsTracingOn() {
    SpanExporter exporter =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build()) {
      assertThat(new Telemetry(new SimpleMeterRegistry(), sdk, true).tracingOff()).isFalse();
    }
  }

  @Test
  void anSdkWithoutSpanProcessorsTracesNothingSoTracingIsOff() {
    // OpenTelemetry's SDK hands out its no-op tracer when no processor would see a span
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build()) {
      assertThat(new Telemetry(new SimpleMeterRegistry(), sdk, true).tracingOff()).isTrue();
    }
  }

  @Test
  void aPropagatorWithoutATracerKeepsTracingOnSoAnIncomingTraceTravelsOn() {
    OpenTelemetry propagating =
        OpenTelemetry.propagating(
            ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
    assertThat(new Telemetry(new SimpleMeterRegistry(), propagating, true).tracingOff()).isFalse();
  }
}
