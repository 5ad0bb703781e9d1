package io.meshsdk.bridge.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.SchemaIdLocation;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.serde.internal.SafeDecoder;
import io.meshsdk.serde.internal.WriterSchemas;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/** The source formats {@link SourceFormat}'s factories return. All are thread-safe. */
public final class Formats {
  private static final ObjectMapper LENIENT =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Formats() {}

  /** A mapper that ignores properties the class does not have. */
  public static ObjectMapper lenientMapper() {
    return LENIENT;
  }

  /** JSON as a tree. */
  public static SourceFormat<JsonNode> jsonTree(ObjectMapper mapper) {
    ObjectReader reader = mapper.reader();
    return new Named<>("json") {
      @Override
      public JsonNode read(byte[] value, Headers headers) throws IOException {
        return reader.readTree(value);
      }
    };
  }

  /** JSON bound to a class. */
  public static <S> SourceFormat<S> json(Class<S> type, ObjectMapper mapper) {
    Objects.requireNonNull(type, "type");
    ObjectReader reader = Objects.requireNonNull(mapper, "mapper").readerFor(type);
    return new Named<>("json") {
      @Override
      public S read(byte[] value, Headers headers) throws IOException {
        return bound(reader.readValue(value), type);
      }
    };
  }

  /** JSON validated against a JSON Schema, then bound. */
  public static <S> SourceFormat<S> jsonSchema(Class<S> type, String schema, ObjectMapper mapper) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(schema, "jsonSchema");
    JsonSchemaCheck check;
    try {
      check = new JsonSchemaCheck(schema);
    } catch (NoClassDefFoundError e) {
      throw new MeshConfigurationException(
          "SourceFormat.jsonSchema needs com.networknt:json-schema-validator 2.x on the class path"
              + " (not found: "
              + e.getMessage()
              + ")");
    }
    ObjectReader tree = mapper.reader();
    ObjectReader reader = mapper.readerFor(type);
    return new Named<>("json-schema") {
      @Override
      public S read(byte[] value, Headers headers) throws IOException {
        int start = 0;
        if (value.length > WireFormat.HEADER_SIZE && value[0] == WireFormat.MAGIC_BYTE) {
          start = WireFormat.HEADER_SIZE; // Confluent's JSON Schema serializer's prefix
        }
        JsonNode node = tree.readTree(value, start, value.length - start);
        if (node == null || node.isMissingNode()) {
          throw new IOException("no JSON value in " + value.length + " bytes");
        }
        List<String> errors = check.validate(node);
        if (!errors.isEmpty()) {
          throw new IllegalArgumentException(
              "the record does not conform to its JSON Schema: "
                  + errors.stream().limit(5).collect(Collectors.joining("; ")));
        }
        return bound(reader.treeToValue(node, type), type);
      }
    };
  }

  /** A value Jackson bound, or the refusal of a JSON {@code null}. */
  private static <S> S bound(S value, Class<S> type) throws IOException {
    if (value == null) {
      throw new IOException("the JSON value is null, not a " + type.getSimpleName());
    }
    return value;
  }

  /** Plain Avro binary with one writer schema. */
  public static SourceFormat<GenericRecord> avro(Schema writer) {
    GenericDatumReader<GenericRecord> reader =
        new GenericDatumReader<>(Objects.requireNonNull(writer, "writerSchema"));
    return new Named<>("avro") {
      @Override
      public GenericRecord read(byte[] value, Headers headers) throws IOException {
        return decode(reader, value, 0);
      }
    };
  }

  /**
   * Avro whose writer schema is in a registry, its id wherever the serializer put it ({@link
   * WireFormat#locate}): the Confluent prefix or header, Apicurio's headers or legacy prefix.
   */
  public static SourceFormat<GenericRecord> confluentAvro(SchemaRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Map<String, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
    return new Named<>("confluent-avro") {
      @Override
      public GenericRecord read(byte[] value, Headers headers) throws IOException {
        SchemaIdLocation where = WireFormat.locate(value, headers);
        String key = where.toString();
        GenericDatumReader<GenericRecord> reader = readers.get(key);
        if (reader == null) {
          Schema schema;
          try {
            schema = WriterSchemas.of(registry, where);
          } catch (SchemaRegistryException e) {
            if (e.isRetriable()) {
              throw e; // the bridge waits for the registry
            }
            throw new RecordDecodingException(
                RecordDecodingException.Reason.UNKNOWN_SCHEMA_ID,
                "schema id " + where + " is not in the registry: " + e.getMessage(),
                e);
          }
          reader = new GenericDatumReader<>(schema);
          if (readers.size() < 10_000) {
            readers.put(key, reader);
          }
        }
        return decode(reader, value, where.payloadOffset());
      }
    };
  }

  /**
   * Decodes with the SDK's safe decoder: a corrupt length or a truncated record fails before it
   * allocates, and bytes left over are refused.
   */
  private static GenericRecord decode(
      GenericDatumReader<GenericRecord> reader, byte[] value, int offset) throws IOException {
    SafeDecoder in = new SafeDecoder().reset(value, offset, value.length - offset);
    GenericRecord record = reader.read(null, in);
    if (in.remaining() != 0) {
      throw new RecordDecodingException(
          RecordDecodingException.Reason.TRAILING_BYTES,
          in.remaining() + " bytes left after the Avro record");
    }
    return record;
  }

  /** UTF-8 text; bytes that are not UTF-8 are refused rather than replaced. */
  public static SourceFormat<String> string() {
    return new Named<>("string") {
      @Override
      public String read(byte[] value, Headers headers) throws CharacterCodingException {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(value))
            .toString();
      }
    };
  }

  /** A format with a name, which is also its {@code toString}. */
  private abstract static class Named<S> implements SourceFormat<S> {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return "SourceFormat[" + name + "]";
    }
  }
}
