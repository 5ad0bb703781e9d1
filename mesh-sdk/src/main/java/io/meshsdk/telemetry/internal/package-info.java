/**
 * Implementation of metrics and tracing: meter handles built once per client, safe span helpers.
 */
@NullMarked
package io.meshsdk.telemetry.internal;

import org.jspecify.annotations.NullMarked;
