package io.meshsdk.serde;

import io.meshsdk.errors.MeshException;
import org.jspecify.annotations.Nullable;

/**
 * A record could not be encoded, for example a {@code null} in a field that is not nullable when
 * contract checks are off, or an {@code Instant} outside the range of its Avro type. Not retriable.
 * The message names the product and field, never the value.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class MeshSerializationException extends MeshException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming product and field
   * @param cause the underlying failure, may be {@code null}
   */
  public MeshSerializationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
