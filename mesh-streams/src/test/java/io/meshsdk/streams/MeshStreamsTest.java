package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.governance.GovernanceException;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.streams.Parcels.LabelPrinted;
import io.meshsdk.streams.Parcels.ParcelBooked;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.DeadLetter;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import io.meshsdk.testkit.TestTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * {@link MeshStreams} on a {@link TestMesh}: a topology run by the testkit's {@link TestTopology}
 * in {@code TopologyTestDriver} against the in-memory Kafka, read back with the testkit's usual
 * assertions; the product meters; governance and topics at build; the serde by class name.
 */
@MeshTest
class MeshStreamsTest {
  private static final String APP = "label-printer";

  /** Bookings in, labels out; a negative weight jams the printer (the processor throws). */
  static Topology labels(MeshStreams streams) {
    StreamsBuilder builder = new StreamsBuilder();
    streams.stream(builder, ParcelBooked.class)
        .mapValues(
            p -> {
              if (p.grams() < 0) {
                throw new IllegalStateException("printer jammed on " + p.parcelId());
              }
              return new LabelPrinted(p.parcelId(), p.grams());
            })
        .to(streams.topic(LabelPrinted.class), streams.produced(LabelPrinted.class));
    return streams.build(builder);
  }

  @Test
  void aTopologyReadsAndWritesProductsAsMeshClientsDoAndCountsEveryRecord(TestMesh mesh) {
    try (MeshStreams streams = MeshStreams.of(mesh, APP);
        TestTopology topology = TestTopology.of(mesh, labels(streams), streams.properties())) {
      // three partitions: the driver reads one, and the testkit names the records' real positions
      mesh.inMemoryKafka().orElseThrow().createTopic(mesh.topicOf(ParcelBooked.class), 3);
      var bookings = mesh.producer(ParcelBooked.class);
      for (int i = 1; i <= 5; i++) {
        bookings.send(new ParcelBooked("p-" + i, "p" + i + "@example.com", 100 * i)).join();
      }
      bookings.send(new ParcelBooked("p-jam", "jam@example.com", -1)).join();
      bookings.send(new ParcelBooked("p-zero", "zero@example.com", 0)).join();
      Map<String, PublishedEvent<ParcelBooked>> booked = new java.util.HashMap<>();
      mesh.published(ParcelBooked.class).now().forEach(b -> booked.put(b.value().parcelId(), b));
      String parcels = mesh.topicOf(ParcelBooked.class);
      String poison = mesh.sendRaw(parcels, null, "not avro".getBytes(StandardCharsets.UTF_8));

      assertThat(topology.process()).as("records piped").isEqualTo(8);

      // 5 labels, each a Mesh event whose parent is its booking at its real position
      List<PublishedEvent<LabelPrinted>> labels = mesh.published(LabelPrinted.class).now();
      assertThat(labels)
          .extracting(e -> e.value().parcelId())
          .containsExactlyInAnyOrder("p-1", "p-2", "p-3", "p-4", "p-5");
      for (PublishedEvent<LabelPrinted> label : labels) {
        assertThat(label.header(MeshHeaders.SOURCE)).contains("/mesh/" + mesh.application());
        assertThat(label.header(MeshHeaders.TYPE)).contains("kit.label-printed.v1");
        EventRef parent = label.lineage().parents().get(0);
        assertThat(label.lineage().parents()).hasSize(1);
        assertThat(parent).isEqualTo(booked.get(label.value().parcelId()).ref());
        assertThat(mesh.ancestors(label)).containsExactly(parent);
      }

      // 3 dead letters: the jam, the contract violation, the poison pill, at their real positions
      List<DeadLetter> letters = mesh.deadLetters(APP).now();
      assertThat(letters)
          .extracting(DeadLetter::reason)
          .containsExactlyInAnyOrder("handler", "handler", "wrong_magic_byte");
      for (DeadLetter l : letters) {
        assertThat(l.topic()).isEqualTo(parcels + "." + APP + ".dlq");
        assertThat(l.originalTopic()).isEqualTo(parcels);
      }
      assertThat(letters)
          .extracting(l -> parcels + "-" + l.originalPartition() + "@" + l.originalOffset())
          .containsExactlyInAnyOrder(
              booked.get("p-jam").ref().topic()
                  + "-"
                  + booked.get("p-jam").partition()
                  + "@"
                  + booked.get("p-jam").offset(),
              booked.get("p-zero").ref().topic()
                  + "-"
                  + booked.get("p-zero").partition()
                  + "@"
                  + booked.get("p-zero").offset(),
              poison);

      // the meters, under a MeshConsumer's and a MeshProducer's names and tags
      MeterRegistry meters = mesh.metrics();
      assertThat(consumed(meters, "success").count()).isEqualTo(5);
      assertThat(consumed(meters, "dead_letter").count())
          .as("the jam and the violation went through the topology to a dead letter")
          .isEqualTo(2);
      assertThat(consumed(meters, "failure").count()).isZero();
      assertThat(
              meters
                  .get(MeshMetrics.CONSUME_FRESHNESS)
                  .tags(MeshMetrics.TAG_GROUP, APP, MeshMetrics.TAG_PRODUCT, "kit.parcel-booked")
                  .timer()
                  .count())
          .isEqualTo(7);
      assertThat(
              meters
                  .get(MeshMetrics.PRODUCE_BYTES)
                  .tags(
                      MeshMetrics.TAG_APPLICATION,
                      mesh.application(),
                      MeshMetrics.TAG_PRODUCT,
                      "kit.label-printed",
                      MeshMetrics.TAG_VERSION,
                      "1.0")
                  .summary()
                  .count())
          .isEqualTo(5);
      assertThat(
              meters
                  .get(MeshMetrics.CONTRACT_VIOLATIONS)
                  .tags(MeshMetrics.TAG_PRODUCT, "kit.label-printed")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(dlq(meters, "handler")).isEqualTo(2);
      assertThat(dlq(meters, "wrong_magic_byte"))
          .as("the poison pill, counted under the product of its topic")
          .isEqualTo(1);

      // what was piped is not piped again
      assertThat(topology.process()).isZero();
      assertThat(mesh.published(LabelPrinted.class).now()).hasSize(5);
    }
  }

  @Test
  void buildCreatesTheTopicsOfTheProductsWrittenAndTheDeadLetterTopicsOfThoseRead(TestMesh mesh) {
    try (MeshStreams streams = MeshStreams.of(mesh, APP)) {
      labels(streams);
      var kafka = mesh.inMemoryKafka().orElseThrow();
      assertThat(kafka.topics())
          .contains(
              mesh.topicOf(LabelPrinted.class),
              mesh.topicOf(ParcelBooked.class) + "." + APP + ".dlq")
          .as("the input's topic belongs to its producer")
          .doesNotContain(mesh.topicOf(ParcelBooked.class));
    }
  }

  @Test
  void theMeshsOpenLineageEventsNameWhatTheTopologyReadsAndWrites() {
    try (TestMesh mesh =
            TestMesh.builder()
                .configure(
                    b ->
                        b.properties(
                            Map.of(
                                MeshBuilder.OPENLINEAGE_TRANSPORT, "kafka",
                                MeshBuilder.OPENLINEAGE_TOPIC, "openlineage.events",
                                MeshBuilder.OPENLINEAGE_INTERVAL_MS, "200")))
                .build();
        MeshStreams streams = MeshStreams.of(mesh, APP)) {
      labels(streams);
      var kafka = mesh.inMemoryKafka().orElseThrow();
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      // START names the first output; the snapshots that follow name everything
      var event =
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      kafka.records("openlineage.events").stream()
                          .map(r -> readTree(json, r.value()))
                          .filter(e -> !e.get("inputs").findValuesAsText("name").isEmpty())
                          .findFirst(),
                  java.util.Optional::isPresent)
              .orElseThrow();
      assertThat(event.get("outputs").findValuesAsText("name"))
          .contains(mesh.topicOf(LabelPrinted.class));
      assertThat(event.get("inputs").findValuesAsText("name"))
          .contains(mesh.topicOf(ParcelBooked.class));
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(
      com.fasterxml.jackson.databind.ObjectMapper json, byte[] value) {
    try {
      return json.readTree(value);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A product that names a personal field without marking it: the standard policy refuses it. */
  @DataProduct(
      domain = "kit",
      name = "leaky-label",
      version = "1.0",
      owner = "team-kit",
      description = "A label with an unmarked e-mail address.")
  record LeakyLabel(@Key @Doc("Parcel id") String parcelId, @Doc("E-mail") String email) {}

  @Test
  void governanceRefusesAProductWhenTheTopologyIsBuiltAndNothingIsCreated(TestMesh mesh) {
    try (MeshStreams streams = MeshStreams.of(mesh, APP)) {
      StreamsBuilder builder = new StreamsBuilder();
      streams.stream(builder, ParcelBooked.class)
          .mapValues(p -> new LeakyLabel(p.parcelId(), p.customerEmail()))
          .to(streams.topic(LeakyLabel.class), streams.produced(LeakyLabel.class));
      assertThatThrownBy(() -> streams.build(builder))
          .isInstanceOf(GovernanceException.class)
          .hasMessageContaining("kit.leaky-label");
      assertThat(mesh.inMemoryKafka().orElseThrow().topics())
          .doesNotContain(mesh.topicOf(LeakyLabel.class));
    }
  }

  @Test
  void recordsMadeInAPunctuationReachTheTestMeshWhenTheDriversClockMoves(TestMesh mesh) {
    try (MeshStreams streams = MeshStreams.of(mesh, APP)) {
      StreamsBuilder builder = new StreamsBuilder();
      streams.stream(builder, ParcelBooked.class)
          .process(
              () ->
                  new Processor<String, ParcelBooked, String, LabelPrinted>() {
                    @Override
                    public void init(ProcessorContext<String, LabelPrinted> context) {
                      context.schedule(
                          Duration.ofMinutes(1),
                          PunctuationType.WALL_CLOCK_TIME,
                          now ->
                              context.forward(
                                  new Record<>("daily", new LabelPrinted("daily", 1), now)));
                    }

                    @Override
                    public void process(Record<String, ParcelBooked> record) {}
                  })
          .to(streams.topic(LabelPrinted.class), streams.produced(LabelPrinted.class));
      try (TestTopology topology =
          TestTopology.of(mesh, streams.build(builder), streams.properties())) {
        assertThat(topology.process()).isZero();
        assertThat(mesh.published(LabelPrinted.class).now()).isEmpty();
        topology.advanceTime(Duration.ofMinutes(1));
        List<PublishedEvent<LabelPrinted>> labels = mesh.published(LabelPrinted.class).now();
        assertThat(labels).extracting(e -> e.value().parcelId()).containsExactly("daily");
        assertThat(labels.get(0).lineage().parents()).as("no input record, no parent").isEmpty();
        assertThat(labels.get(0).header(MeshHeaders.TYPE)).contains("kit.label-printed.v1");
      }
    }
  }

  @Test
  void aMeshNotBuiltByMeshSdkIsRefused() {
    Mesh foreign =
        (Mesh)
            java.lang.reflect.Proxy.newProxyInstance(
                Mesh.class.getClassLoader(),
                new Class<?>[] {Mesh.class},
                (proxy, method, args) ->
                    method.getName().equals("toString") ? "a foreign mesh" : null);
    assertThatThrownBy(() -> MeshStreams.of(foreign, APP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a mesh built by Mesh.builder()");
  }

  @Test
  void aClosedMeshIsRefused(TestMesh mesh) {
    mesh.close();
    assertThatThrownBy(() -> MeshStreams.of(mesh))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theSerdeByClassNameWritesTheProductsHeadersAndCountsIntoTheApplicationsMeters(
      TestMesh mesh) {
    String scope = "mesh-streams-by-class-name";
    try (MeshStreams streams = MeshStreams.of(mesh, APP)) {
      Properties props = streams.properties();
      props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, MeshStreamsSerde.class);
      props.put(MeshSerde.PRODUCT_CLASS, LabelPrinted.class.getName());
      props.put("schema.registry.url", "mock://" + scope);
      StreamsBuilder builder = new StreamsBuilder();
      builder.stream("in", Consumed.with(Serdes.String(), Serdes.Integer()))
          .processValues(MeshStreams.lineage())
          .mapValues(grams -> new LabelPrinted("p-1", grams))
          .to("labels");
      try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(MeshHeaders.ID, "evt-1".getBytes(StandardCharsets.UTF_8));
        headers.add(MeshHeaders.TYPE, "kit.weight.v1".getBytes(StandardCharsets.UTF_8));
        driver
            .createInputTopic(
                "in",
                new StringSerializer(),
                new org.apache.kafka.common.serialization.IntegerSerializer())
            .pipeInput(new TestRecord<>("p-1", 250, headers));
        TestOutputTopic<byte[], byte[]> out =
            driver.createOutputTopic(
                "labels", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TestRecord<byte[], byte[]> label = out.readRecord();
        assertThat(header(label, MeshHeaders.SOURCE)).isEqualTo("/mesh/" + mesh.application());
        assertThat(header(label, MeshHeaders.TYPE)).isEqualTo("kit.label-printed.v1");
        assertThat(header(label, MeshHeaders.PARENTS)).startsWith("kit.weight.v1;evt-1;in;0;0");
        assertThat(
                MeshSerde.of(
                        ProductContract.of(LabelPrinted.class), InMemorySchemaRegistry.named(scope))
                    .deserializer()
                    .deserialize("labels", label.value()))
            .isEqualTo(new LabelPrinted("p-1", 250));
        assertThat(
                mesh.metrics()
                    .get(MeshMetrics.PRODUCE_BYTES)
                    .tags(MeshMetrics.TAG_PRODUCT, "kit.label-printed")
                    .summary()
                    .count())
            .isEqualTo(1);
      } finally {
        InMemorySchemaRegistry.dropNamed(scope);
      }
    }
  }

  @Test
  void theSerdeByClassNameNeedsTheApplicationId() {
    MeshStreamsSerde<LabelPrinted> serde = new MeshStreamsSerde<>();
    assertThatThrownBy(
            () ->
                serde.configure(
                    Map.of(
                        MeshSerde.PRODUCT_CLASS,
                        LabelPrinted.class.getName(),
                        "schema.registry.url",
                        "mock://unused"),
                    false))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining(StreamsConfig.APPLICATION_ID_CONFIG);
    assertThatThrownBy(serde::serializer).isInstanceOf(IllegalStateException.class);
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static Timer consumed(MeterRegistry meters, String outcome) {
    return meters
        .get(MeshMetrics.CONSUME)
        .tags(
            MeshMetrics.TAG_PRODUCT,
            "kit.parcel-booked",
            MeshMetrics.TAG_VERSION,
            "1.0",
            MeshMetrics.TAG_GROUP,
            APP,
            MeshMetrics.TAG_OUTCOME,
            outcome)
        .timer();
  }

  private static double dlq(MeterRegistry meters, String reason) {
    return meters
        .get(MeshMetrics.DLQ)
        .tags(
            MeshMetrics.TAG_PRODUCT,
            "kit.parcel-booked",
            MeshMetrics.TAG_GROUP,
            APP,
            MeshMetrics.TAG_REASON,
            reason)
        .counter()
        .count();
  }
}
