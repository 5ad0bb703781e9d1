package io.meshsdk.processor;

import io.meshsdk.producer.SendOptions;
import io.meshsdk.producer.SendResult;
import java.util.concurrent.CompletableFuture;

/**
 * Where a processor's function sends its results. Each result lists the consumed event as its
 * parent. Only valid during the function call, on the processor's thread.
 *
 * @param <O> the output product type
 */
public interface Output<O> {
  /**
   * Sends a result.
   *
   * @param value the result
   * @return completes when acknowledged (in exactly-once mode: when the transaction's records are
   *     handed to the broker; they become visible when the batch commits)
   * @throws io.meshsdk.contract.ContractViolationException if the result breaks its contract
   */
  CompletableFuture<SendResult> send(O value);

  /**
   * Sends a result with options.
   *
   * @param value the result
   * @param options event time, headers, extra parents
   * @return as {@link #send(Object)}
   * @throws io.meshsdk.contract.ContractViolationException if the result breaks its contract
   */
  CompletableFuture<SendResult> send(O value, SendOptions options);
}
