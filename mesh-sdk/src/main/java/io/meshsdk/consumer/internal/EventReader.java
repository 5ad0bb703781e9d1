package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.KeyFormat;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.serde.SchemaIdLocation;
import io.meshsdk.serde.internal.AvroKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Turns a consumed record and its decoded value into a {@link DefaultConsumedEvent}: one pass over
 * the headers with keys matched as bytes ({@link HeaderBytes}) finds the CloudEvents headers and
 * the sunset mark; their values are read only when the event is asked for them. Records from other
 * producers (no CloudEvents headers) get an id of {@code topic-partition@offset} and the record
 * timestamp as event time. Used by one poll thread.
 */
final class EventReader<T> {
  private static final int ID = 0;
  private static final int TYPE = 1;
  private static final int TIME = 2;
  private static final int VERSION = 3;
  private static final int PARENTS = 4;
  private static final int PARENTS_DROPPED = 5;
  private static final int SUNSET = 6;

  /** The keys of the headers the reader looks for; package-private for EventReaderBenchmark. */
  static final HeaderBytes KEYS =
      new HeaderBytes(
          MeshHeaders.ID,
          MeshHeaders.TYPE,
          MeshHeaders.TIME,
          MeshHeaders.VERSION,
          MeshHeaders.PARENTS,
          MeshHeaders.PARENTS_DROPPED,
          MeshHeaders.SUNSET);

  private final String fallbackType;
  private final byte[] fallbackTypeBytes;
  private boolean deprecated;

  EventReader(String eventType) {
    this.fallbackType = eventType;
    this.fallbackTypeBytes = eventType.getBytes(StandardCharsets.UTF_8);
  }

  /** A record's key as text, and how it was read; see {@code KeyFormat}. */
  record Key(@Nullable String text, KeyFormat format) {
    static final Key NONE = new Key(null, KeyFormat.NONE);
  }

  /**
   * Reads a key: UTF-8 text, or Avro that Confluent's key serializer framed (decoded through the
   * registry), or bytes left as they are.
   *
   * @throws io.meshsdk.registry.SchemaRegistryException when the registry cannot answer for a
   *     framed key (the record waits, as for its value)
   */
  static Key key(String topic, byte @Nullable [] bytes, AvroKeys avro) {
    if (bytes == null) {
      return Key.NONE;
    }
    if (bytes.length > 0 && bytes[0] == 0) {
      Optional<String> decoded = avro.decode(topic, bytes);
      if (decoded.isPresent()) {
        return new Key(decoded.get(), KeyFormat.AVRO);
      }
    }
    String text = AvroKeys.text(bytes);
    return AvroKeys.isText(bytes, text)
        ? new Key(text, KeyFormat.TEXT)
        : new Key(null, KeyFormat.BINARY);
  }

  /** The event of a record framed with the Confluent prefix ({@code schemaId} -1: none). */
  DefaultConsumedEvent<T> read(
      ConsumerRecord<byte[], byte[]> r, @Nullable T value, int schemaId, Key key) {
    SchemaIdLocation where =
        schemaId < 0
            ? null
            : new SchemaIdLocation(
                io.meshsdk.serde.SchemaIdSource.CONFLUENT_PREFIX,
                schemaId,
                null,
                io.meshsdk.serde.WireFormat.HEADER_SIZE);
    return read(r, value, where, key, List.of());
  }

  /**
   * The event of a record, with the encrypted fields its value lacks because they could not be
   * decrypted here.
   */
  DefaultConsumedEvent<T> read(
      ConsumerRecord<byte[], byte[]> r,
      @Nullable T value,
      @Nullable SchemaIdLocation where,
      Key key,
      List<String> withheldFields) {
    Headers headers = r.headers();
    Header idHeader = null;
    Header typeHeader = null;
    Header time = null;
    Header versionHeader = null;
    Header parentsHeader = null;
    Header droppedHeader = null;
    boolean sunset = false;
    for (Header h : headers) {
      switch (KEYS.indexOf(h)) {
        case ID -> idHeader = h;
        case TYPE -> typeHeader = h;
        case TIME -> time = h;
        case VERSION -> versionHeader = h;
        case PARENTS -> parentsHeader = h;
        case PARENTS_DROPPED -> droppedHeader = h;
        case SUNSET -> sunset = true;
        default -> {}
      }
    }
    this.deprecated = sunset;
    // the values are read when the event is asked for them (DefaultConsumedEvent)
    return new DefaultConsumedEvent<>(
        value,
        key.text(),
        key.format(),
        r.key(),
        r.topic(),
        r.partition(),
        r.offset(),
        r.timestamp(),
        where == null ? -1 : where.intId(),
        where == null ? null : where.source(),
        readOnly(headers),
        withheldFields,
        new DefaultConsumedEvent.Found(
            fallbackType,
            fallbackTypeBytes,
            idHeader,
            typeHeader,
            time,
            versionHeader,
            parentsHeader,
            droppedHeader));
  }

  /** Whether the last record read carried {@link MeshHeaders#SUNSET} (a deprecated major). */
  boolean deprecated() {
    return deprecated;
  }

  private static Headers readOnly(Headers headers) {
    if (headers instanceof RecordHeaders own) {
      own.setReadOnly(); // the record's own headers: nothing else holds them
      return own;
    }
    RecordHeaders copy = new RecordHeaders(headers.toArray());
    copy.setReadOnly();
    return copy;
  }
}
