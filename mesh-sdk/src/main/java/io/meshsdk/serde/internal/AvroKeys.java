package io.meshsdk.serde.internal;

import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.DecodeLimits;
import io.meshsdk.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;

/**
 * Reads record keys written by Confluent's Avro key serializer: magic byte {@code 0}, a 4-byte
 * schema id, Avro binary. The writer schema comes from the registry (cached per id, with its {@link
 * DataBounds}, since a key's schema is as foreign as a value's); the key becomes text: a string as
 * it is, anything else as Avro's JSON form. Thread-safe.
 */
public final class AvroKeys {
  private static final Optional<String> NOT_AVRO = Optional.empty();

  private final SchemaRegistry registry;
  private final DecodeLimits limits;
  private final ConcurrentHashMap<Integer, Optional<Prepared>> byId = new ConcurrentHashMap<>();

  private record Prepared(Schema schema, DataBounds bounds) {}

  /**
   * A reader of keys.
   *
   * @param registry where writer schemas come from
   * @param limits bounds of the work of one key
   */
  public AvroKeys(SchemaRegistry registry, DecodeLimits limits) {
    this.registry = registry;
    this.limits = limits;
  }

  /**
   * The key as text when it is Confluent-framed Avro of a schema the registry holds.
   *
   * @param key the key bytes
   * @return the decoded key as text; empty when the bytes are not such a key (no magic byte, an id
   *     the registry does not know, bytes that do not decode)
   * @throws SchemaRegistryException when the registry cannot answer (an outage: the caller waits)
   */
  public Optional<String> decode(byte[] key) {
    if (key.length < WireFormat.HEADER_SIZE + 1 || key[0] != 0) {
      return NOT_AVRO;
    }
    int id = WireFormat.schemaId(key);
    Optional<Prepared> prepared = byId.get(id);
    if (prepared == null) {
      prepared = prepare(id);
      byId.putIfAbsent(id, prepared);
    }
    if (prepared.isEmpty()) {
      return NOT_AVRO;
    }
    Prepared p = prepared.get();
    int length = key.length - WireFormat.HEADER_SIZE;
    try {
      if (p.bounds().needed(length)) {
        p.bounds().check(key, WireFormat.HEADER_SIZE, length);
      }
      SafeDecoder in = new SafeDecoder().reset(key, WireFormat.HEADER_SIZE, length);
      Object value =
          new GenericDatumReader<>(p.schema(), p.schema(), GenericData.get()).read(null, in);
      if (in.remaining() != 0) {
        return NOT_AVRO;
      }
      return Optional.of(
          value instanceof CharSequence s ? s.toString() : GenericData.get().toString(value));
    } catch (Exception | StackOverflowError e) {
      return NOT_AVRO; // not a key of that schema after all
    }
  }

  /** The writer schema of an id, or empty when the registry says there is none. */
  private Optional<Prepared> prepare(int id) {
    Schema schema;
    try {
      schema = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.kind() == SchemaRegistryException.Kind.SCHEMA_NOT_FOUND
          || e.kind() == SchemaRegistryException.Kind.INVALID_SCHEMA) {
        return Optional.empty(); // a definite answer: these bytes are not such a key
      }
      throw e;
    }
    try {
      return Optional.of(new Prepared(schema, DataBounds.of(schema, limits)));
    } catch (RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /**
   * Whether bytes are text: valid UTF-8 (nothing {@code new String} had to replace) without control
   * characters other than tab, line feed and carriage return, which no text key holds but binary
   * keys (a serialized {@code long}, a framed key of an unknown schema) nearly always do.
   *
   * @param bytes the bytes
   * @param decoded {@code new String(bytes, UTF_8)}
   * @return whether they are text
   */
  public static boolean isText(byte[] bytes, String decoded) {
    int replacements = 0;
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c == '\uFFFD') {
        replacements++;
      } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F) {
        return false;
      }
    }
    if (replacements == 0) {
      return true;
    }
    // a replacement character that was in the bytes (EF BF BD) is text; one put there is not
    int encoded = 0;
    for (int i = 0; i + 2 < bytes.length; i++) {
      if ((bytes[i] & 0xFF) == 0xEF
          && (bytes[i + 1] & 0xFF) == 0xBF
          && (bytes[i + 2] & 0xFF) == 0xBD) {
        encoded++;
      }
    }
    return replacements == encoded;
  }

  /** UTF-8 text of bytes. */
  public static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
