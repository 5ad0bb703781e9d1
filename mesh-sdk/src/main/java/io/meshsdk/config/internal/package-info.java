/**
 * Reading configuration keys, shared by {@code Mesh.builder().properties(...)} and the Kafka serdes
 * configured by class name.
 */
@NullMarked
package io.meshsdk.config.internal;

import org.jspecify.annotations.NullMarked;
