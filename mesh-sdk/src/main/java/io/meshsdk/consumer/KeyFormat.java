package io.meshsdk.consumer;

/**
 * How a consumed record's key was read ({@link ConsumedEvent#keyFormat()}): the key of a Mesh
 * product is UTF-8 text, but topics written by other producers may carry keys Confluent's Avro key
 * serializer wrote (a magic byte, a schema id, Avro), or bytes that are not text at all. A key is
 * never turned into garbage text: what cannot be read as text is left as bytes ({@link
 * ConsumedEvent#rawKey()}).
 */
public enum KeyFormat {
  /** The record has no key. */
  NONE,
  /**
   * UTF-8 text without control characters (tab, line feed and carriage return aside); {@code key()}
   * is it.
   */
  TEXT,
  /**
   * Confluent-framed Avro whose writer schema the registry holds; {@code key()} is the decoded
   * value as text (a string as it is, a record or another type as JSON).
   */
  AVRO,
  /**
   * Bytes that are neither text nor framed Avro the registry knows (a serialized number, a framed
   * key whose schema id the registry does not hold); {@code key()} is null.
   */
  BINARY
}
