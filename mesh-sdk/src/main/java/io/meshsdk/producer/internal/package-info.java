/** Implementation of the producer over {@code KafkaProducer<byte[], byte[]>}. */
@NullMarked
package io.meshsdk.producer.internal;

import org.jspecify.annotations.NullMarked;
