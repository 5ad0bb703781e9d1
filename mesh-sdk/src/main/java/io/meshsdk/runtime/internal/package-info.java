/**
 * What producers, consumers and processors share at run time: settings, client creation, telemetry.
 */
@NullMarked
package io.meshsdk.runtime.internal;

import org.jspecify.annotations.NullMarked;
