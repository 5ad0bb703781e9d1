package io.meshsdk.producer;

import io.meshsdk.errors.MeshException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The broker did not acknowledge a record. {@link #isRetriable()} follows Kafka's classification of
 * the cause (a time-out or an unavailable leader may pass; an authorization failure will not). The
 * idempotent producer has already retried within {@code delivery.timeout.ms}.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class SendFailedException extends MeshException {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming product and topic
   * @param cause Kafka's exception
   */
  public SendFailedException(String message, Throwable cause) {
    super(message, cause);
    this.retriable = cause instanceof RetriableException;
  }

  @Override
  public boolean isRetriable() {
    return retriable;
  }
}
