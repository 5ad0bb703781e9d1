/**
 * Mesh SDK's entry point: {@link io.meshsdk.Mesh} creates the producers, consumers and processors
 * of data products for one application, with shared settings, registry and telemetry.
 */
@NullMarked
package io.meshsdk;

import org.jspecify.annotations.NullMarked;
