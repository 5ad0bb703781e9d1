package io.meshsdk.consumer;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A record that failed, as shown to an {@link ErrorHandler}.
 *
 * <p>A final class rather than a record so that it can gain properties without breaking callers:
 * new properties get new accessors and a new {@code of} overload, and existing ones stay.
 *
 * <p>Thread-safety: immutable.
 */
public final class Failure {
  private final String topic;
  private final int partition;
  private final long offset;
  private final int attempts;
  private final FailureReason reason;
  private final Throwable error;
  private final boolean retriable;

  private Failure(
      String topic,
      int partition,
      long offset,
      int attempts,
      FailureReason reason,
      Throwable error,
      boolean retriable) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.partition = partition;
    this.offset = offset;
    this.attempts = attempts;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.error = Objects.requireNonNull(error, "error");
    this.retriable = retriable;
  }

  /**
   * A failure (the SDK makes them; tests of an {@link ErrorHandler} may too).
   *
   * @param topic the topic
   * @param partition the partition
   * @param offset the offset
   * @param attempts how many times the record has been tried, counting this one
   * @param reason why it failed
   * @param error what was thrown
   * @param retriable whether trying again may help
   * @return the failure
   */
  public static Failure of(
      String topic,
      int partition,
      long offset,
      int attempts,
      FailureReason reason,
      Throwable error,
      boolean retriable) {
    return new Failure(topic, partition, offset, attempts, reason, error, retriable);
  }

  /**
   * The topic.
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
   * How many times the record has been tried, counting this one.
   *
   * @return the attempts, from 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Why it failed; {@link FailureReason#code()} is what its dead letter records.
   *
   * @return the reason
   */
  public FailureReason reason() {
    return reason;
  }

  /**
   * What was thrown.
   *
   * @return the error
   */
  public Throwable error() {
    return error;
  }

  /**
   * Whether trying again may help: false for undecodable records and exceptions declared
   * non-retriable.
   *
   * @return whether it is retriable
   */
  public boolean retriable() {
    return retriable;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Failure f
        && topic.equals(f.topic)
        && partition == f.partition
        && offset == f.offset
        && attempts == f.attempts
        && reason == f.reason
        && error.equals(f.error)
        && retriable == f.retriable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, attempts, reason, error, retriable);
  }

  @Override
  public String toString() {
    return "Failure[topic="
        + topic
        + ", partition="
        + partition
        + ", offset="
        + offset
        + ", attempts="
        + attempts
        + ", reason="
        + reason.code()
        + ", error="
        + error.getClass().getName()
        + ", retriable="
        + retriable
        + "]";
  }
}
