package io.meshsdk.serde.internal;

import io.meshsdk.registry.RegisteredSchema;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.DecodeLimits;
import io.meshsdk.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads record keys written by Confluent's Avro key serializer: magic byte {@code 0}, a 4-byte
 * schema id, Avro binary. A key counts as such only when its schema id is one the registry holds
 * under one of the topic's key subjects ({@code {topic}-key}, the record's full name or {@code
 * {topic}-{record}}, the three naming strategies): bytes that merely start with a zero (an 8-byte
 * {@code long} below 2^56) would otherwise be read under whatever schema their next four bytes
 * happen to name. The writer schema comes from the registry with its {@link DataBounds}, since a
 * key's schema is as foreign as a value's; the key becomes text: a string as it is, anything else
 * as Avro's JSON form.
 *
 * <p>Only answers are cached: schemas by id (bounded by what the registry holds) and, per topic,
 * whether an id is one of its key schemas. Ids the registry does not know are not remembered here
 * (the registry client's own negative cache expires), so hostile keys with random ids cannot grow
 * memory. Thread-safe.
 */
public final class AvroKeys {
  private static final Optional<String> NOT_AVRO = Optional.empty();

  private final SchemaRegistry registry;
  private final DecodeLimits limits;
  private final ConcurrentHashMap<Integer, Prepared> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, Boolean>> keySchemas =
      new ConcurrentHashMap<>();

  /** A key schema ready to read: its bounds and its reader, built once per schema id. */
  private record Prepared(Schema schema, DataBounds bounds, GenericDatumReader<Object> reader) {}

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
   * The key as text when it is Confluent-framed Avro of one of the topic's key schemas.
   *
   * @param topic the record's topic, whose key subjects the schema id must belong to
   * @param key the key bytes
   * @return the decoded key as text; empty when the bytes are not such a key (no magic byte, an id
   *     the registry does not hold or holds for no key subject of the topic, bytes that do not
   *     decode, a registry that refuses to answer for good)
   * @throws SchemaRegistryException when the registry cannot answer for now (retriable: the caller
   *     waits, as for a value)
   */
  public Optional<String> decode(String topic, byte[] key) {
    if (key.length < WireFormat.HEADER_SIZE + 1 || key[0] != 0) {
      return NOT_AVRO;
    }
    int id = WireFormat.schemaId(key);
    Prepared p = byId.get(id);
    if (p == null) {
      p = prepare(id);
      if (p == null) {
        return NOT_AVRO;
      }
      byId.putIfAbsent(id, p);
    }
    if (!isKeySchema(topic, id, p.schema())) {
      return NOT_AVRO;
    }
    int length = key.length - WireFormat.HEADER_SIZE;
    try {
      if (p.bounds().needed(length)) {
        p.bounds().check(key, WireFormat.HEADER_SIZE, length);
      }
      SafeDecoder in = new SafeDecoder().reset(key, WireFormat.HEADER_SIZE, length);
      Object value = p.reader().read(null, in);
      if (in.remaining() != 0) {
        return NOT_AVRO;
      }
      return Optional.of(
          value instanceof CharSequence s ? s.toString() : GenericData.get().toString(value));
    } catch (Exception | StackOverflowError e) {
      return NOT_AVRO; // not a key of that schema after all
    }
  }

  /** The writer schema of an id, or null when the registry holds none (not cached). */
  private @Nullable Prepared prepare(int id) {
    Schema schema;
    try {
      schema = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.isRetriable()) {
        throw e; // an outage: the record waits
      }
      return null; // a definite answer: these bytes are not such a key
    } catch (RuntimeException e) {
      throw outage("look up schema id " + id, e);
    }
    DataBounds bounds;
    try {
      bounds = DataBounds.of(schema, limits);
    } catch (RuntimeException | StackOverflowError e) {
      return null; // a schema too hostile to bound is not read
    }
    return new Prepared(
        schema, bounds, new GenericDatumReader<>(schema, schema, GenericData.get()));
  }

  /** Whether the topic's key subjects hold the schema under this id; answers are cached. */
  private boolean isKeySchema(String topic, int id, Schema schema) {
    ConcurrentHashMap<Integer, Boolean> known =
        keySchemas.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
    Boolean answer = known.get(id);
    if (answer == null) {
      answer = lookUpKeySubjects(topic, id, schema);
      known.putIfAbsent(id, answer);
    }
    return answer;
  }

  private boolean lookUpKeySubjects(String topic, int id, Schema schema) {
    List<String> subjects = new ArrayList<>(3);
    subjects.add(topic + "-key");
    if (schema.getType() == Schema.Type.RECORD
        || schema.getType() == Schema.Type.ENUM
        || schema.getType() == Schema.Type.FIXED) {
      subjects.add(schema.getFullName());
      subjects.add(topic + "-" + schema.getFullName());
    }
    for (String subject : subjects) {
      try {
        Optional<RegisteredSchema> found = registry.lookup(subject, schema);
        if (found.isPresent() && found.get().id() == id) {
          return true;
        }
      } catch (SchemaRegistryException e) {
        if (e.isRetriable()) {
          throw e;
        }
        // no such subject, or one this client may not read: not a key of this topic
      } catch (RuntimeException e) {
        throw outage("look up key subject " + subject, e);
      }
    }
    return false;
  }

  private static SchemaRegistryException outage(String what, RuntimeException e) {
    // a registry implementation failing unexpectedly is an outage, as for values
    return new SchemaRegistryException(
        SchemaRegistryException.Kind.UNAVAILABLE,
        "the registry failed to " + what + " for a record key: " + e,
        e);
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
