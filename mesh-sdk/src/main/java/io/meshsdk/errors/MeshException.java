package io.meshsdk.errors;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception Mesh SDK throws. Unchecked, like Kafka's own client exceptions.
 *
 * <p>Catch this type to handle any SDK failure; use {@link #isRetriable()} to decide whether the
 * same call may succeed later. Messages never contain payload values.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class MeshException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, naming the product, topic, subject or schema id involved
   */
  public MeshException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and its cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure, may be {@code null}
   */
  public MeshException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether the operation that failed may succeed if tried again unchanged (for example after a
   * registry or broker outage). Configuration errors and contract violations are never retriable.
   *
   * @return {@code true} when a retry can help
   */
  public boolean isRetriable() {
    return false;
  }
}
