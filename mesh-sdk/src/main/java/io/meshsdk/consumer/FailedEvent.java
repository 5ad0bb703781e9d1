package io.meshsdk.consumer;

import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A dead letter handed to a replay handler ({@link DeadLetters#replay(FailedEventHandler,
 * java.time.Duration)}): the original record, what went wrong with it, and its value decoded into
 * the product's class when it can be.
 *
 * <p>Thread-safety: immutable; the byte arrays are the records' own and must not be modified.
 *
 * @param <T> the product type
 */
public interface FailedEvent<T> {
  /**
   * The value decoded into the product's class, resolving from the writer's schema as a consumer
   * does.
   *
   * @return the value, or empty when the record cannot be decoded (see {@link #decodingError()}) or
   *     is a tombstone
   */
  Optional<T> value();

  /**
   * Why the value cannot be decoded, when it cannot: often the reason the record is a dead letter.
   *
   * @return the decoding error's message, or empty
   */
  Optional<String> decodingError();

  /**
   * The original key, as UTF-8 text.
   *
   * @return the key, or null
   */
  @Nullable String key();

  /**
   * The original value bytes (Confluent wire format).
   *
   * @return the bytes, or null for a tombstone
   */
  byte @Nullable [] rawValue();

  /**
   * The original headers, without the {@code mesh.dlq.*} ones; read-only.
   *
   * @return the headers
   */
  Headers headers();

  /**
   * Why the record was dead-lettered ({@code handler}, {@code truncated}, {@code
   * unknown_schema_id}, {@code migration}, ...; see {@code docs/runtime.md}).
   *
   * @return the reason's code as the dead letter records it, {@code unknown} when it does not say
   */
  String reason();

  /**
   * {@link #reason()} as a {@link FailureReason}.
   *
   * @return the reason, empty when the dead letter does not say or gives a code this version does
   *     not know (written by a later version or another tool)
   */
  default Optional<FailureReason> failureReason() {
    return FailureReason.fromCode(reason());
  }

  /**
   * The exception class that failed the record, if any.
   *
   * @return the class name, or empty
   */
  Optional<String> exception();

  /**
   * The error message (truncated, PII values masked), if any.
   *
   * @return the message, or empty
   */
  Optional<String> message();

  /**
   * The topic the record was consumed from.
   *
   * @return the topic, empty when the dead letter does not say (a record another writer put there)
   */
  String originalTopic();

  /**
   * Its partition there.
   *
   * @return the partition, or -1 when the dead letter does not say
   */
  int originalPartition();

  /**
   * Its offset there.
   *
   * @return the offset, or -1 when the dead letter does not say
   */
  long originalOffset();

  /**
   * The consumer group that dead-lettered it.
   *
   * @return the group, empty when the dead letter does not say
   */
  String group();

  /**
   * How many times the group tried it.
   *
   * @return the attempts, or -1 when the dead letter does not say
   */
  int attempts();

  /**
   * Where the dead letter is: its topic, partition and offset, as {@code topic-partition@offset}.
   *
   * @return the position in the dead-letter topic
   */
  String deadLetterPosition();
}
