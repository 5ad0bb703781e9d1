package io.meshsdk.consumer;

import java.time.Duration;

/**
 * The dead letters of one consumer group, for one product. Once the cause is fixed, {@link
 * #replay(Duration)} sends every dead letter back to the topic it came from (with its original key,
 * value and headers, minus the {@code mesh.dlq.*} headers), where the group consumes it again; or
 * {@link #replay(FailedEventHandler, Duration)} hands each to code instead, which leaves the
 * product topic, and so every other group reading it, untouched.
 *
 * <p>Both record their progress in one consumer group, {@code {dlq topic}.replay}: a dead letter
 * replayed either way is not replayed again.
 *
 * <p>Thread-safety: not thread-safe; replay from one thread at a time.
 *
 * @param <T> the product type
 */
public interface DeadLetters<T> {
  /**
   * The dead-letter topic.
   *
   * @return the topic
   */
  String topic();

  /**
   * Replays the dead letters present now (not those arriving during the replay) to their original
   * topics, and records the progress in the consumer group {@code {dlq topic}.replay}, so a second
   * call replays only newer dead letters.
   *
   * @param timeout how long the replay may take
   * @return how many records were replayed
   * @throws NullPointerException if the timeout is null
   * @throws io.meshsdk.errors.MeshException if the replay cannot finish within the timeout
   */
  long replay(Duration timeout);

  /**
   * Replays the dead letters present now through a handler instead of the product topic: each is
   * decoded into the product's class when it can be and handed over with what went wrong. Progress
   * is recorded in {@code {dlq topic}.replay} as dead letters are handled; when the handler throws,
   * the replay stops there, and the next replay starts with that dead letter. Nothing is skipped: a
   * dead letter that cannot be decoded is still handed over, with {@link
   * FailedEvent#decodingError()}.
   *
   * @param handler what to do with each dead letter
   * @param timeout how long the replay may take
   * @return how many dead letters the handler took
   * @throws NullPointerException if an argument is null
   * @throws io.meshsdk.errors.MeshException if the handler throws (the cause), the schema registry
   *     cannot be reached, or the replay cannot finish within the timeout
   */
  long replay(FailedEventHandler<T> handler, Duration timeout);
}
