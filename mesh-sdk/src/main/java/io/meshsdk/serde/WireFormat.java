package io.meshsdk.serde;

import io.meshsdk.serde.RecordDecodingException.Reason;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

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

  /** The header Confluent's serializers put the value's schema id in, when told to. */
  public static final String CONFLUENT_VALUE_SCHEMA_ID_HEADER = "__value_schema_id";

  /** The header Apicurio's serializers put the value's global id in (headers enabled). */
  public static final String APICURIO_VALUE_GLOBAL_ID_HEADER = "apicurio.value.globalId";

  /** The header Apicurio's serializers put the value's content id in ({@code use-id=contentId}). */
  public static final String APICURIO_VALUE_CONTENT_ID_HEADER = "apicurio.value.contentId";

  private static final byte GUID_MAGIC_BYTE = 1;
  private static final int LEGACY_HEADER_SIZE = 9;

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
   * Finds a value's schema id, wherever its serializer put it: Confluent's schema-id header
   * ({@value #CONFLUENT_VALUE_SCHEMA_ID_HEADER}, with an id or a GUID), Apicurio's headers ({@value
   * #APICURIO_VALUE_GLOBAL_ID_HEADER}, {@value #APICURIO_VALUE_CONTENT_ID_HEADER}), or the value's
   * prefix: the Confluent one (byte 0, a 4-byte id) or Apicurio's legacy one (byte 0, an 8-byte
   * global id, told apart by its first four id bytes being zero: no registry gives out id 0, and a
   * global id needs more than 32 bits before its first four bytes are not). A header wins over the
   * prefix; the last of a repeated header counts, as in Kafka's {@code lastHeader}.
   *
   * @param data the value
   * @param headers the record's headers, or null when there are none to look at
   * @return where the id is, and where the body starts
   * @throws RecordDecodingException with {@link Reason#TRUNCATED} or {@link
   *     Reason#WRONG_MAGIC_BYTE} when neither a header nor the prefix holds an id, or a schema-id
   *     header is malformed
   */
  public static SchemaIdLocation locate(byte[] data, @Nullable Headers headers) {
    Objects.requireNonNull(data, "data");
    if (headers != null) {
      Header confluent = null;
      Header global = null;
      Header content = null;
      for (Header h : headers) {
        String key = h.key();
        if (key.isEmpty()) {
          continue;
        }
        char first = key.charAt(0);
        if (first == '_' && key.equals(CONFLUENT_VALUE_SCHEMA_ID_HEADER)) {
          confluent = h;
        } else if (first == 'a') {
          if (key.equals(APICURIO_VALUE_GLOBAL_ID_HEADER)) {
            global = h;
          } else if (key.equals(APICURIO_VALUE_CONTENT_ID_HEADER)) {
            content = h;
          }
        }
      }
      if (confluent != null) {
        return confluentHeader(confluent.value());
      }
      if (global != null) {
        return new SchemaIdLocation(
            SchemaIdSource.APICURIO_GLOBAL_ID_HEADER, apicurioId(global), null, 0);
      }
      if (content != null) {
        return new SchemaIdLocation(
            SchemaIdSource.APICURIO_CONTENT_ID_HEADER, apicurioId(content), null, 0);
      }
    }
    int id = schemaId(data);
    if (id == 0 && data.length >= LEGACY_HEADER_SIZE) {
      long globalId = 0;
      for (int i = 1; i < LEGACY_HEADER_SIZE; i++) {
        globalId = (globalId << 8) | (data[i] & 0xff);
      }
      return new SchemaIdLocation(
          SchemaIdSource.APICURIO_LEGACY_PREFIX, globalId, null, LEGACY_HEADER_SIZE);
    }
    return new SchemaIdLocation(SchemaIdSource.CONFLUENT_PREFIX, id, null, HEADER_SIZE);
  }

  /**
   * Removes the schema-id headers other serializers write ({@link #locate} reads them before the
   * prefix): a value written in the Confluent framing must not carry a header naming another
   * schema, as a record copied or forwarded from another serializer's topic would.
   *
   * @param headers the headers of a record being written; null is ignored
   */
  public static void removeSchemaIdHeaders(@Nullable Headers headers) {
    if (headers == null) {
      return;
    }
    headers.remove(CONFLUENT_VALUE_SCHEMA_ID_HEADER);
    headers.remove(APICURIO_VALUE_GLOBAL_ID_HEADER);
    headers.remove(APICURIO_VALUE_CONTENT_ID_HEADER);
  }

  private static SchemaIdLocation confluentHeader(byte @Nullable [] v) {
    if (v != null && v.length == HEADER_SIZE && v[0] == MAGIC_BYTE) {
      return new SchemaIdLocation(SchemaIdSource.CONFLUENT_HEADER, schemaId(v), null, 0);
    }
    if (v != null && v.length == 17 && v[0] == GUID_MAGIC_BYTE) {
      ByteBuffer b = ByteBuffer.wrap(v, 1, 16);
      return new SchemaIdLocation(
          SchemaIdSource.CONFLUENT_HEADER_GUID, -1, new UUID(b.getLong(), b.getLong()), 0);
    }
    throw new RecordDecodingException(
        v == null || v.length == 0 ? Reason.TRUNCATED : Reason.WRONG_MAGIC_BYTE,
        "header "
            + CONFLUENT_VALUE_SCHEMA_ID_HEADER
            + " holds "
            + (v == null
                ? "nothing"
                : v.length + " bytes starting 0x" + (v.length > 0 ? hex(v[0]) : ""))
            + ", not byte 0 and a 4-byte id, nor byte 1 and a 16-byte GUID");
  }

  private static long apicurioId(Header h) {
    byte[] v = h.value();
    if (v == null || v.length != 8) {
      throw new RecordDecodingException(
          Reason.TRUNCATED,
          "header "
              + h.key()
              + " holds "
              + (v == null ? "nothing" : v.length + " bytes")
              + ", not an 8-byte id");
    }
    return ByteBuffer.wrap(v).getLong();
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
