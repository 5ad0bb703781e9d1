package io.meshsdk.consumer;

import io.meshsdk.serde.RecordDecodingException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a record failed: the handler threw, a migration failed, the record could not be decoded (one
 * constant per {@link RecordDecodingException.Reason}), or a share group's delivery limit was
 * reached. {@link #code()} is what dead letters carry in their {@code mesh.dlq.reason} header.
 *
 * <p>Constants may be added in later versions (a {@code switch} over this enum should have a {@code
 * default}); codes of existing constants never change, since dead letters written years ago carry
 * them.
 *
 * <p>Thread-safety: immutable.
 */
public enum FailureReason {
  /** The handler threw. */
  HANDLER,
  /** Translating the record between majors failed ({@code MigrationException} in the chain). */
  MIGRATION,
  /** See {@link RecordDecodingException.Reason#WRONG_MAGIC_BYTE}. */
  WRONG_MAGIC_BYTE,
  /** See {@link RecordDecodingException.Reason#UNKNOWN_SCHEMA_ID}. */
  UNKNOWN_SCHEMA_ID,
  /** See {@link RecordDecodingException.Reason#TRUNCATED}. */
  TRUNCATED,
  /** See {@link RecordDecodingException.Reason#TRAILING_BYTES}. */
  TRAILING_BYTES,
  /** See {@link RecordDecodingException.Reason#CORRUPT_LENGTH}. */
  CORRUPT_LENGTH,
  /** See {@link RecordDecodingException.Reason#INCOMPATIBLE_WRITER_SCHEMA}. */
  INCOMPATIBLE_WRITER_SCHEMA,
  /** See {@link RecordDecodingException.Reason#INVALID_VALUE}. */
  INVALID_VALUE,
  /** See {@link RecordDecodingException.Reason#LIMIT_EXCEEDED}. */
  LIMIT_EXCEEDED,
  /** See {@link RecordDecodingException.Reason#DECODER_FAILURE}. */
  DECODER_FAILURE,
  /** See {@link RecordDecodingException.Reason#KEY_UNAVAILABLE}. */
  KEY_UNAVAILABLE,
  /**
   * A share group delivered the record for the last time its {@code share.delivery.count.limit}
   * allows (members crashed or timed out on it before): it is dead-lettered without calling the
   * handler, since Kafka would archive it, unkept, if it came back. See {@link MeshShareConsumer}.
   */
  DELIVERY_LIMIT,
  /**
   * A bridge could not read a legacy record in its source format, or its mapping threw or returned
   * nothing. See {@link io.meshsdk.bridge.MeshBridge}.
   */
  UNMAPPABLE,
  /**
   * A bridge mapped a legacy record to a value that breaks the product's contract. See {@link
   * io.meshsdk.bridge.MeshBridge}.
   */
  CONTRACT_VIOLATION;

  private final String code = name().toLowerCase(Locale.ROOT);

  /**
   * The reason as dead letters record it: the name in lower case ({@code handler}, {@code
   * wrong_magic_byte}, ...).
   *
   * @return the code
   */
  public String code() {
    return code;
  }

  /**
   * Whether the record itself could not be decoded (the same bytes fail the same way every time).
   *
   * @return true for the decoding reasons
   */
  public boolean isDecoding() {
    return switch (this) {
      case HANDLER, MIGRATION, DELIVERY_LIMIT, UNMAPPABLE, CONTRACT_VIOLATION -> false;
      default -> true;
    };
  }

  /**
   * The failure reason for a decoding reason.
   *
   * @param reason why decoding failed
   * @return the matching constant
   */
  public static FailureReason of(RecordDecodingException.Reason reason) {
    return valueOf(Objects.requireNonNull(reason, "reason").name());
  }

  /**
   * The reason with a code, as read from a dead letter's {@code mesh.dlq.reason} header.
   *
   * @param code the code, for instance {@code handler}
   * @return the reason, or empty for a code this version does not know (written by a later version,
   *     or by another tool)
   */
  public static Optional<FailureReason> fromCode(String code) {
    Objects.requireNonNull(code, "code");
    for (FailureReason r : values()) {
      if (r.code.equals(code)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
