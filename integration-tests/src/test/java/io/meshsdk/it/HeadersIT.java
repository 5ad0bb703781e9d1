package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendOptions;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.serde.MeshSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Headers that mean what they say, on the real broker. */
class HeadersIT {
  @DataProduct(
      domain = "headers",
      name = "meter-read",
      version = "1.0",
      owner = "team-grid",
      description = "A reading.")
  record MeterRead(@Key @Doc("Meter") String meter, @Doc("Watts") long watts) {}

  private static String prefix() {
    return "hd" + System.nanoTime() % 100_000 + ".";
  }

  /** However the REST registry reaches the mesh, ce_dataschema is a URL that gives the schema. */
  @Test
  void theDataSchemaIsAUrlThatReturnsTheSchema() throws Exception {
    ApicurioRegistry server = ApicurioRegistry.shared();
    try (var registry = RestSchemaRegistry.builder(server.url()).build();
        Mesh mesh =
            Broker.mesh("grid", new InMemorySchemaRegistry())
                .schemaRegistry(registry)
                .topicPrefix(prefix())
                .build()) {
      MeshProducer<MeterRead> producer = mesh.producer(MeterRead.class);
      producer.send(new MeterRead("m-1", 5)).get(30, TimeUnit.SECONDS);
      ConsumerRecord<byte[], byte[]> r = Broker.readAll(producer.topic(), 1, false).get(0);
      String url =
          new String(
              r.headers().lastHeader(MeshHeaders.DATA_SCHEMA).value(), StandardCharsets.UTF_8);

      assertThat(url).isEqualTo(server.url() + "/schemas/ids/" + producer.schemaId());
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      String schema =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(answer.body())
              .get("schema")
              .asText();
      assertThat(new Schema.Parser().parse(schema))
          .isEqualTo(ProductContract.of(MeterRead.class).schema());
    }
  }

  /**
   * With the compact profile the record timestamp is the event time: a dead letter, and a replay of
   * it, must keep the original's.
   */
  @Test
  void deadLettersAndReplaysKeepTheOriginalTimestamp() throws Exception {
    Instant when = Instant.parse("2024-02-29T12:00:00.123Z");
    try (Mesh mesh =
        Broker.mesh("grid", new InMemorySchemaRegistry())
            .headerProfile(HeaderProfile.COMPACT)
            .topicPrefix(prefix())
            .build()) {
      MeshProducer<MeterRead> producer = mesh.producer(MeterRead.class);
      producer
          .send(new MeterRead("m-1", 5), SendOptions.builder().eventTime(when).build())
          .get(30, TimeUnit.SECONDS);
      AtomicBoolean broken = new AtomicBoolean(true);
      List<ConsumedEvent<MeterRead>> handled = new CopyOnWriteArrayList<>();
      MeshConsumer<MeterRead> consumer =
          mesh.consumer(MeterRead.class)
              .group("billing")
              .maxAttempts(1)
              .handle(
                  e -> {
                    if (broken.get()) {
                      throw new IllegalStateException("billing is down");
                    }
                    handled.add(e);
                  })
              .start();

      ConsumerRecord<byte[], byte[]> dead =
          Broker.readAll(consumer.deadLetterTopic(), 1, false).get(0);
      assertThat(dead.timestamp()).isEqualTo(when.toEpochMilli());

      broken.set(false);
      assertThat(mesh.deadLetters(MeterRead.class, "billing").replay(Duration.ofSeconds(60)))
          .isEqualTo(1);
      await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 1);
      assertThat(handled.get(0).eventTime()).isEqualTo(when);
      assertThat(handled.get(0).timestamp()).isEqualTo(when);
    }
  }

  @Test
  void eventTimesARecordCannotCarryAreRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(
            () -> SendOptions.builder().eventTime(Instant.parse("1969-12-31T23:59:59.999Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before 1970");
    assertThatThrownBy(
            () -> SendOptions.builder().eventTime(Instant.parse("+10000-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9999");
  }

  /** Ids are other producers' to choose: separators of the lineage header must survive. */
  @Test
  void anIdHoldingTheLineageSeparatorsKeepsItsIdInTheLineage() throws Exception {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    try (Mesh mesh = Broker.mesh("grid", registry).topicPrefix(prefix()).build()) {
      MeshProducer<MeterRead> producer = mesh.producer(MeterRead.class);
      byte[] value =
          MeshSerializer.of(producer.contract(), registry)
              .serialize(producer.topic(), new MeterRead("m-9", 9));
      try (KafkaProducer<byte[], byte[]> raw =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", Broker.shared().bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(producer.topic(), "m-9".getBytes(StandardCharsets.UTF_8), value);
        record.headers().add(MeshHeaders.ID, "order;7,b%".getBytes(StandardCharsets.UTF_8));
        raw.send(record).get();
      }
      List<ConsumedEvent<MeterRead>> seen = new CopyOnWriteArrayList<>();
      mesh.consumer(MeterRead.class).group("lineage").handle(seen::add).start();
      await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 1);

      assertThat(seen.get(0).eventId()).isEqualTo("order;7,b%");
      assertThat(seen.get(0).lineage().self().id()).isEqualTo("order;7,b%");
    }
  }
}
