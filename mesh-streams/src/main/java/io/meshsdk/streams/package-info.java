/**
 * Data products in Kafka Streams applications: {@link io.meshsdk.streams.MeshStreamsSerde} writes a
 * product with its CloudEvents headers, {@link io.meshsdk.streams.MeshStreams#lineage()} notes the
 * input event that becomes its parent, and {@link io.meshsdk.streams.MeshStreamsDeadLetters} writes
 * the records a topology fails on to dead-letter topics in Mesh's format. Reading products takes
 * {@link io.meshsdk.serde.MeshSerde}, in {@code mesh-sdk}.
 */
@NullMarked
package io.meshsdk.streams;

import org.jspecify.annotations.NullMarked;
