package io.meshsdk.testkit;

import io.meshsdk.lineage.MeshHeaders;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A record in a dead-letter topic, with the error headers the consumer wrote.
 *
 * <p>A final class rather than a record, so that it can show more of a dead letter later without
 * breaking tests that use it. Made by the testkit.
 *
 * <p>Thread-safety: immutable (the byte arrays are not copied; do not modify them).
 */
public final class DeadLetter {
  private final String topic;
  private final long offset;
  private final String originalTopic;
  private final int originalPartition;
  private final long originalOffset;
  private final String reason;
  private final @Nullable String exception;
  private final @Nullable String message;
  private final int attempts;
  private final byte @Nullable [] key;
  private final byte @Nullable [] value;
  private final Map<String, String> headers;

  DeadLetter(
      String topic,
      long offset,
      String originalTopic,
      int originalPartition,
      long originalOffset,
      String reason,
      @Nullable String exception,
      @Nullable String message,
      int attempts,
      byte @Nullable [] key,
      byte @Nullable [] value,
      Map<String, String> headers) {
    this.topic = topic;
    this.offset = offset;
    this.originalTopic = originalTopic;
    this.originalPartition = originalPartition;
    this.originalOffset = originalOffset;
    this.reason = reason;
    this.exception = exception;
    this.message = message;
    this.attempts = attempts;
    this.key = key;
    this.value = value;
    this.headers = Map.copyOf(headers);
  }

  /**
   * The dead-letter topic.
   *
   * @return it
   */
  public String topic() {
    return topic;
  }

  /**
   * The offset in the dead-letter topic.
   *
   * @return it
   */
  public long offset() {
    return offset;
  }

  /**
   * Where the record came from ({@link MeshHeaders#DLQ_TOPIC}).
   *
   * @return it
   */
  public String originalTopic() {
    return originalTopic;
  }

  /**
   * The partition it came from.
   *
   * @return it
   */
  public int originalPartition() {
    return originalPartition;
  }

  /**
   * The offset it had there.
   *
   * @return it
   */
  public long originalOffset() {
    return originalOffset;
  }

  /**
   * Why it was dead-lettered: a {@link io.meshsdk.consumer.FailureReason#code() code} such as
   * {@code truncated}, {@code handler} or {@code migration}.
   *
   * @return it
   */
  public String reason() {
    return reason;
  }

  /**
   * The exception class.
   *
   * @return it, or empty when the dead letter does not say
   */
  public Optional<String> exception() {
    return Optional.ofNullable(exception);
  }

  /**
   * The error message.
   *
   * @return it, or empty when the dead letter does not say
   */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  /**
   * How many times it was tried.
   *
   * @return it
   */
  public int attempts() {
    return attempts;
  }

  /**
   * The original key (not copied: do not modify it).
   *
   * @return the bytes, or {@code null} when the record had none
   */
  public byte @Nullable [] key() {
    return key;
  }

  /**
   * The original value bytes (Confluent wire format) (not copied: do not modify it).
   *
   * @return the bytes, or {@code null} when the record had none
   */
  public byte @Nullable [] value() {
    return value;
  }

  /**
   * All headers as UTF-8 strings (the last value of each name).
   *
   * @return it
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * A header as a string.
   *
   * @param name the header name
   * @return its last value
   */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  @Override
  public String toString() {
    return originalTopic
        + "-"
        + originalPartition
        + "@"
        + originalOffset
        + " reason="
        + reason
        + (message != null ? " (" + message + ")" : "");
  }
}
