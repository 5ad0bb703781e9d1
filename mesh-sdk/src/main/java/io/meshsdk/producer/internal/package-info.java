/** Implementation of the producer over {@code KafkaProducer<byte[], byte[]>}. */
@InternalApi
@NullMarked
package io.meshsdk.producer.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
