package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.KeyFormat;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.internal.Rfc3339;
import io.meshsdk.serde.SchemaIdSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A consumed event. Its CloudEvents attributes (id, event time, lineage, writer version) are read
 * from the headers the {@link EventReader} found only when first asked for: a handler that never
 * asks, and a consumer without deduplication, meters or tracing, pays for none of them. Immutable
 * as seen from outside and thread-safe: each attribute is computed from immutable inputs and cached
 * without a lock (like {@code String.hashCode}), and the values cached are immutable.
 *
 * <p>As a {@link Supplier} it gives {@link Lineage#self()}, for the lineage scope of the handler
 * call, which asks only when a record is produced inside.
 */
final class DefaultConsumedEvent<T> implements ConsumedEvent<T>, Supplier<EventRef> {
  /** The headers {@link EventReader} found in one pass, any of them null. */
  record Found(
      String fallbackType,
      byte[] fallbackTypeBytes,
      @Nullable Header id,
      @Nullable Header type,
      @Nullable Header time,
      @Nullable Header version,
      @Nullable Header parents,
      @Nullable Header dropped) {}

  private final @Nullable T value;
  private final @Nullable String key;
  private final KeyFormat keyFormat;
  private final byte @Nullable [] rawKey;
  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestampMs;
  private final int schemaId;
  private final @Nullable SchemaIdSource schemaIdSource;
  private final Headers headers;
  private final List<String> withheldFields;
  private final @Nullable Found found;

  // computed at first use; racy but idempotent, and every value is immutable
  private @Nullable String eventId;
  private @Nullable Instant eventTime;
  private @Nullable Lineage lineage;
  private @Nullable Optional<String> writerVersion;

  DefaultConsumedEvent(
      @Nullable T value,
      @Nullable String key,
      KeyFormat keyFormat,
      byte @Nullable [] rawKey,
      String topic,
      int partition,
      long offset,
      long timestampMs,
      int schemaId,
      @Nullable SchemaIdSource schemaIdSource,
      Headers headers,
      List<String> withheldFields,
      @Nullable Found found) {
    this.value = value;
    this.key = key;
    this.keyFormat = keyFormat;
    this.rawKey = rawKey;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestampMs = timestampMs;
    this.schemaId = schemaId;
    this.schemaIdSource = schemaIdSource;
    this.headers = headers;
    this.withheldFields = withheldFields;
    this.found = found;
  }

  /** The same event with another value (a migrated one): every attribute as consumed. */
  static <S, T> DefaultConsumedEvent<T> withValue(ConsumedEvent<S> e, @Nullable T value) {
    DefaultConsumedEvent<T> copy =
        new DefaultConsumedEvent<>(
            value,
            e.key(),
            e.keyFormat(),
            e.rawKey(),
            e.topic(),
            e.partition(),
            e.offset(),
            e.timestamp().toEpochMilli(),
            e.schemaId(),
            e.schemaIdSource().orElse(null),
            e.headers(),
            e.withheldFields(),
            null);
    copy.eventId = e.eventId();
    copy.eventTime = e.eventTime();
    copy.lineage = e.lineage();
    copy.writerVersion = e.writerVersion();
    return copy;
  }

  @Override
  public @Nullable T value() {
    return value;
  }

  @Override
  public @Nullable String key() {
    return key;
  }

  @Override
  public KeyFormat keyFormat() {
    return keyFormat;
  }

  /** A copy: the event is immutable, the record's array is not. */
  @Override
  public byte @Nullable [] rawKey() {
    return rawKey == null ? null : rawKey.clone();
  }

  @Override
  public String eventId() {
    String id = eventId;
    if (id == null) {
      ByteBuffer v = found == null || found.id() == null ? null : HeaderBytes.value(found.id());
      id = v != null ? HeaderBytes.string(v) : where();
      eventId = id;
    }
    return id;
  }

  /** The id of a record without one: {@code topic-partition@offset}. */
  private String where() {
    return topic + "-" + partition + "@" + offset;
  }

  @Override
  public Instant eventTime() {
    Instant time = eventTime;
    if (time == null) {
      time = timestamp();
      ByteBuffer v = found == null || found.time() == null ? null : HeaderBytes.value(found.time());
      if (v != null) {
        try {
          time = Rfc3339.parse(v.array(), v.arrayOffset() + v.position(), v.remaining());
        } catch (DateTimeParseException e) {
          // keep the record timestamp
        }
      }
      eventTime = time;
    }
    return time;
  }

  @Override
  public Lineage lineage() {
    Lineage l = lineage;
    if (l == null) {
      l = new Lineage(self(), parents(), dropped());
      lineage = l;
    }
    return l;
  }

  /** {@link Lineage#self()}, for the handler call's lineage scope. */
  @Override
  public EventRef get() {
    Lineage l = lineage;
    return l != null ? l.self() : lineage().self();
  }

  private EventRef self() {
    Found f = java.util.Objects.requireNonNull(found, "found");
    String type = f.fallbackType();
    ByteBuffer v = f.type() == null ? null : HeaderBytes.value(f.type());
    if (v != null && !HeaderBytes.equals(v, f.fallbackTypeBytes())) {
      type = HeaderBytes.string(v);
    }
    try {
      return new EventRef(type, eventId(), topic, partition, offset);
    } catch (IllegalArgumentException e) {
      return new EventRef(f.fallbackType(), where(), topic, partition, offset);
    }
  }

  private List<EventRef> parents() {
    ByteBuffer v =
        found == null || found.parents() == null ? null : HeaderBytes.value(found.parents());
    return v == null ? List.of() : Lineage.parseParents(HeaderBytes.string(v));
  }

  private int dropped() {
    ByteBuffer v =
        found == null || found.dropped() == null ? null : HeaderBytes.value(found.dropped());
    if (v == null) {
      return 0;
    }
    try {
      return Integer.parseInt(HeaderBytes.string(v));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public Optional<String> writerVersion() {
    Optional<String> version = writerVersion;
    if (version == null) {
      ByteBuffer v =
          found == null || found.version() == null ? null : HeaderBytes.value(found.version());
      version = v == null ? Optional.empty() : Optional.of(HeaderBytes.string(v));
      writerVersion = version;
    }
    return version;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public int partition() {
    return partition;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMs);
  }

  @Override
  public int schemaId() {
    return schemaId;
  }

  @Override
  public Optional<SchemaIdSource> schemaIdSource() {
    return Optional.ofNullable(schemaIdSource);
  }

  @Override
  public Headers headers() {
    return headers;
  }

  @Override
  public List<String> withheldFields() {
    return withheldFields;
  }

  @Override
  public Optional<String> header(String name) {
    return text(headers, name);
  }

  static Optional<String> text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ConsumedEvent[" + topic + "-" + partition + "@" + offset + ", id=" + eventId() + "]";
  }
}
