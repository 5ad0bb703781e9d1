/**
 * Names of everything Mesh SDK reports: Micrometer meters and tags in {@link
 * io.meshsdk.telemetry.MeshMetrics}, OpenTelemetry span names and attributes in {@link
 * io.meshsdk.telemetry.MeshTracing}. Telemetry is injected (a {@code MeterRegistry}, an {@code
 * OpenTelemetry}), does nothing unless configured, and never throws into user code.
 */
@NullMarked
package io.meshsdk.telemetry;

import org.jspecify.annotations.NullMarked;
