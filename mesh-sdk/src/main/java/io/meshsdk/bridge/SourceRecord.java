package io.meshsdk.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A legacy record as a bridge's mapping sees it: where it is, its key, headers and time, and its
 * value as the source format read it.
 *
 * <p>Thread-safety: not thread-safe (the headers are Kafka's mutable headers); valid during the
 * {@link BridgeFunction#map} call it is given to.
 *
 * @param <S> what the source format reads
 */
public final class SourceRecord<S> {
  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final byte @Nullable [] key;
  private final Headers headers;
  private final S value;

  /**
   * A record.
   *
   * @param topic the legacy topic
   * @param partition its partition
   * @param offset its offset
   * @param timestamp its timestamp, in epoch milliseconds
   * @param key its key bytes, or null
   * @param headers its headers
   * @param value its value, read by the source format
   */
  public SourceRecord(
      String topic,
      int partition,
      long offset,
      long timestamp,
      byte @Nullable [] key,
      Headers headers,
      S value) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.value = Objects.requireNonNull(value, "value");
  }

  /**
   * The legacy topic.
   *
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * The partition.
   *
   * @return the partition
   */
  public int partition() {
    return partition;
  }

  /**
   * The offset.
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }

  /**
   * The record's timestamp, which becomes the product event's time unless the mapping's product has
   * its own.
   *
   * @return the time
   */
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestamp);
  }

  /**
   * The key's bytes (not copied).
   *
   * @return the key, or null
   */
  public byte @Nullable [] key() {
    return key;
  }

  /**
   * The key as UTF-8 text.
   *
   * @return the key, empty when the record has none
   */
  public Optional<String> keyString() {
    return key == null ? Optional.empty() : Optional.of(new String(key, StandardCharsets.UTF_8));
  }

  /**
   * The record's headers.
   *
   * @return the headers
   */
  public Headers headers() {
    return headers;
  }

  /**
   * The value as the source format read it.
   *
   * @return the value
   */
  public S value() {
    return value;
  }

  /**
   * Where the record is, never its value (which may hold personal data).
   *
   * @return {@code topic-partition@offset}
   */
  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
