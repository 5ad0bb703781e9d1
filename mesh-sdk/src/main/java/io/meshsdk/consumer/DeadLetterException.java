package io.meshsdk.consumer;

import io.meshsdk.errors.MeshException;
import org.jspecify.annotations.Nullable;

/**
 * A record could not be written to its dead-letter topic, so its consumer stopped rather than lose
 * it: the record stays unconsumed (its offset is not committed) and is read again when a consumer
 * of the group starts. {@link #isRetriable()} says whether the cause may pass (the broker was
 * unreachable during every attempt) or will not (the consumer may not write to the dead-letter
 * topic, the topic name is invalid, or even a copy without value, key and headers is too large).
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class DeadLetterException extends MeshException {
  private static final long serialVersionUID = 1L;
  private final boolean retriable;

  /**
   * Creates the exception.
   *
   * @param message names the record and the dead-letter topic, never payload values
   * @param retriable whether trying again later may succeed
   * @param cause what the producer reported
   */
  public DeadLetterException(String message, boolean retriable, @Nullable Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  @Override
  public boolean isRetriable() {
    return retriable;
  }
}
