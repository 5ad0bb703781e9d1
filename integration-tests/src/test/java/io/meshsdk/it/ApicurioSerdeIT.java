package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apicurio.registry.serde.DefaultIdHandler;
import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.config.IdOption;
import io.meshsdk.Mesh;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.SendResult;
import io.meshsdk.serde.SchemaIdSource;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records written by Apicurio's own serializer ({@code apicurio-registry-serdes-avro-serde}, not
 * ours) in each of its framings, and by Confluent's schema-id header, reach a Mesh consumer on the
 * real Apicurio server: each is read into the product class and says where its schema id was; what
 * cannot be resolved is dead-lettered, never lost.
 */
class ApicurioSerdeIT {
  @DataProduct(
      domain = "interop",
      name = "sensor-reading",
      version = "1.0",
      owner = "team-iot",
      description = "A temperature reading, written by other teams' serializers.")
  record Reading(@Key @Doc("Sensor") String sensor, @Doc("Degrees Celsius") double celsius) {}

  private static final int PER_FRAMING = 15;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final String prefix = "ap" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final Mesh mesh = Broker.meshOnRegistry("interop", prefix).meterRegistry(meters).build();

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static String nativeUrl() {
    return ApicurioRegistry.shared().url().replace("/apis/ccompat/v7", "/apis/registry/v2");
  }

