package io.meshsdk.crypto;

import io.meshsdk.errors.MeshException;
import org.jspecify.annotations.Nullable;

/**
 * A key could not be created, wrapped, unwrapped, stored or read. Its message names the key
 * reference and the service, never key material or a field's value. {@link #isRetriable()} is true
 * for outages (the KMS or the key store could not be reached, timed out, or failed on its side),
 * when the same call may succeed later; false for answers that will not change (access refused, a
 * wrapped key this KMS did not make, a shredded key).
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class KeyManagementException extends MeshException {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   * @param cause the cause, or null
   */
  public KeyManagementException(String message, @Nullable Throwable cause) {
    this(message, cause, false);
  }

  /**
   * Creates the exception, saying whether it is an outage.
   *
   * @param message what failed, without secrets
   * @param cause the cause, or null
   * @param retriable whether the same call may succeed later (an outage)
   */
  public KeyManagementException(String message, @Nullable Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  /**
   * Whether the KMS or the store was unavailable rather than refusing: the same call may succeed
   * later.
   *
   * @return {@code true} for an outage
   */
  @Override
  public boolean isRetriable() {
    return retriable;
  }
}
