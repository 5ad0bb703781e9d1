/**
 * Implementation of metrics and tracing: meter handles built once per client, safe span helpers.
 */
@InternalApi
@NullMarked
package io.meshsdk.telemetry.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
