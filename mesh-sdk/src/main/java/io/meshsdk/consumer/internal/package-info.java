/**
 * Implementation of the consumer poll loop, retries and dead letters over {@code KafkaConsumer}.
 */
@InternalApi
@NullMarked
package io.meshsdk.consumer.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
