package io.meshsdk.registry;

import io.meshsdk.errors.MeshException;
import org.jspecify.annotations.Nullable;

/**
 * A schema registry refused or failed a request. {@link #kind()} says what happened, with the
 * Confluent error code where there is one; {@link #isRetriable()} is true for outages (server
 * errors, time-outs, unreachable hosts) and false for answers that will not change (not found,
 * incompatible, invalid). Messages name the subject or id, never credentials.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class SchemaRegistryException extends MeshException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, with Confluent's error code. */
  public enum Kind {
    /** The subject does not exist (40401). */
    SUBJECT_NOT_FOUND(40401, false),
    /** The version does not exist under the subject (40402). */
    VERSION_NOT_FOUND(40402, false),
    /** No schema has the id, or the schema is not under the subject (40403). */
    SCHEMA_NOT_FOUND(40403, false),
    /** The schema is incompatible with earlier versions (409). */
    INCOMPATIBLE(409, false),
    /** The subject was soft-deleted already (40404). */
    SUBJECT_SOFT_DELETED(40404, false),
    /** A permanent delete of a subject that was not soft-deleted first (40405). */
    SUBJECT_NOT_SOFT_DELETED(40405, false),
    /** The subject has no compatibility mode of its own (40408). */
    SUBJECT_COMPATIBILITY_NOT_SET(40408, false),
    /** The schema is not valid Avro (42201). */
    INVALID_SCHEMA(42201, false),
    /** The version is not valid (42202). */
    INVALID_VERSION(42202, false),
    /** The credentials were refused (401, 403). */
    UNAUTHORIZED(401, false),
    /** The registry failed or could not be reached (5xx, I/O errors, time-outs). */
    UNAVAILABLE(50001, true),
    /** Any other refusal. */
    OTHER(0, false);

    private final int code;
    private final boolean retriable;

    Kind(int code, boolean retriable) {
      this.code = code;
      this.retriable = retriable;
    }

    /**
     * The Confluent error code.
     *
     * @return the code, {@code 0} when there is none
     */
    public int code() {
      return code;
    }
  }

  private final Kind kind;

  /**
   * Creates the exception.
   *
   * @param kind what went wrong
   * @param message details naming the subject or id
   */
  public SchemaRegistryException(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param kind what went wrong
   * @param message details naming the subject or id
   * @param cause the underlying failure, may be {@code null}
   */
  public SchemaRegistryException(Kind kind, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * What went wrong.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  @Override
  public boolean isRetriable() {
    return kind.retriable;
  }
}
