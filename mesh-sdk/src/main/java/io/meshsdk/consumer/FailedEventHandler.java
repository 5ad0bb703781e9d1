package io.meshsdk.consumer;

/**
 * Handles dead letters replayed through code instead of the product topic ({@link
 * DeadLetters#replay(FailedEventHandler, java.time.Duration)}). Runs on the replaying thread, one
 * dead letter at a time, in order per partition of the dead-letter topic.
 *
 * @param <T> the product type
 */
@FunctionalInterface
public interface FailedEventHandler<T> {
  /**
   * Handles one dead letter. Returning counts it as replayed; throwing stops the replay at this
   * dead letter, which the next replay starts from.
   *
   * @param event the dead letter
   * @throws Exception to stop the replay here
   */
  void handle(FailedEvent<T> event) throws Exception;
}
