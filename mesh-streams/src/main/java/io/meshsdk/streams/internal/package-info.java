/** Implementation of the Kafka Streams module: its meters and the producer interceptor. */
@InternalApi
@NullMarked
package io.meshsdk.streams.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
