package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.KeyFormat;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.Rfc3339;
import io.meshsdk.serde.internal.AvroKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Turns a consumed record and its decoded value into a {@link DefaultConsumedEvent}: one pass over
 * the headers with keys matched as bytes ({@link HeaderBytes}), values decoded only where needed,
 * the common {@code ce_type} and version matched as bytes against cached strings. Records from
 * other producers (no CloudEvents headers) get an id of {@code topic-partition@offset} and the
 * record timestamp as event time. Used by one poll thread.
 */
final class EventReader<T> {
  private static final int ID = 0;
  private static final int TYPE = 1;
  private static final int TIME = 2;
  private static final int VERSION = 3;
  private static final int PARENTS = 4;
  private static final int PARENTS_DROPPED = 5;
  private static final int SUNSET = 6;
  private static final HeaderBytes KEYS =
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
  private byte[] lastVersionBytes = new byte[0];
  private Optional<String> lastVersion = Optional.empty();
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

  DefaultConsumedEvent<T> read(
      ConsumerRecord<byte[], byte[]> r, @Nullable T value, int schemaId, Key key) {
    return read(r, value, schemaId, key, List.of());
  }

  /**
   * The event of a record, with the encrypted fields its value lacks because they could not be
   * decrypted here.
   */
  DefaultConsumedEvent<T> read(
      ConsumerRecord<byte[], byte[]> r,
      @Nullable T value,
      int schemaId,
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
    // values read where Kafka keeps them: no copy, no lock per header
    ByteBuffer idValue = idHeader == null ? null : HeaderBytes.value(idHeader);
    String id = idValue != null ? HeaderBytes.string(idValue) : where(r);
    String type = fallbackType;
    ByteBuffer typeValue = typeHeader == null ? null : HeaderBytes.value(typeHeader);
    if (typeValue != null && !HeaderBytes.equals(typeValue, fallbackTypeBytes)) {
      type = HeaderBytes.string(typeValue);
    }
    Instant timestamp = Instant.ofEpochMilli(r.timestamp());
    Instant eventTime = timestamp;
    ByteBuffer timeValue = time == null ? null : HeaderBytes.value(time);
    if (timeValue != null) {
      try {
        eventTime =
            Rfc3339.parse(
                timeValue.array(),
                timeValue.arrayOffset() + timeValue.position(),
                timeValue.remaining());
      } catch (DateTimeParseException e) {
        // keep the record timestamp
      }
    }
    List<EventRef> parents =
        parentsHeader == null || parentsHeader.value() == null
            ? List.of()
            : Lineage.parseParents(new String(parentsHeader.value(), StandardCharsets.UTF_8));
    int dropped =
        droppedHeader == null || droppedHeader.value() == null
            ? 0
            : parseIntOrZero(droppedHeader.value());
    EventRef self;
    try {
      self = new EventRef(type, id, r.topic(), r.partition(), r.offset());
    } catch (IllegalArgumentException e) {
      self = new EventRef(fallbackType, where(r), r.topic(), r.partition(), r.offset());
    }
    return new DefaultConsumedEvent<>(
        value,
        key.text(),
        key.format(),
        r.key(),
        new Lineage(self, parents, dropped),
        id,
        eventTime,
        writerVersion(versionHeader),
        r.topic(),
        r.partition(),
        r.offset(),
        timestamp,
        schemaId,
        readOnly(headers),
        withheldFields);
  }

  /** The id of a record without one: {@code topic-partition@offset}. */
  private static String where(ConsumerRecord<?, ?> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  /** Whether the last record read carried {@link MeshHeaders#SUNSET} (a deprecated major). */
  boolean deprecated() {
    return deprecated;
  }

  private Optional<String> writerVersion(@Nullable Header header) {
    ByteBuffer value = header == null ? null : HeaderBytes.value(header);
    if (value == null) {
      return Optional.empty();
    }
    if (!HeaderBytes.equals(value, lastVersionBytes)) {
      String version = HeaderBytes.string(value);
      lastVersionBytes = version.getBytes(StandardCharsets.UTF_8);
      lastVersion = Optional.of(version);
    }
    return lastVersion;
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

  private static int parseIntOrZero(byte[] text) {
    try {
      return Integer.parseInt(new String(text, StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
