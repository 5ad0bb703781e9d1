package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a topology writes to a product topic with {@link MeshStreamsSerde}: the product's
 * CloudEvents headers, the input's replaced, and the input event as parent where {@link
 * MeshStreams#lineage()} noted it; in {@code TopologyTestDriver}.
 */
class StreamsLineageTest {
  private static final String IN = "kit.parcel-booked.v1";
  private static final String OUT = "kit.label-printed.v1";
  private static final String TOTALS = "kit.grams-per-customer.v1";

  @DataProduct(
      domain = "kit",
      name = "parcel-booked",
      version = "1.0",
      owner = "team-kit",
      description = "A parcel was booked.")
  record ParcelBooked(
      @Key @Doc("Parcel id") String parcelId,
      @Doc("Customer id") String customer,
      @Doc("Weight in grams") int grams) {}

  @DataProduct(
      domain = "kit",
      name = "label-printed",
      version = "2.3",
      owner = "team-kit",
      description = "A label was printed for a parcel.")
  record LabelPrinted(@Key @Doc("Parcel id") String parcelId, @Doc("Weight in grams") int grams) {}

  @DataProduct(
      domain = "kit",
      name = "grams-per-customer",
      version = "1.0",
      owner = "team-kit",
      description = "What a customer has booked so far, in grams.",
      kind = ProductKind.STATE)
  record GramsPerCustomer(@Key @Doc("Customer id") String customer, @Doc("Grams") long grams) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final MeshSerde<ParcelBooked> parcels =
      MeshSerde.of(ProductContract.of(ParcelBooked.class), registry);
  private TopologyTestDriver driver;

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private TestInputTopic<String, ParcelBooked> start(boolean lineage) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, ParcelBooked> in = builder.stream(IN, Consumed.with(Serdes.String(), parcels));
    if (lineage) {
      in = in.processValues(MeshStreams.lineage());
    }
    in.mapValues(p -> new LabelPrinted(p.parcelId(), p.grams()))
        .to(
            OUT,
            Produced.with(
                Serdes.String(),
                MeshStreamsSerde.of(ProductContract.of(LabelPrinted.class), registry, "labels")));
    in.groupBy((k, p) -> p.customer(), Grouped.with(Serdes.String(), parcels))
        .aggregate(
            () -> 0L,
            (customer, p, total) -> total + p.grams(),
            Materialized.with(Serdes.String(), Serdes.Long()))
        .mapValues((customer, total) -> new GramsPerCustomer(customer, total))
        .toStream()
        .to(
            TOTALS,
            Produced.with(
                Serdes.String(),
                MeshStreamsSerde.of(
                    ProductContract.of(GramsPerCustomer.class), registry, "labels")));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "labels");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    driver = new TopologyTestDriver(builder.build(), props);
    return driver.createInputTopic(IN, new StringSerializer(), parcels.serializer());
  }

  private TestOutputTopic<String, byte[]> out(String topic) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The headers a MeshProducer would have written on the input event. */
  private static Headers meshEvent(String id) {
    RecordHeaders h = new RecordHeaders();
    h.add(MeshHeaders.SPEC_VERSION, utf8("1.0"));
    h.add(MeshHeaders.ID, utf8(id));
    h.add(MeshHeaders.SOURCE, utf8("/mesh/booking"));
    h.add(MeshHeaders.TYPE, utf8("kit.parcel-booked.v1"));
    h.add(MeshHeaders.TIME, utf8("2026-12-01T10:00:00Z"));
    h.add(MeshHeaders.PARENTS, utf8("kit.cart-checked-out.v1;c-9;kit.cart.v1;0;4"));
    h.add("traceparent", utf8("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    return h;
  }

  @Test
  void aWrittenProductCarriesItsOwnHeadersAndNamesTheInputEventAsParent() {
    TestInputTopic<String, ParcelBooked> in = start(true);
    in.pipeInput(
        new TestRecord<>(
            "p-1", new ParcelBooked("p-1", "c-1", 500), meshEvent("e-1"), Instant.now()));

    TestRecord<String, byte[]> label = out(OUT).readRecord();
    Headers h = label.headers();
    assertThat(text(h, MeshHeaders.SPEC_VERSION)).isEqualTo("1.0");
    assertThat(text(h, MeshHeaders.TYPE)).isEqualTo("kit.label-printed.v2");
    assertThat(text(h, MeshHeaders.SOURCE)).isEqualTo("/mesh/labels");
    assertThat(text(h, MeshHeaders.VERSION)).isEqualTo("2.3");
    assertThat(text(h, MeshHeaders.CONTENT_TYPE)).isEqualTo("application/avro");
    assertThat(text(h, MeshHeaders.DATA_SCHEMA))
        .isEqualTo("urn:mesh:schema:" + WireFormat.schemaId(label.value()));
    assertThat(UUID.fromString(text(h, MeshHeaders.ID)).version()).isEqualTo(7);
    assertThat(Instant.parse(text(h, MeshHeaders.TIME)))
        .isAfter(Instant.parse("2026-12-01T10:00:00Z"));
    // the input's headers are replaced, never repeated; its parents are its own, not the label's
    for (String key :
        List.of(
            MeshHeaders.ID,
            MeshHeaders.TYPE,
            MeshHeaders.SOURCE,
            MeshHeaders.TIME,
            MeshHeaders.PARENTS)) {
      assertThat(h.headers(key)).as(key).hasSize(1);
    }
    assertThat(EventRef.parse(text(h, MeshHeaders.PARENTS)))
        .isEqualTo(new EventRef("kit.parcel-booked.v1", "e-1", IN, 0, 0));
    assertThat(h.lastHeader(MeshStreams.PARENT)).isNull();
    assertThat(text(h, "traceparent")).startsWith("00-4bf92f35");
  }

  @Test
  void anAggregateNamesTheLastEventThatChangedIt() {
    TestInputTopic<String, ParcelBooked> in = start(true);
    in.pipeInput(
        new TestRecord<>(
            "p-1", new ParcelBooked("p-1", "c-1", 500), meshEvent("e-1"), Instant.now()));
    in.pipeInput(
        new TestRecord<>(
            "p-2", new ParcelBooked("p-2", "c-1", 250), meshEvent("e-2"), Instant.now()));

    List<TestRecord<String, byte[]>> totals = out(TOTALS).readRecordsToList();
    assertThat(totals).hasSize(2);
    TestRecord<String, byte[]> last = totals.get(1);
    assertThat(
            MeshSerde.of(ProductContract.of(GramsPerCustomer.class), registry)
                .deserializer()
                .deserialize(TOTALS, last.value()))
        .isEqualTo(new GramsPerCustomer("c-1", 750));
    assertThat(text(last.headers(), MeshHeaders.TYPE)).isEqualTo("kit.grams-per-customer.v1");
    // through the repartition topic the note survives: the parent is the second booking
    assertThat(EventRef.parse(text(last.headers(), MeshHeaders.PARENTS)))
        .isEqualTo(new EventRef("kit.parcel-booked.v1", "e-2", IN, 0, 1));
  }

  @Test
  void withoutTheLineageStepOrWithoutMeshHeadersThereIsNoParent() {
    TestInputTopic<String, ParcelBooked> in = start(false);
    in.pipeInput(
        new TestRecord<>(
            "p-1", new ParcelBooked("p-1", "c-1", 500), meshEvent("e-1"), Instant.now()));
    Headers h = out(OUT).readRecord().headers();
    assertThat(h.lastHeader(MeshHeaders.PARENTS))
        .as("the input's own parents are not the label's")
        .isNull();
    assertThat(text(h, MeshHeaders.TYPE)).isEqualTo("kit.label-printed.v2");

    driver.close();
    in = start(true);
    in.pipeInput("p-2", new ParcelBooked("p-2", "c-2", 100)); // no Mesh headers: another client's
    Headers plain = out(OUT).readRecord().headers();
    assertThat(plain.lastHeader(MeshHeaders.PARENTS)).isNull();
    assertThat(plain.lastHeader(MeshHeaders.ID)).isNotNull();
  }

  private static String text(Headers headers, String key) {
    var h = headers.lastHeader(key);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
