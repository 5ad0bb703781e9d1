package io.meshsdk.consumer;

import io.meshsdk.lineage.Lineage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * One consumed record of a data product, decoded into the consumer's class.
 *
 * <p>Thread-safety: immutable; valid beyond the handler call.
 *
 * @param <T> the consumer's product type
 */
public interface ConsumedEvent<T> {

  /**
   * The decoded value.
   *
   * @return the value, {@code null} only for a tombstone (a deleted key of a {@code STATE} product)
   */
  @Nullable T value();

  /**
   * Whether the record is a tombstone: the deletion of its key from a {@code STATE} product ({@code
   * MeshProducer.delete(key)}); the value is then {@code null} and {@link #key()} names what was
   * deleted.
   *
   * @return {@code true} for a deletion
   */
  default boolean isDeletion() {
    return value() == null;
  }

  /**
   * The record key, as text: a Mesh product's key as written, a key Confluent's Avro key serializer
   * wrote decoded through the registry (see {@link #keyFormat()}).
   *
   * @return the key as text, {@code null} when the record has none or its key is not text ({@link
   *     KeyFormat#BINARY}; see {@link #rawKey()})
   */
  @Nullable String key();

  /**
   * How {@link #key()} was read from the key's bytes. The default, for implementations written
   * before key formats existed (test doubles), is {@code TEXT} for a key and {@code NONE} without.
   *
   * @return the format
   */
  default KeyFormat keyFormat() {
    return key() == null ? KeyFormat.NONE : KeyFormat.TEXT;
  }

  /**
   * The record key as Kafka holds it. The default encodes {@link #key()} as UTF-8.
   *
   * @return a copy of the bytes, {@code null} when the record has none
   */
  default byte @Nullable [] rawKey() {
    String key = key();
    return key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * This event and the events it was derived from.
   *
   * @return the lineage
   */
  Lineage lineage();

  /**
   * The event id ({@code ce_id}).
   *
   * @return the id; for records without one, {@code topic-partition@offset}
   */
  String eventId();

  /**
   * When the event happened ({@code ce_time}, else the record timestamp).
   *
   * @return the event time
   */
  Instant eventTime();

  /**
   * The writer's product version ({@code ce_meshversion}).
   *
   * @return the version text, empty for records not produced by Mesh SDK
   */
  Optional<String> writerVersion();

  /**
   * The topic.
   *
   * @return the topic
   */
  String topic();

  /**
   * The partition.
   *
   * @return the partition
   */
  int partition();

  /**
   * The offset.
   *
   * @return the offset
   */
  long offset();

  /**
   * The record timestamp.
   *
   * @return the timestamp
   */
  Instant timestamp();

  /**
   * The registry id of the writer's schema (Apicurio's global or content id when its serializer
   * wrote the record).
   *
   * @return the schema id, {@code -1} for a tombstone, a schema named by GUID, or an id beyond
   *     {@code int}
   */
  int schemaId();

  /**
   * Where the record's schema id was: the Confluent prefix (what Mesh writes), Confluent's
   * schema-id header (an id or a GUID), Apicurio's headers or its legacy 8-byte prefix. See {@link
   * io.meshsdk.serde.WireFormat#locate}.
   *
   * @return the source; empty for a tombstone and for events not read from a record
   */
  default Optional<io.meshsdk.serde.SchemaIdSource> schemaIdSource() {
    return Optional.empty();
  }

  /**
   * All record headers, read-only.
   *
   * @return the headers
   */
  Headers headers();

  /**
   * The encrypted fields ({@code @Pii(encrypted = true)}) this mesh could not decrypt, read as
   * null: their data key is shredded, or cannot be unwrapped here ({@code docs/security.md}).
   *
   * @return the field names, empty when every field was read
   */
  default List<String> withheldFields() {
    return List.of();
  }

  /**
   * One header as UTF-8 text (the last one of that name).
   *
   * @param name the header name
   * @return the value, empty when absent
   */
  Optional<String> header(String name);
}
