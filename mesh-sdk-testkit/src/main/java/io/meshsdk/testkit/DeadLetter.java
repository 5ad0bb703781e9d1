package io.meshsdk.testkit;

import io.meshsdk.lineage.MeshHeaders;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A record in a dead-letter topic, with the error headers the consumer wrote.
 *
 * <p>Thread-safety: immutable (the byte arrays are not copied; do not modify them).
 *
 * @param topic the dead-letter topic
 * @param offset the offset in the dead-letter topic
 * @param originalTopic where the record came from ({@link MeshHeaders#DLQ_TOPIC})
 * @param originalPartition its partition
 * @param originalOffset its offset
 * @param reason why it was dead-lettered ({@code truncated}, {@code handler}, {@code migration},
 *     ...)
 * @param exception the exception class, if any
 * @param message the error message, if any
 * @param attempts how many times it was tried
 * @param key the original key
 * @param value the original value bytes (Confluent wire format)
 * @param headers all headers as UTF-8 strings (the last value of each name)
 */
public record DeadLetter(
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

  /** Copies the headers. */
  public DeadLetter {
    headers = Map.copyOf(headers);
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
