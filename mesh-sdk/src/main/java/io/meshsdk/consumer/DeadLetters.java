package io.meshsdk.consumer;

import java.time.Duration;

/**
 * The dead letters of one consumer group. {@link #replay(Duration)} sends every dead letter back to
 * the topic it came from (with its original key, value and headers, minus the {@code mesh.dlq.*}
 * headers), once the cause is fixed.
 *
 * <p>Thread-safety: not thread-safe; replay from one thread at a time.
 */
public interface DeadLetters {
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
   * @throws io.meshsdk.errors.MeshException if the replay cannot finish within the timeout
   */
  long replay(Duration timeout);
}
