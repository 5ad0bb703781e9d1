package io.meshsdk.serde;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where a record's schema id is and what it is: found by {@link WireFormat#locate}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param source where the id was
 * @param id the id (a registry id, or Apicurio's global or content id); {@code -1} for a GUID
 * @param guid the schema's GUID for {@link SchemaIdSource#CONFLUENT_HEADER_GUID}, else null
 * @param payloadOffset where the Avro body starts in the value
 */
public record SchemaIdLocation(
    SchemaIdSource source, long id, @Nullable UUID guid, int payloadOffset) {

  /** Requires the source, and a GUID exactly for the GUID form. */
  public SchemaIdLocation {
    Objects.requireNonNull(source, "source");
    if ((source == SchemaIdSource.CONFLUENT_HEADER_GUID) != (guid != null)) {
      throw new IllegalArgumentException(source + " with guid " + guid);
    }
    if (payloadOffset < 0) {
      throw new IllegalArgumentException("payloadOffset " + payloadOffset);
    }
  }

  /**
   * The id as an {@code int}, as {@code ConsumedEvent.schemaId()} reports it.
   *
   * @return the id, or {@code -1} for a GUID or an id beyond {@code int}
   */
  public int intId() {
    return id >= 0 && id <= Integer.MAX_VALUE ? (int) id : -1;
  }

  /**
   * The id for messages.
   *
   * @return for instance {@code confluent_prefix 42} or {@code confluent_header_guid 3f2a...}
   */
  @Override
  public String toString() {
    return source.code() + " " + (guid != null ? guid.toString() : Long.toString(id));
  }
}
