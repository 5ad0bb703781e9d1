package io.meshsdk.consumer;

/**
 * Decides what happens to a failed record. The default, {@link #retryThenDeadLetter(int)}, retries
 * retriable failures up to a number of attempts and dead-letters the rest. A handler that always
 * answers {@link ErrorAction#RETRY} holds its partition until the record passes.
 *
 * <p>Runs on the consumer's poll thread, or on its worker threads, concurrently, in parallel
 * handling ({@link MeshConsumer.Builder#parallel}); must be thread-safe then, and must not block.
 */
@FunctionalInterface
public interface ErrorHandler {
  /**
   * Decides.
   *
   * @param failure the failed record
   * @return the action
   */
  ErrorAction onFailure(Failure failure);

  /**
   * Retries retriable failures until {@code maxAttempts} attempts were made, then dead-letters;
   * dead-letters non-retriable failures at once.
   *
   * @param maxAttempts attempts per record, at least 1
   * @return the handler
   */
  static ErrorHandler retryThenDeadLetter(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    return f ->
        f.retriable() && f.attempts() < maxAttempts ? ErrorAction.RETRY : ErrorAction.DEAD_LETTER;
  }
}
