/**
 * Serialization of data products: the {@link io.meshsdk.serde.ProductCodec} compiled once per
 * product class, and the Kafka {@link io.meshsdk.serde.MeshSerializer}, {@link
 * io.meshsdk.serde.MeshDeserializer} and {@link io.meshsdk.serde.MeshSerde} that write and read the
 * Confluent wire format (byte {@code 0}, a 4-byte big-endian schema id, the Avro binary body), so
 * that any Confluent-compatible client reads what Mesh SDK writes and the other way round.
 */
@NullMarked
package io.meshsdk.serde;

import org.jspecify.annotations.NullMarked;
