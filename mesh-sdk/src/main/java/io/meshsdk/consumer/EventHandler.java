package io.meshsdk.consumer;

/**
 * Handles consumed events. Runs on the consumer's poll thread, one record at a time per consumer,
 * in partition order; a record's offset is committed only after this returns normally.
 *
 * @param <T> the product type
 */
@FunctionalInterface
public interface EventHandler<T> {
  /**
   * Handles one event. Throwing makes the consumer retry the record (with backoff) and, when
   * retries are exhausted or the exception is non-retriable, dead-letter it.
   *
   * @param event the event
   * @throws Exception to fail the record
   */
  void handle(ConsumedEvent<T> event) throws Exception;
}
