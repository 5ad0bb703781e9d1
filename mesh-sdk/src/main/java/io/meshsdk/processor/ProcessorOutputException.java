package io.meshsdk.processor;

import io.meshsdk.errors.MeshException;

/**
 * A processor's output was not acknowledged by the broker (a timeout, a refused write), so the
 * input is retried like a handler failure and, when retries run out, dead-lettered with the reason
 * {@code handler}. An {@link io.meshsdk.consumer.ErrorHandler} of a processor sees it as the
 * failure's error; the cause is what the producer reported.
 *
 * <p>Retriable. Thread-safety: immutable once thrown.
 */
public final class ProcessorOutputException extends MeshException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which output failed, without payload values
   * @param cause what the producer reported
   */
  public ProcessorOutputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
