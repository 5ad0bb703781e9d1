/** JMH benchmarks of Mesh SDK, each side by side with raw Avro or raw kafka-clients. */
@NullMarked
package io.meshsdk.benchmarks;

import org.jspecify.annotations.NullMarked;
