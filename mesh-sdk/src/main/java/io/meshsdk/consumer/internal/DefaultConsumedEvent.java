package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.KeyFormat;
import io.meshsdk.lineage.Lineage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/** A consumed event; immutable. */
record DefaultConsumedEvent<T>(
    @Nullable T value,
    @Nullable String key,
    KeyFormat keyFormat,
    byte @Nullable [] rawKey,
    Lineage lineage,
    String eventId,
    Instant eventTime,
    Optional<String> writerVersion,
    String topic,
    int partition,
    long offset,
    Instant timestamp,
    int schemaId,
    Headers headers,
    List<String> withheldFields)
    implements ConsumedEvent<T> {

  /** A copy: the event is immutable, the record's array is not. */
  @Override
  public byte @Nullable [] rawKey() {
    return rawKey == null ? null : rawKey.clone();
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
    return "ConsumedEvent[" + topic + "-" + partition + "@" + offset + ", id=" + eventId + "]";
  }
}
