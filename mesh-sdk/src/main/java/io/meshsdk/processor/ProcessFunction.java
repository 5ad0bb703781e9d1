package io.meshsdk.processor;

import io.meshsdk.consumer.ConsumedEvent;

/**
 * Turns one consumed event into zero or more results.
 *
 * <p>Thread-safety: called on the processor's own thread, one event at a time; it need not be
 * thread-safe unless it shares state with other threads.
 *
 * @param <I> the input product type
 * @param <O> the output product type
 */
@FunctionalInterface
public interface ProcessFunction<I, O> {
  /**
   * Processes one event. Throwing fails the event like a consumer handler failure: retried, then
   * dead-lettered; in exactly-once mode the batch's outputs are discarded with it.
   *
   * @param event the input
   * @param out where results go
   * @throws Exception to fail the event
   */
  void process(ConsumedEvent<I> event, Output<O> out) throws Exception;
}
