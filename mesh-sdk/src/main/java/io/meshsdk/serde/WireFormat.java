package io.meshsdk.serde;

import io.meshsdk.serde.RecordDecodingException.Reason;
import java.util.Objects;

/**
 * The Confluent wire format: byte {@code 0} (the magic byte), the schema id as a 4-byte big-endian
 * integer, then the Avro binary body.
 *
 * <p>Thread-safety: stateless.
 */
public final class WireFormat {
  /** The first byte of every framed record. */
  public static final byte MAGIC_BYTE = 0;

  /** Bytes before the Avro body. */
  public static final int HEADER_SIZE = 5;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private WireFormat() {}

  /**
   * Reads the schema id from a framed record.
   *
   * @param data the framed bytes
   * @return the schema id
   * @throws RecordDecodingException with {@link Reason#TRUNCATED} when shorter than the header, or
   *     {@link Reason#WRONG_MAGIC_BYTE}
   */
  public static int schemaId(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length < HEADER_SIZE) {
      throw new RecordDecodingException(
          Reason.TRUNCATED,
          "record of " + data.length + " bytes is shorter than the 5-byte header");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new RecordDecodingException(
          Reason.WRONG_MAGIC_BYTE,
          "first byte is 0x"
              + hex(data[0])
              + looksLike(data[0])
              + ", not the magic byte 0x00 ("
              + data.length
              + " bytes)");
    }
    return ((data[1] & 0xff) << 24)
        | ((data[2] & 0xff) << 16)
        | ((data[3] & 0xff) << 8)
        | (data[4] & 0xff);
  }

  /**
   * Writes the 5-byte header.
   *
   * @param schemaId the schema id
   * @param target where to write, at least 5 bytes from {@code offset}
   * @param offset the position of the magic byte
   */
  public static void writeHeader(int schemaId, byte[] target, int offset) {
    target[offset] = MAGIC_BYTE;
    target[offset + 1] = (byte) (schemaId >>> 24);
    target[offset + 2] = (byte) (schemaId >>> 16);
    target[offset + 3] = (byte) (schemaId >>> 8);
    target[offset + 4] = (byte) schemaId;
  }

  /**
   * What a first byte suggests the record is, for error messages: the only payload byte they show,
   * since a record that is not in the wire format may be plain text holding personal data.
   */
  private static String looksLike(byte b) {
    return switch (b) {
      case '{', '[' -> " (JSON?)";
      case 'O' -> " (an Avro container file?)";
      case 1 -> " (Apicurio's legacy 8-byte id prefix?)";
      default -> b >= 0x20 && b < 0x7f ? " (text?)" : "";
    };
  }

  private static String hex(byte b) {
    return new String(new char[] {HEX[(b >> 4) & 0xf], HEX[b & 0xf]});
  }
}
