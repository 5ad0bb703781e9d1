package io.meshsdk.consumer;

import java.util.Objects;

/**
 * A record that failed, as shown to an {@link ErrorHandler}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset
 * @param attempts how many times it has been tried, counting this one
 * @param reason {@code handler}, {@code registry}, {@code migration}, or a decoding reason in lower
 *     case ({@code wrong_magic_byte}, {@code unknown_schema_id}, {@code truncated}, ...)
 * @param error what was thrown
 * @param retriable whether trying again may help (false for undecodable records and exceptions
 *     declared non-retriable)
 */
public record Failure(
    String topic,
    int partition,
    long offset,
    int attempts,
    String reason,
    Throwable error,
    boolean retriable) {
  /** Requires the parts. */
  public Failure {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(error, "error");
  }
}
