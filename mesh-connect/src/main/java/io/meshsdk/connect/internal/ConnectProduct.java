package io.meshsdk.connect.internal;

import io.meshsdk.MeshBuilder;
import io.meshsdk.connect.ConnectMapping;
import io.meshsdk.connect.MeshConverter;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.EventIds;
import io.meshsdk.lineage.internal.Rfc3339;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.serde.ProductCodec;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.serde.internal.SerdeConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a configured {@link MeshConverter} does, for one product class. */
public final class ConnectProduct<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectProduct.class);
  private static final byte[] SPEC = utf8("1.0");
  private static final byte[] AVRO = utf8("application/avro");
  private static final int MAX_MESSAGE = 1000;
  private static final List<String> STAMPED =
      List.of(
          MeshHeaders.SPEC_VERSION,
          MeshHeaders.ID,
          MeshHeaders.SOURCE,
          MeshHeaders.TYPE,
          MeshHeaders.TIME,
          MeshHeaders.DATA_SCHEMA,
          MeshHeaders.CONTENT_TYPE,
          MeshHeaders.VERSION,
          MeshHeaders.SUNSET,
          MeshHeaders.PARENTS);

  /** The converter's own keys, for Connect's validation. */
  public static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              SerdeConfig.PRODUCT_CLASS,
              ConfigDef.Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              ConfigDef.Importance.HIGH,
              "The product class")
          .define(
              MeshConverter.MAPPING,
              ConfigDef.Type.STRING,
              null,
              ConfigDef.Importance.MEDIUM,
              "A ConnectMapping class")
          .define(
              MeshConverter.CDC,
              ConfigDef.Type.STRING,
              "none",
              ConfigDef.Importance.MEDIUM,
              "'debezium' for Debezium change events")
          .define(
              MeshConverter.SOURCE_TYPE,
              ConfigDef.Type.STRING,
              null,
              ConfigDef.Importance.LOW,
              "The type of the parent")
          .define(
              MeshConverter.DEAD_LETTER_TOPIC,
              ConfigDef.Type.STRING,
              null,
              ConfigDef.Importance.MEDIUM,
              "Where unmappable records and contract violations go")
          .define(
              MeshConverter.CHECK_CONTRACT,
              ConfigDef.Type.BOOLEAN,
              true,
              ConfigDef.Importance.LOW,
              "Sink side: refuse products that break the contract");

  private final ProductContract<T> contract;
  private final boolean isKey;
  private final MeshSerializer<T> serializer;
  private final MeshDeserializer<T> deserializer;
  private final ProductCodec<T> codec;
  private final SchemaRegistry registry;
  private final @Nullable SchemaRegistry owned;
  private final @Nullable ConnectMapping<T> mapping;
  private final boolean cdc;
  private final @Nullable String sourceType;
  private final boolean checkContract;
  private final byte[] source;
  private final byte[] type;
  private final byte[] version;
  private final byte @Nullable [] sunset;
  private final Schema connectSchema;
  private final GenericDatumWriter<GenericRecord> writer;
  private final GenericDatumReader<GenericRecord> reader;

  /** The data schema URL of the id last written, replaced whole. */
  private volatile @Nullable DataSchema lastSchema;

  private record DataSchema(int id, byte[] url) {}

  private final ConnectDeadLetters deadLetters;
  private final String application;
  private final java.util.concurrent.ConcurrentHashMap<
          String, io.micrometer.core.instrument.Counter>
      counters = new java.util.concurrent.ConcurrentHashMap<>();

  private ConnectProduct(
      ProductContract<T> contract,
      boolean isKey,
      SerdeConfig c,
      @Nullable ConnectMapping<T> mapping,
      boolean cdc,
      @Nullable String sourceType,
      boolean checkContract,
      String application,
      ConnectDeadLetters deadLetters) {
    this.contract = contract;
    this.isKey = isKey;
    this.registry = c.registry();
    this.owned = c.owned(true);
    this.serializer =
        MeshSerializer.builder(contract, registry)
            .registration(c.registration())
            .subjectNames(c.subjects())
            .build();
    this.deserializer = MeshDeserializer.of(contract, registry, c.limits());
    this.codec = ProductCodec.of(contract, c.limits());
    this.mapping = mapping;
    this.cdc = cdc;
    this.sourceType = sourceType;
    this.checkContract = checkContract;
    this.source = utf8("/mesh/" + application);
    this.type = utf8(contract.eventType());
    this.version = utf8(contract.version().toString());
    this.sunset = contract.sunset().map(s -> utf8(s.date().toString())).orElse(null);
    this.connectSchema = ConnectValues.toConnect(contract.schema());
    // both are thread-safe once built, and resolve their schema once
    this.writer = new GenericDatumWriter<>(contract.schema());
    this.reader = new GenericDatumReader<>(contract.schema());
    this.deadLetters = deadLetters;
    this.application = application;
  }

  /**
   * Counts a record on Micrometer's global registry ({@code mesh.connect.records}): a no-op until a
   * registry is added there, as a worker's metrics reporter does.
   */
  private void count(String topic, String outcome) {
    try {
      counters
          .computeIfAbsent(
              topic + '|' + outcome,
              k ->
                  io.micrometer.core.instrument.Counter.builder(
                          io.meshsdk.telemetry.MeshMetrics.CONNECT_RECORDS)
                      .tag(io.meshsdk.telemetry.MeshMetrics.TAG_APPLICATION, application)
                      .tag(io.meshsdk.telemetry.MeshMetrics.TAG_PRODUCT, contract.id())
                      .tag(io.meshsdk.telemetry.MeshMetrics.TAG_TOPIC, topic)
                      .tag(io.meshsdk.telemetry.MeshMetrics.TAG_OUTCOME, outcome)
                      .register(io.micrometer.core.instrument.Metrics.globalRegistry))
          .increment();
    } catch (RuntimeException e) {
      LOG.debug("counting failed: {}", e.toString());
    }
  }

  /** Reads a converter's configuration. */
  public static ConnectProduct<?> configure(Map<String, ?> configs, boolean isKey) {
    Map<String, Object> serde = new HashMap<>();
    List<String> problems = new ArrayList<>();
    String mappingClass = null;
    boolean cdc = false;
    String sourceType = null;
    String deadLetterTopic = null;
    boolean checkContract = true;
    Map<String, Object> producer = new HashMap<>();
    for (Map.Entry<String, ?> e : configs.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key == null || value == null) {
        continue;
      }
      String text = value instanceof Class<?> k ? k.getName() : value.toString().trim();
      if (key.startsWith("mesh.connect.")) {
        switch (key) {
          case MeshConverter.MAPPING -> mappingClass = text;
          case MeshConverter.CDC -> {
            if (text.equalsIgnoreCase("debezium")) {
              cdc = true;
            } else if (!text.equalsIgnoreCase("none")) {
              problems.add(key + ": '" + text + "' is neither debezium nor none");
            }
          }
          case MeshConverter.SOURCE_TYPE -> {
            if (text.isEmpty() || text.indexOf(';') >= 0 || text.indexOf(',') >= 0) {
              problems.add(key + ": '" + text + "' must be non-empty, without ';' or ','");
            }
            sourceType = text;
          }
          case MeshConverter.DEAD_LETTER_TOPIC -> deadLetterTopic = text;
          case MeshConverter.CHECK_CONTRACT -> {
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
              problems.add(key + ": '" + text + "' is not true or false");
            }
            checkContract = Boolean.parseBoolean(text);
          }
          default ->
              problems.add(
                  key
                      + ": unknown; the converter's keys are "
                      + List.of(
                          MeshConverter.MAPPING,
                          MeshConverter.CDC,
                          MeshConverter.SOURCE_TYPE,
                          MeshConverter.DEAD_LETTER_TOPIC,
                          MeshConverter.CHECK_CONTRACT));
        }
        continue;
      }
      if (key.equals("bootstrap.servers")
          || key.startsWith("security.")
          || key.startsWith("ssl.")
          || key.startsWith("sasl.")) {
        producer.put(key, value);
        continue;
      }
      serde.put(key, value);
    }
    if (deadLetterTopic != null && !producer.containsKey("bootstrap.servers")) {
      problems.add(
          MeshConverter.DEAD_LETTER_TOPIC
              + " needs bootstrap.servers under the converter's prefix too (the converter writes"
              + " its dead letters itself)");
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException("MeshConverter configuration is invalid", problems);
    }
    SerdeConfig c = SerdeConfig.parse(serde, false, "MeshConverter");
    Object app = configs.get(MeshBuilder.APPLICATION);
    String application =
        app == null || app.toString().isBlank() ? "kafka-connect" : app.toString().trim();
    return create(
        c,
        isKey,
        mappingClass,
        cdc,
        sourceType,
        checkContract,
        application,
        new ConnectDeadLetters(deadLetterTopic, producer));
  }

  @SuppressWarnings("unchecked")
  private static <T> ConnectProduct<T> create(
      SerdeConfig c,
      boolean isKey,
      @Nullable String mappingClass,
      boolean cdc,
      @Nullable String sourceType,
      boolean checkContract,
      String application,
      ConnectDeadLetters deadLetters) {
    ProductContract<T> contract = (ProductContract<T>) c.contract();
    if (!contract.encryptedFields().isEmpty()) {
      throw new MeshConfigurationException(
          "MeshConverter: "
              + contract.id()
              + " has encrypted fields "
              + contract.encryptedFields()
              + ", and the converter does not encrypt: write it with a Mesh producer (a bridge)");
    }
    ConnectMapping<T> mapping = null;
    if (mappingClass != null) {
      try {
        Class<?> k = Class.forName(mappingClass, true, contract.type().getClassLoader());
        mapping = (ConnectMapping<T>) k.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
        throw new MeshConfigurationException(
            MeshConverter.MAPPING
                + ": cannot create "
                + mappingClass
                + " (a ConnectMapping with a public no-argument constructor): "
                + e);
      }
    }
    return new ConnectProduct<>(
        contract, isKey, c, mapping, cdc, sourceType, checkContract, application, deadLetters);
  }

  // ---- source connectors: Connect data to products ------------------------------------------

  /** Maps, checks, frames and stamps one record. */
  public byte @Nullable [] fromConnect(
      String topic, @Nullable Headers headers, @Nullable Schema schema, @Nullable Object value) {
    if (isKey) {
      return keyOf(value);
    }
    Positions.Position position = Positions.take(headers);
    if (value == null) {
      if (contract.kind() != ProductKind.STATE) {
        throw refuse(
            topic,
            headers,
            position,
            schema,
            null,
            false,
            new DataException(
                contract.id()
                    + " is an EVENTS product: a null value (a tombstone) is not one of its events;"
                    + " Debezium writes one after each delete unless tombstones.on.delete=false"));
      }
      stamp(headers, null, position, null, null);
      count(topic, "deleted");
      return null;
    }
    Object row = value;
    Long time = null;
    String parentType = sourceType;
    if (cdc) {
      Envelope envelope;
      try {
        envelope = Envelope.read(value);
      } catch (DataException e) {
        throw refuse(topic, headers, position, schema, value, false, e);
      }
      row = envelope.row();
      time = envelope.timeMs();
      if (parentType == null) {
        parentType = envelope.type();
      }
      if (envelope.isDelete() && contract.kind() == ProductKind.STATE) {
        stamp(headers, null, position, parentType, time);
        count(topic, "deleted");
        return null; // the key's tombstone: the row is gone
      }
    }
    T product;
    try {
      product = toProduct(topic, schema, row);
    } catch (Exception e) {
      throw refuse(topic, headers, position, schema, value, false, e);
    }
    byte[] bytes;
    try {
      bytes = serializer.serialize(topic, product);
    } catch (ContractViolationException e) {
      throw refuse(topic, headers, position, schema, value, true, e);
    } catch (SchemaRegistryException e) {
      if (e.isRetriable()) {
        throw new RetriableException(topic + ": the schema registry is unavailable: " + e, e);
      }
      throw new ConnectException(topic + ": the schema registry refused the product: " + e, e);
    }
    stamp(headers, bytes, position, parentType, time);
    count(topic, "mapped");
    return bytes;
  }

  private T toProduct(String topic, @Nullable Schema schema, Object row) throws Exception {
    ConnectMapping<T> m = mapping;
    T product;
    if (m != null) {
      product = m.toProduct(topic, schema, row);
    } else {
      GenericRecord record = ConnectValues.toAvro(row, contract.schema());
      ByteArrayOutputStream out = new ByteArrayOutputStream(128);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(record, encoder);
      product = codec.decode(out.toByteArray());
    }
    if (product == null) {
      throw new DataException("the mapping returned null");
    }
    return product;
  }

  /** The product's key as text: the key field of a struct (or its only field), or the value. */
  private byte @Nullable [] keyOf(@Nullable Object key) {
    if (key == null) {
      return null;
    }
    Object k = key;
    if (key instanceof Struct || key instanceof Map<?, ?>) {
      Optional<String> field = contract.keyField();
      if (field.isPresent() && ConnectValues.hasField(key, field.get())) {
        k = ConnectValues.field(key, field.get());
      } else if (key instanceof Struct s && s.schema().fields().size() == 1) {
        k = s.get(s.schema().fields().get(0));
      } else if (key instanceof Map<?, ?> m && m.size() == 1) {
        k = m.values().iterator().next();
      } else {
        throw new DataException(
            "a key of several fields, none named after "
                + contract.id()
                + "'s key field "
                + field.orElse("(none)"));
      }
    }
    return k == null ? null : utf8(k.toString());
  }

  private void stamp(
      @Nullable Headers headers,
      byte @Nullable [] bytes,
      Positions.@Nullable Position position,
      @Nullable String parentType,
      @Nullable Long time) {
    if (headers == null) {
      return;
    }
    for (String key : STAMPED) {
      headers.remove(key);
    }
    // a source record copied from another serializer's topic may name its schema in a header,
    // where readers look first: this value carries its id in its prefix
    WireFormat.removeSchemaIdHeaders(headers);
    headers.add(MeshHeaders.SPEC_VERSION, SPEC);
    headers.add(
        MeshHeaders.ID,
        position == null
            ? EventIds.nextBytes()
            : UUID.nameUUIDFromBytes(utf8(contract.eventType() + "|" + position.key()))
                .toString()
                .getBytes(StandardCharsets.ISO_8859_1));
    headers.add(MeshHeaders.SOURCE, source);
    headers.add(MeshHeaders.TYPE, type);
    headers.add(
        MeshHeaders.TIME,
        Rfc3339.format(Instant.ofEpochMilli(time != null ? time : System.currentTimeMillis())));
    if (bytes != null) {
      headers.add(MeshHeaders.DATA_SCHEMA, dataSchema(WireFormat.schemaId(bytes)));
      headers.add(MeshHeaders.CONTENT_TYPE, AVRO);
    }
    headers.add(MeshHeaders.VERSION, version);
    if (sunset != null) {
      headers.add(MeshHeaders.SUNSET, sunset);
    }
    if (position != null) {
      EventRef parent = position.parent(parentType != null ? parentType : sourceType);
      headers.add(MeshHeaders.PARENTS, utf8(parent.toString()));
    }
  }

  private byte[] dataSchema(int id) {
    DataSchema s = lastSchema;
    if (s == null || s.id() != id) {
      s = new DataSchema(id, utf8(registry.schemaUrl(id).orElse("urn:mesh:schema:" + id)));
      lastSchema = s;
    }
    return s.url();
  }

  /** Dead-letters the record when the converter has a topic for it, then refuses it to Connect. */
  private DataException refuse(
      String topic,
      @Nullable Headers headers,
      Positions.@Nullable Position position,
      @Nullable Schema schema,
      @Nullable Object value,
      boolean violation,
      Exception cause) {
    String reason = violation ? "contract_violation" : "unmappable";
    String message = topic + ": " + reason + ": " + safe(cause);
    count(topic, reason);
    deadLetters.write(topic, headers, position, schema, value, reason, cause, message);
    return new DataException(message, cause);
  }

  private static String safe(Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
  }

  // ---- sink connectors: products to Connect data -------------------------------------------

  /** Reads a product into a Struct of the product's schema. */
  public SchemaAndValue toConnect(
      String topic, @Nullable Headers headers, byte @Nullable [] bytes) {
    if (isKey) {
      return bytes == null
          ? SchemaAndValue.NULL
          : new SchemaAndValue(
              Schema.OPTIONAL_STRING_SCHEMA, new String(bytes, StandardCharsets.UTF_8));
    }
    if (bytes == null) {
      return new SchemaAndValue(connectSchema, null);
    }
    T value;
    try {
      value = deserializer.deserialize(topic, headers, bytes);
    } catch (RecordDecodingException e) {
      count(topic, "refused");
      throw new DataException(topic + ": " + e.getMessage(), e);
    } catch (SchemaRegistryException e) {
      if (e.isRetriable()) {
        throw new RetriableException(topic + ": the schema registry is unavailable: " + e, e);
      }
      throw new DataException(topic + ": " + e.getMessage(), e);
    }
    if (value == null) {
      return new SchemaAndValue(connectSchema, null);
    }
    if (checkContract) {
      try {
        contract.check(value);
      } catch (ContractViolationException e) {
        count(topic, "refused");
        throw new DataException(topic + ": contract_violation: " + e.getMessage(), e);
      }
    }
    try {
      GenericRecord g =
          reader.read(null, DecoderFactory.get().binaryDecoder(codec.encode(value), null));
      SchemaAndValue read =
          new SchemaAndValue(
              connectSchema, ConnectValues.toConnect(g, connectSchema, contract.schema()));
      count(topic, "read");
      return read;
    } catch (IOException | RuntimeException e) {
      throw new DataException(topic + ": cannot make a Connect record of the product: " + e, e);
    }
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    deadLetters.close();
    SchemaRegistry r = owned;
    if (r != null) {
      r.close();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
