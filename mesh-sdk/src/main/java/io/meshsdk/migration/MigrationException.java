package io.meshsdk.migration;

import io.meshsdk.errors.MeshException;

/**
 * A migration function failed on a value. Consumers treat it like a handler error (retried, then
 * dead-lettered with the reason {@code migration}); dual publishing counts the translation as
 * failed.
 *
 * <p>Thread-safety: immutable.
 */
public class MigrationException extends MeshException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the versions
   * @param cause the migration function's exception
   */
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Retriable, like a handler error: the function may depend on something that recovers.
   *
   * @return {@code true}
   */
  @Override
  public boolean isRetriable() {
    return true;
  }
}
