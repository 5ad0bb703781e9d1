package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.KeyFormat;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.serde.MeshSerializer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Mesh products through the real broker with clients that are not Mesh SDK's: a plain Java {@code
 * KafkaConsumer} decoding with Apache Avro's {@code GenericDatumReader} and the CloudEvents SDK,
 * plain clients and Kafka Streams configured with the Mesh serdes by class name, and the Mesh
 * consumer reading keys that Confluent-style key serializers and binary serializers wrote. The
 * registry is the real Apicurio server.
 */
class PlainClientsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @DataProduct(
      domain = "plain",
      name = "parcel-scanned",
      version = "1.0",
      owner = "team-parcels",
      description = "A parcel was scanned at a depot.")
  public record ParcelScanned(
      @Key @Doc("Parcel") String parcelId, @Doc("Depot") String depot, @Doc("Grams") int grams) {}

  @DataProduct(
      domain = "plain",
      name = "parcel-key",
      version = "1.0",
      owner = "team-parcels",
      description = "The key of a parcel record.")
  public record ParcelKey(@Key @Doc("Parcel") String parcelId, @Doc("Region") int region) {}

  private static String unique(String prefix) {
    return prefix + System.nanoTime() % 1_000_000 + ".";
  }

  private static Mesh mesh(String prefix) {
    return Mesh.fromMap(
        Map.of(
            "mesh.application",
            "depot",
            "bootstrap.servers",
            Broker.shared().bootstrapServers(),
            "schema.registry.url",
            ApicurioRegistry.shared().url(),
            "mesh.topic.prefix",
            prefix));
  }

  @Test
  void aPlainKafkaConsumerWithApacheAvroAndTheCloudEventsSdkReadsWhatAMeshProducerWrote()
      throws Exception {
    try (Mesh mesh = mesh(unique("p"))) {
      MeshProducer<ParcelScanned> producer = mesh.producer(ParcelScanned.class); // defaults
      List<ParcelScanned> sent =
          List.of(
              new ParcelScanned("p-1", "Köln", 1200),
              new ParcelScanned("p-2", "Lyon", 80),
              new ParcelScanned("p-3", "Oslo", 5000));
      List<SendResult> results = new ArrayList<>();
      for (ParcelScanned p : sent) {
        results.add(producer.send(p).get(30, TimeUnit.SECONDS));
      }

      // what any Java team has: kafka-clients, Apache Avro, the CloudEvents SDK, an HTTP client
      Map<String, Object> config = new HashMap<>();
      config.put("bootstrap.servers", Broker.shared().bootstrapServers());
      config.put("group.id", "plain-java");
      config.put("auto.offset.reset", "earliest");
      List<ConsumerRecord<String, CloudEvent>> records = new ArrayList<>();
      try (KafkaConsumer<String, CloudEvent> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new CloudEventDeserializer())) {
        consumer.subscribe(List.of(producer.topic()));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                  return records.size() >= 3;
                });
      }
      assertThat(records).hasSize(3);
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 3; i++) {
        CloudEvent event = records.get(i).value();
        assertThat(records.get(i).key()).isEqualTo(sent.get(i).parcelId());
        assertThat(event.getId()).isEqualTo(results.get(i).eventId());
        assertThat(event.getType()).isEqualTo("plain.parcel-scanned.v1");
        assertThat(event.getSource().toString()).isEqualTo("/mesh/depot");
        byte[] data = event.getData().toBytes();
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        assertThat(data[0]).as("Confluent magic byte").isZero();

        // ce_dataschema is a URL that returns the writer schema
        String body =
            http.send(
                    HttpRequest.newBuilder(event.getDataSchema()).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Schema writer = new Schema.Parser().parse(JSON.readTree(body).path("schema").asText());
        assertThat(event.getDataSchema().toString()).endsWith("/schemas/ids/" + id);
        GenericRecord value =
            new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
        assertThat(value.get("parcelId").toString()).isEqualTo(sent.get(i).parcelId());
        assertThat(value.get("depot").toString()).isEqualTo(sent.get(i).depot());
        assertThat(value.get("grams")).isEqualTo(sent.get(i).grams());
      }
    }
  }

  @Test
  void plainClientsConfiguredByClassNameWriteKeysAndValuesThatEveryoneReads() throws Exception {
    String prefix = unique("s");
    String topic = prefix + ProductContract.of(ParcelScanned.class).topic();
    createTopic(topic);
    String url = ApicurioRegistry.shared().url();
    Properties producerConfig = new Properties();
    producerConfig.put("bootstrap.servers", Broker.shared().bootstrapServers());
    producerConfig.put("key.serializer", MeshSerializer.class.getName());
    producerConfig.put("value.serializer", MeshSerializer.class.getName());
    producerConfig.put(MeshSerde.KEY_PRODUCT_CLASS, ParcelKey.class.getName());
    producerConfig.put(MeshSerde.PRODUCT_CLASS, ParcelScanned.class.getName());
    producerConfig.put("schema.registry.url", url);
    List<ParcelScanned> sent =
        List.of(new ParcelScanned("p-1", "Köln", 1200), new ParcelScanned("p-2", "Lyon", 80));
    try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(producerConfig)) {
      for (ParcelScanned p : sent) {
        producer.send(new ProducerRecord<>(topic, new ParcelKey(p.parcelId(), 7), p)).get();
      }
    }
    // a producer of another team: 8-byte long keys, values framed by the Mesh serializer
    try (KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", Broker.shared().bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        var registry = RestSchemaRegistry.builder(url).build();
        MeshSerializer<ParcelScanned> values =
            MeshSerializer.of(ProductContract.of(ParcelScanned.class), registry);
        LongSerializer longs = new LongSerializer()) {
      raw.send(
              new ProducerRecord<>(
                  topic,
                  longs.serialize(topic, 42L),
                  values.serialize(topic, new ParcelScanned("p-3", "Oslo", 5000))))
          .get();
    }

    // the registry holds a key subject and a value subject, as Confluent's serializers leave them
    try (var registry = RestSchemaRegistry.builder(url).build()) {
      assertThat(registry.subjects()).contains(topic + "-key", topic + "-value");
    }

    // a plain consumer configured by class name reads keys and values back
    List<ConsumerRecord<Object, Object>> read = readByClassName(topic, "plain-serde", url, 2);
    assertThat(read.subList(0, 2))
        .extracting(ConsumerRecord::key)
        .containsExactly(new ParcelKey("p-1", 7), new ParcelKey("p-2", 7));
    assertThat(read.subList(0, 2)).extracting(ConsumerRecord::value).isEqualTo(sent);

    // the Mesh consumer decodes the Avro keys through the registry and flags the binary one
    List<ConsumedEvent<ParcelScanned>> seen = new CopyOnWriteArrayList<>();
    try (Mesh mesh = mesh(prefix)) {
      mesh.consumer(ParcelScanned.class)
          .group("mesh-reader")
          .startFrom(StartPosition.earliest())
          .handle(seen::add)
          .start();
      await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 3);
    }
    assertThat(seen.get(0).keyFormat()).isEqualTo(KeyFormat.AVRO);
    assertThat(seen.get(0).key()).isEqualTo("{\"parcelId\": \"p-1\", \"region\": 7}");
    assertThat(seen.get(1).value()).isEqualTo(sent.get(1));
    assertThat(seen.get(2).keyFormat()).isEqualTo(KeyFormat.BINARY);
    assertThat(seen.get(2).key()).isNull();
    assertThat(seen.get(2).rawKey()).containsExactly(0, 0, 0, 0, 0, 0, 0, 42);
    assertThat(seen.get(2).value().depot()).isEqualTo("Oslo");
  }

  @Test
  void kafkaStreamsUsesTheMeshSerdeAsItsDefaultSerde() throws Exception {
    String prefix = unique("k");
    String in = prefix + "parcels-in";
    String out = prefix + "parcels-heavy";
    createTopic(in);
    createTopic(out);
    String url = ApicurioRegistry.shared().url();
    try (var registry = RestSchemaRegistry.builder(url).build();
        MeshSerializer<ParcelScanned> values =
            MeshSerializer.of(ProductContract.of(ParcelScanned.class), registry);
        MeshSerializer<ParcelKey> keys =
            MeshSerializer.<ParcelKey>builder(ProductContract.of(ParcelKey.class), registry)
                .subjectNames(io.meshsdk.registry.SubjectNameStrategy.TOPIC_NAME_KEY)
                .build();
        KafkaProducer<ParcelKey, ParcelScanned> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", Broker.shared().bootstrapServers()), keys, values)) {
      producer.send(
          new ProducerRecord<>(
              in, new ParcelKey("p-1", 1), new ParcelScanned("p-1", "Köln", 1200)));
      producer.send(
          new ProducerRecord<>(in, new ParcelKey("p-2", 1), new ParcelScanned("p-2", "Lyon", 80)));
      producer.send(
          new ProducerRecord<>(
              in, new ParcelKey("p-3", 2), new ParcelScanned("p-3", "Oslo", 5000)));
      producer.flush();
    }

    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "heavy-parcels");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.shared().bootstrapServers());
    config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, MeshSerde.class.getName());
    config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, MeshSerde.class.getName());
    config.put(MeshSerde.KEY_PRODUCT_CLASS, ParcelKey.class.getName());
    config.put(MeshSerde.PRODUCT_CLASS, ParcelScanned.class.getName());
    config.put("schema.registry.url", url);
    config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    config.put(
        StreamsConfig.STATE_DIR_CONFIG,
        java.nio.file.Files.createTempDirectory("streams").toString());
    StreamsBuilder topology = new StreamsBuilder();
    topology.<ParcelKey, ParcelScanned>stream(in).filter((k, v) -> v.grams() >= 1000).to(out);

    KafkaStreams streams = new KafkaStreams(topology.build(), config);
    try {
      streams.start();
      List<ConsumerRecord<Object, Object>> read = readByClassName(out, "heavy-reader", url, 2);
      assertThat(read)
          .extracting(ConsumerRecord::key)
          .containsExactly(new ParcelKey("p-1", 1), new ParcelKey("p-3", 2));
      assertThat(read)
          .extracting(r -> ((ParcelScanned) r.value()).depot())
          .containsExactly("Köln", "Oslo");
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp(); // its local state directory
    }
    try (var registry = RestSchemaRegistry.builder(url).build()) {
      assertThat(registry.subjects()).contains(out + "-key", out + "-value");
    }
  }

  /** A plain consumer with the Mesh deserializers by class name, reading at least n records. */
  private static List<ConsumerRecord<Object, Object>> readByClassName(
      String topic, String group, String url, int n) {
    Properties config = new Properties();
    config.put("bootstrap.servers", Broker.shared().bootstrapServers());
    config.put("group.id", group);
    config.put("auto.offset.reset", "earliest");
    config.put("key.deserializer", MeshDeserializer.class.getName());
    config.put("value.deserializer", MeshDeserializer.class.getName());
    config.put(MeshSerde.KEY_PRODUCT_CLASS, ParcelKey.class.getName());
    config.put(MeshSerde.PRODUCT_CLASS, ParcelScanned.class.getName());
    config.put("schema.registry.url", url);
    List<ConsumerRecord<Object, Object>> read = new ArrayList<>();
    try (KafkaConsumer<Object, Object> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= n;
              });
    }
    return read;
  }

  private static void createTopic(String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
