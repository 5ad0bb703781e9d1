/**
 * Implementation of the consumer poll loop, retries and dead letters over {@code KafkaConsumer}.
 */
@NullMarked
package io.meshsdk.consumer.internal;

import org.jspecify.annotations.NullMarked;