  /** Apicurio's serializer writing the product's schema in one of its framings. */
  private static void writeWithApicurio(
      String topic, Schema schema, String sensor, Map<String, Object> framing) {
    Map<String, Object> config = new HashMap<>(framing);
    config.put(SerdeConfig.REGISTRY_URL, nativeUrl());
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", Broker.shared().bootstrapServers()),
            new StringSerializer(),
            configured(config))) {
      for (int i = 0; i < PER_FRAMING; i++) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("sensor", sensor + "-" + i);
        r.put("celsius", 20.0 + i);
        producer.send(new ProducerRecord<>(topic, sensor + "-" + i, r));
      }
      producer.flush();
    }
  }

  private static AvroKafkaSerializer<Object> configured(Map<String, Object> config) {
    AvroKafkaSerializer<Object> s = new AvroKafkaSerializer<>();
    s.configure(config, false);
    return s;
  }

  @Test
  void everyFramingOfApicuriosSerializerAndConfluentsHeaderIsReadAndSaid() throws Exception {
    ProductContract<Reading> contract = ProductContract.of(Reading.class);
    String topic = prefix + contract.topic();
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Schema schema = contract.schema();
    // Apicurio 2.x's default: the global id in a header, the body alone
    writeWithApicurio(
        topic,
        schema,
        "global",
        Map.of(SerdeConfig.ENABLE_HEADERS, true, SerdeConfig.USE_ID, IdOption.globalId.name()));
    writeWithApicurio(
        topic,
        schema,
        "content",
        Map.of(SerdeConfig.ENABLE_HEADERS, true, SerdeConfig.USE_ID, IdOption.contentId.name()));
    // headers off: byte 0 and the 8-byte global id before the body
    writeWithApicurio(
        topic,
        schema,
        "legacy",
        Map.of(
            SerdeConfig.ENABLE_HEADERS,
            false,
            SerdeConfig.ID_HANDLER,
            DefaultIdHandler.class.getName(),
            SerdeConfig.USE_ID,
            IdOption.globalId.name()));
    // Confluent-compatible: byte 0 and the 4-byte content id
    writeWithApicurio(
        topic,
        schema,
        "confluent",
        Map.of(
            SerdeConfig.ENABLE_HEADERS,
            false,
            SerdeConfig.ID_HANDLER,
            Legacy4ByteIdHandler.class.getName(),
            SerdeConfig.USE_ID,
            IdOption.contentId.name()));
    // Confluent's schema-id header: the id form, and the GUID form that Apicurio cannot resolve
    SendResult mine =
        mesh.producer(Reading.class).send(new Reading("mesh-0", 1.5)).get(30, TimeUnit.SECONDS);
    ConsumerRecord<byte[], byte[]> framed =
        Broker.readAll(topic, 4 * PER_FRAMING + 1, false).stream()
            .filter(r -> r.offset() == mine.offset())
            .findFirst()
            .orElseThrow();
    byte[] body = Arrays.copyOfRange(framed.value(), 5, framed.value().length);
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", Broker.shared().bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < PER_FRAMING; i++) {
        ProducerRecord<byte[], byte[]> byId =
            new ProducerRecord<>(topic, utf8("header-" + i), body);
        byte[] id = ByteBuffer.allocate(5).put((byte) 0).putInt(mine.schemaId()).array();
        byId.headers().add(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER, id);
        raw.send(byId);
        ProducerRecord<byte[], byte[]> byGuid =
            new ProducerRecord<>(topic, utf8("guid-" + i), body);
        byte[] guid = ByteBuffer.allocate(17).put((byte) 1).putLong(7).putLong(i).array();
        byGuid.headers().add(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER, guid);
        raw.send(byGuid);
      }
      raw.flush();
    }
    int produced = 6 * PER_FRAMING + 1;

    List<ConsumedEvent<Reading>> read = new CopyOnWriteArrayList<>();
    mesh.consumer(Reading.class)
        .group("interop-reader")
        .startFrom(StartPosition.earliest())
        .handle(read::add)
        .start();
    String dlq = topic + ".interop-reader.dlq";
    await().atMost(Duration.ofSeconds(60)).until(() -> read.size() >= 5 * PER_FRAMING + 1);
    List<ConsumerRecord<byte[], byte[]>> dead = Broker.readAll(dlq, PER_FRAMING, false);

    // produced = handled + dead-lettered, each once
    assertThat(read).hasSize(5 * PER_FRAMING + 1);
    assertThat(dead).hasSize(PER_FRAMING);
    assertThat(read.size() + dead.size()).isEqualTo(produced);
    Map<SchemaIdSource, Integer> bySource = new EnumMap<>(SchemaIdSource.class);
    for (ConsumedEvent<Reading> e : read) {
      SchemaIdSource source = e.schemaIdSource().orElseThrow();
      bySource.merge(source, 1, Integer::sum);
      String sensor = e.value().sensor();
      int i = Integer.parseInt(sensor.substring(sensor.indexOf('-') + 1));
      assertThat(e.value().celsius()).isEqualTo(sensor.startsWith("mesh") ? 1.5 : 20.0 + i);
      String expected =
          switch (source) {
            case APICURIO_GLOBAL_ID_HEADER -> "global";
            case APICURIO_CONTENT_ID_HEADER -> "content";
            case APICURIO_LEGACY_PREFIX -> "legacy";
            case CONFLUENT_PREFIX -> sensor.startsWith("mesh") ? "mesh" : "confluent";
            default -> "mesh"; // the header copies carry the body of Mesh's own record
          };
      assertThat(sensor).as("%s", source).startsWith(expected);
    }
    assertThat(bySource)
        .containsEntry(SchemaIdSource.APICURIO_GLOBAL_ID_HEADER, PER_FRAMING)
        .containsEntry(SchemaIdSource.APICURIO_CONTENT_ID_HEADER, PER_FRAMING)
        .containsEntry(SchemaIdSource.APICURIO_LEGACY_PREFIX, PER_FRAMING)
        .containsEntry(SchemaIdSource.CONFLUENT_PREFIX, PER_FRAMING + 1)
        .containsEntry(SchemaIdSource.CONFLUENT_HEADER, PER_FRAMING);
    // the meter says the same, by source
    for (Map.Entry<SchemaIdSource, Integer> e : bySource.entrySet()) {
      assertThat(
              meters
                  .find(MeshMetrics.CONSUME_SCHEMA_IDS)
                  .tag(MeshMetrics.TAG_SOURCE, e.getKey().code())
                  .counter()
                  .count())
          .isEqualTo(e.getValue().doubleValue());
    }
    assertThat(
            meters
                .find(MeshMetrics.CONSUME_SCHEMA_IDS)
                .tag(MeshMetrics.TAG_SOURCE, "confluent_header_guid")
                .counter()
                .count())
        .isEqualTo(PER_FRAMING);
    // Apicurio 2.4 names no schema by GUID: those are unknown schema ids, with their bytes
    for (ConsumerRecord<byte[], byte[]> d : dead) {
      assertThat(header(d, MeshHeaders.DLQ_REASON)).isEqualTo("unknown_schema_id");
      assertThat(header(d, MeshHeaders.DLQ_MESSAGE)).contains("confluent_header_guid");
      assertThat(d.value()).isEqualTo(body);
    }
  }

  @Test
  void aBridgeReadsApicuriosDefaultFramingWithAForeignSchema() throws Exception {
    Schema foreign =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"com.iot\",\"fields\":["
                    + "{\"name\":\"probe\",\"type\":\"string\"},"
                    + "{\"name\":\"fahrenheit\",\"type\":\"double\"}]}");
    String legacy = prefix + "iot.probes";
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(legacy, 1, (short) 1))).all().get();
    }
    Map<String, Object> config = new HashMap<>();
    config.put(SerdeConfig.REGISTRY_URL, nativeUrl());
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
    config.put(SerdeConfig.ENABLE_HEADERS, true);
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", Broker.shared().bootstrapServers()),
            new StringSerializer(),
            configured(config))) {
      for (int i = 0; i < PER_FRAMING; i++) {
        GenericRecord r = new GenericData.Record(foreign);
        r.put("probe", "p-" + i);
        r.put("fahrenheit", 68.0 + 1.8 * i);
        producer.send(new ProducerRecord<>(legacy, "p-" + i, r));
      }
      producer.flush();
    }
    MeshBridge<GenericRecord, Reading> bridge =
        mesh.bridge(SourceFormat.confluentAvro(mesh.schemaRegistry()), Reading.class)
            .from(legacy)
            .group("probe-bridge")
            .map(
                r ->
                    new Reading(
                        r.value().get("probe").toString(),
                        ((Double) r.value().get("fahrenheit") - 32) / 1.8))
            .start();
    List<ConsumerRecord<byte[], byte[]>> out =
        Broker.readAll(bridge.outputTopic(), PER_FRAMING, false);
    assertThat(out).hasSize(PER_FRAMING);
    assertThat(meters.find(MeshMetrics.BRIDGE_RECORDS).tag("outcome", "mapped").counter().count())
        .isEqualTo(PER_FRAMING);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
