package io.meshsdk.serde;

import io.meshsdk.errors.MeshException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Bytes could not be decoded into a product record. {@link #reason()} says why in a form a
 * dead-letter handler can record; the message names the topic and schema id where known, and shows
 * no payload beyond the first byte of a record that is not in the wire format, never a decoded
 * value. Not retriable: the same bytes fail the same way (an unreachable registry raises a
 * retriable {@code SchemaRegistryException} instead).
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class RecordDecodingException extends MeshException {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Reason {
    /** The first byte is not the Confluent magic byte {@code 0}. */
    WRONG_MAGIC_BYTE,
    /** The registry does not know the schema id in the header. */
    UNKNOWN_SCHEMA_ID,
    /** The input ended before the record did. */
    TRUNCATED,
    /** Bytes were left after the record. */
    TRAILING_BYTES,
    /** A length or count is negative, or larger than the input left. */
    CORRUPT_LENGTH,
    /** The writer's schema cannot be read with the reader's class. */
    INCOMPATIBLE_WRITER_SCHEMA,
    /** A value is out of range for its type (a bad UUID, an enum index, a date). */
    INVALID_VALUE,
    /**
     * The record nests deeper or holds more array items and map entries than the reader's {@link
     * DecodeLimits} allow (typically data of a hostile or recursive writer schema).
     */
    LIMIT_EXCEEDED,
    /**
     * The decoder failed in an unexpected way, an {@code Error} such as a stack overflow included;
     * the cause says how. The record is treated as undecodable rather than stopping its reader.
     */
    DECODER_FAILURE,
    /**
     * An encrypted field's data key is missing or may not be used by this reader, and the reader
     * was configured to fail rather than read the field as withheld ({@code
     * FieldEncryption.failOnMissingKey()}); or a product key (never shredded) is not in the key
     * store. The bytes are intact: replayed once the key is granted or found, the record decodes (a
     * shredded subject's never does).
     */
    KEY_UNAVAILABLE
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why decoding failed
   * @param message the details, without payload values
   */
  public RecordDecodingException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param reason why decoding failed
   * @param message the details, without payload values
   * @param cause the underlying failure, may be {@code null}
   */
  public RecordDecodingException(Reason reason, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
    this.reason = reason;
  }

  /**
   * Why decoding failed.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
