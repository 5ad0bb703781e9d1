/**
 * Reading configuration keys, shared by {@code Mesh.builder().properties(...)} and the Kafka serdes
 * configured by class name.
 */
@InternalApi
@NullMarked
package io.meshsdk.config.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
