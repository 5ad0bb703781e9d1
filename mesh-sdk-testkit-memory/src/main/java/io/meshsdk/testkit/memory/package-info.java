/**
 * An in-memory Kafka cluster for unit tests, plugged into a mesh through {@code
 * KafkaClientFactory}.
 */
@NullMarked
package io.meshsdk.testkit.memory;

import org.jspecify.annotations.NullMarked;
