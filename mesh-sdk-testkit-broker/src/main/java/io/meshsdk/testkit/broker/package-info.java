/**
 * A real Apache Kafka broker (single-node KRaft) started inside the test JVM from Kafka's own
 * server artifacts: no Docker, no separate process. {@link
 * io.meshsdk.testkit.broker.EmbeddedKafkaBroker#shared()} gives every test class in a JVM the same
 * broker.
 */
@NullMarked
package io.meshsdk.testkit.broker;

import org.jspecify.annotations.NullMarked;
