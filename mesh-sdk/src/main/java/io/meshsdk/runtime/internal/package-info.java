/**
 * What producers, consumers and processors share at run time: settings, client creation, telemetry.
 */
@InternalApi
@NullMarked
package io.meshsdk.runtime.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
