package io.meshsdk.serde;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where a record's schema id is and what it is: found by {@link WireFormat#locate}.
 *
 * <p>Thread-safety: immutable.
 */
public final class SchemaIdLocation {
  private final SchemaIdSource source;
  private final long id;
  private final @Nullable UUID guid;
  private final int payloadOffset;

  /**
   * A location.
   *
   * @param source where the id was
   * @param id the id (a registry id, or Apicurio's global or content id); {@code -1} for a GUID
   * @param guid the schema's GUID for {@link SchemaIdSource#CONFLUENT_HEADER_GUID}, else null
   * @param payloadOffset where the Avro body starts in the value
   * @throws IllegalArgumentException if a GUID is given for another source or missing for that one,
   *     or the offset is negative
   */
  public SchemaIdLocation(SchemaIdSource source, long id, @Nullable UUID guid, int payloadOffset) {
    this.source = Objects.requireNonNull(source, "source");
    if ((source == SchemaIdSource.CONFLUENT_HEADER_GUID) != (guid != null)) {
      throw new IllegalArgumentException(source + " with guid " + guid);
    }
    if (payloadOffset < 0) {
      throw new IllegalArgumentException("payloadOffset " + payloadOffset);
    }
    this.id = id;
    this.guid = guid;
    this.payloadOffset = payloadOffset;
  }

  /**
   * Where the id was.
   *
   * @return the source
   */
  public SchemaIdSource source() {
    return source;
  }

  /**
   * The id: a registry id, or Apicurio's global or content id.
   *
   * @return the id, {@code -1} for a GUID
   */
  public long id() {
    return id;
  }

  /**
   * The schema's GUID.
   *
   * @return the GUID for {@link SchemaIdSource#CONFLUENT_HEADER_GUID}, empty otherwise
   */
  public Optional<UUID> guid() {
    return Optional.ofNullable(guid);
  }

  /**
   * Where the Avro body starts in the value.
   *
   * @return the offset
   */
  public int payloadOffset() {
    return payloadOffset;
  }

  /**
   * The id as an {@code int}, as {@code ConsumedEvent.schemaId()} reports it.
   *
   * @return the id, or {@code -1} for a GUID or an id beyond {@code int}
   */
  public int intId() {
    return id >= 0 && id <= Integer.MAX_VALUE ? (int) id : -1;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SchemaIdLocation l
        && l.source == source
        && l.id == id
        && Objects.equals(l.guid, guid)
        && l.payloadOffset == payloadOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, id, guid, payloadOffset);
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
