package io.meshsdk.crypto;

import io.meshsdk.errors.MeshException;
import org.jspecify.annotations.Nullable;

/**
 * A key could not be created, wrapped, unwrapped, stored or read. Its message names the key
 * reference and the service, never key material or a field's value.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class KeyManagementException extends MeshException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   * @param cause the cause, or null
   */
  public KeyManagementException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
