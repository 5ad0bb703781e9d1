package io.meshsdk.serde;

import java.util.Locale;

/**
 * Where a record's schema id was: in the value's prefix or in a header, written by which kind of
 * serializer. {@link WireFormat#locate} finds it; consumers report it ({@code
 * ConsumedEvent.schemaIdSource()} and the meter {@code mesh.consume.schema.ids}).
 *
 * <p>Constants may be added in later versions (a {@code switch} over this enum should have a {@code
 * default}); codes never change.
 *
 * <p>Thread-safety: immutable.
 */
public enum SchemaIdSource {
  /**
   * The Confluent wire format: byte {@code 0}, the 4-byte id, the body. What Mesh, Confluent's
   * serializers and Apicurio's with {@code apicurio.registry.as-confluent} write.
   */
  CONFLUENT_PREFIX,
  /**
   * Confluent's schema-id header {@value WireFormat#CONFLUENT_VALUE_SCHEMA_ID_HEADER}: byte {@code
   * 0} and the 4-byte id; the value is the body alone.
   */
  CONFLUENT_HEADER,
  /**
   * Confluent's schema-id header in its GUID form: byte {@code 1} and the schema's 16-byte GUID;
   * the value is the body alone.
   */
  CONFLUENT_HEADER_GUID,
  /**
   * Apicurio's header {@value WireFormat#APICURIO_VALUE_GLOBAL_ID_HEADER}: the 8-byte global id;
   * the value is the body alone.
   */
  APICURIO_GLOBAL_ID_HEADER,
  /**
   * Apicurio's header {@value WireFormat#APICURIO_VALUE_CONTENT_ID_HEADER}: the 8-byte content id;
   * the value is the body alone.
   */
  APICURIO_CONTENT_ID_HEADER,
  /**
   * Apicurio's legacy prefix: byte {@code 0}, the 8-byte global id, the body. Told from the
   * Confluent prefix by its first four id bytes, which are zero (no registry gives out id 0).
   */
  APICURIO_LEGACY_PREFIX;

  private final String code = name().toLowerCase(Locale.ROOT);

  /**
   * The source as meters tag it: the name in lower case ({@code confluent_prefix}, ...).
   *
   * @return the code
   */
  public String code() {
    return code;
  }
}
