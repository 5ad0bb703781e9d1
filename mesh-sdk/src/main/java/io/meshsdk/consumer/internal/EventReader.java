package io.meshsdk.consumer.internal;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Turns a consumed record and its decoded value into a {@link DefaultConsumedEvent}: one pass over
 * the headers with keys matched as bytes ({@link HeaderKeys}), values decoded only where needed,
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
  private static final HeaderKeys KEYS =
      new HeaderKeys(
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

  DefaultConsumedEvent<T> read(ConsumerRecord<byte[], byte[]> r, @Nullable T value, int schemaId) {
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
    String id =
        idHeader != null && idHeader.value() != null
            ? new String(idHeader.value(), StandardCharsets.UTF_8)
            : where(r);
    String type = fallbackType;
    if (typeHeader != null
        && typeHeader.value() != null
        && !Arrays.equals(typeHeader.value(), fallbackTypeBytes)) {
      type = new String(typeHeader.value(), StandardCharsets.UTF_8);
    }
    Instant timestamp = Instant.ofEpochMilli(r.timestamp());
    Instant eventTime = timestamp;
    if (time != null && time.value() != null) {
      try {
        eventTime = Rfc3339.parse(time.value());
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
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    return new DefaultConsumedEvent<>(
        value,
        key,
        new Lineage(self, parents, dropped),
        id,
        eventTime,
        writerVersion(versionHeader),
        r.topic(),
        r.partition(),
        r.offset(),
        timestamp,
        schemaId,
        readOnly(headers));
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
    if (header == null || header.value() == null) {
      return Optional.empty();
    }
    if (!Arrays.equals(header.value(), lastVersionBytes)) {
      lastVersionBytes = header.value().clone();
      lastVersion = Optional.of(new String(header.value(), StandardCharsets.UTF_8));
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
