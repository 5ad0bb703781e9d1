package io.meshsdk.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshsdk.bridge.internal.Formats;
import io.meshsdk.registry.SchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/**
 * How a bridge reads the values of a legacy topic. The factories cover the formats topics are
 * commonly written in; a team implements this interface for any other (CSV, Protobuf, XML).
 *
 * <p>What {@link #read} throws dead-letters the record with reason {@code unmappable} and its
 * original bytes, except a {@link io.meshsdk.registry.SchemaRegistryException} that {@link
 * io.meshsdk.registry.SchemaRegistryException#isRetriable() is retriable}: the registry is down,
 * the record is fine, and the bridge waits for the registry instead.
 *
 * <p>Thread-safety: implementations must be thread-safe (several bridges may share one format); the
 * factories' formats are.
 *
 * @param <S> what it reads
 */
public interface SourceFormat<S> {

  /**
   * The format's name, the last part of the type bridged records name their legacy parent by
   * ({@code legacy.json}, unless the bridge is given a {@link MeshBridge.Builder#sourceType}).
   *
   * @return a short name such as {@code json}, without {@code ;} or {@code ,}
   */
  String name();

  /**
   * Reads one value.
   *
   * @param value the record's value bytes (never null: tombstones do not reach a format)
   * @param headers the record's headers
   * @return what the mapping gets
   * @throws Exception when the bytes are not of this format
   */
  S read(byte[] value, Headers headers) throws Exception;

  /**
   * JSON without a schema, as a tree.
   *
   * @return the format
   */
  static SourceFormat<JsonNode> json() {
    return Formats.jsonTree(Formats.lenientMapper());
  }

  /**
   * JSON without a schema, bound to a class with Jackson. Properties the class does not have are
   * ignored, since legacy records often carry more than the mapping needs.
   *
   * @param type a class Jackson can bind (a record, a bean, a map)
   * @param <S> the type
   * @return the format
   */
  static <S> SourceFormat<S> json(Class<S> type) {
    return Formats.json(type, Formats.lenientMapper());
  }

  /**
   * JSON bound with the given mapper (its modules, naming and strictness).
   *
   * @param type the class
   * @param mapper the mapper; it must not be reconfigured afterwards
   * @param <S> the type
   * @return the format
   */
  static <S> SourceFormat<S> json(Class<S> type, ObjectMapper mapper) {
    return Formats.json(type, mapper);
  }

  /**
   * JSON that must conform to a JSON Schema (2020-12 unless the schema's {@code $schema} says
   * otherwise), then bound to a class. A record that does not conform is dead-lettered with the
   * validator's messages. Records written by Confluent's JSON Schema serializer (magic byte 0, a
   * 4-byte schema id, the JSON) are read too: the prefix is skipped, the given schema decides.
   *
   * <p>Needs {@code com.networknt:json-schema-validator} (2.x) on the class path.
   *
   * @param type the class
   * @param jsonSchema the JSON Schema document
   * @param <S> the type
   * @return the format
   * @throws io.meshsdk.errors.MeshConfigurationException if the validator is not on the class path
   *     or the schema cannot be read
   */
  static <S> SourceFormat<S> jsonSchema(Class<S> type, String jsonSchema) {
    return Formats.jsonSchema(type, jsonSchema, Formats.lenientMapper());
  }

  /**
   * Plain Avro binary, no framing, all written with one known writer schema.
   *
   * @param writerSchema the schema the records were written with
   * @return the format
   */
  static SourceFormat<GenericRecord> avro(Schema writerSchema) {
    return Formats.avro(writerSchema);
  }

  /**
   * Avro written by a registry-aware serializer with a schema that is not a Mesh product's (another
   * team's, another tool's): the writer schema is looked up in a registry and cached, its id read
   * wherever the serializer put it ({@link io.meshsdk.serde.WireFormat#locate}): the Confluent
   * prefix, Confluent's schema-id header (an id or a GUID), Apicurio's global or content id
   * headers, or Apicurio's legacy 8-byte prefix.
   *
   * @param registry the registry holding the writer schemas (the mesh's own or another team's); not
   *     closed by the format
   * @return the format
   */
  static SourceFormat<GenericRecord> confluentAvro(SchemaRegistry registry) {
    return Formats.confluentAvro(registry);
  }

  /**
   * UTF-8 text.
   *
   * @return the format
   */
  static SourceFormat<String> string() {
    return Formats.string();
  }
}
