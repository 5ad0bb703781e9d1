package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.streams.Parcels.LabelPrinted;
import io.meshsdk.streams.Parcels.ParcelBooked;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MeshStreamsDeadLetters} in Kafka's {@code TopologyTestDriver}: what each kind of failure
 * writes, and how a dead letter too large for the producer is cut down.
 */
class MeshStreamsDeadLettersTest {
  private static final String IN = "kit.parcel-booked.v1";
  private static final String OUT = "kit.label-printed.v1";
  private static final String DLQ = IN + ".labels.dlq";

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final MeshSerde<ParcelBooked> in =
      MeshSerde.of(ProductContract.of(ParcelBooked.class), registry);
  private TopologyTestDriver driver;
  private TestInputTopic<String, ParcelBooked> parcels;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, LabelPrinted> labels;
  private TestOutputTopic<byte[], byte[]> letters;

  @BeforeEach
  void start() {
    driver = driver(Map.of());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private TopologyTestDriver driver(Map<String, Object> extra) {
    MeshSerde<LabelPrinted> out = MeshSerde.of(ProductContract.of(LabelPrinted.class), registry);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(IN, Consumed.with(Serdes.String(), in))
        .mapValues(
            p -> {
              if (p.grams() < 0) {
                throw new IllegalStateException("negative weight for " + p.customerEmail());
              }
              return new LabelPrinted(p.parcelId(), p.grams());
            })
        .to(OUT, Produced.with(Serdes.String(), out));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "labels");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    props.putAll(extra);
    TopologyTestDriver d = new TopologyTestDriver(builder.build(), props);
    parcels = d.createInputTopic(IN, new StringSerializer(), in.serializer());
    raw = d.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer());
    labels =
        d.createOutputTopic(
            OUT,
            new StringDeserializer(),
            MeshSerde.of(ProductContract.of(LabelPrinted.class), registry).deserializer());
    String dlq = (String) extra.getOrDefault(MeshStreamsDeadLetters.DEAD_LETTER_TOPIC, DLQ);
    letters =
        d.createOutputTopic(
            dlq,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    return d;
  }

  @Test
  void aGoodRecordPassesAndWritesNoDeadLetter() {
    parcels.pipeInput("p-1", new ParcelBooked("p-1", "ada@example.com", 500));
    assertThat(labels.readValuesToList()).containsExactly(new LabelPrinted("p-1", 500));
    assertThat(letters.isEmpty()).isTrue();
  }

  @Test
  void aRecordThatIsNotMeshIsDeadLetteredWithItsBytesAndTheDecodingReason() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
    headers.add(MeshHeaders.DLQ_REASON, "stale".getBytes(StandardCharsets.UTF_8));
    byte[] bytes = "not avro".getBytes(StandardCharsets.UTF_8);
    raw.pipeInput(new TestRecord<>("x-1", bytes, headers, 1234L));
    parcels.pipeInput("p-2", new ParcelBooked("p-2", "bob@example.com", 700));

    TestRecord<byte[], byte[]> letter = letters.readRecord();
    assertThat(letter.value()).isEqualTo(bytes);
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("x-1");
    assertThat(header(letter.headers(), "trace")).isEqualTo("t-1");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_REASON)).isEqualTo("wrong_magic_byte");
    assertThat(letter.headers().headers(MeshHeaders.DLQ_REASON)).hasSize(1);
    assertThat(header(letter.headers(), MeshHeaders.DLQ_EXCEPTION))
        .isEqualTo(io.meshsdk.serde.RecordDecodingException.class.getName());
    assertThat(header(letter.headers(), MeshHeaders.DLQ_TOPIC)).isEqualTo(IN);
    assertThat(header(letter.headers(), MeshHeaders.DLQ_PARTITION)).isEqualTo("0");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_OFFSET)).isEqualTo("0");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_TIMESTAMP)).isEqualTo("1234");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_GROUP)).isEqualTo("labels");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_ATTEMPTS)).isEqualTo("1");
    assertThat(letter.timestamp()).isEqualTo(1234L);
    // the next record goes through: the pill did not stop the topology
    assertThat(labels.readValuesToList()).containsExactly(new LabelPrinted("p-2", 700));
    assertThat(letters.isEmpty()).isTrue();
  }

  @Test
  void aThrowingProcessorDeadLettersTheInputWithThePiiInTheMessageMasked() {
    parcels.pipeInput("p-3", new ParcelBooked("p-3", "carol@example.com", -5));

    TestRecord<byte[], byte[]> letter = letters.readRecord();
    assertThat(header(letter.headers(), MeshHeaders.DLQ_REASON)).isEqualTo("handler");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_EXCEPTION))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(header(letter.headers(), MeshHeaders.DLQ_MESSAGE))
        .startsWith("negative weight for ")
        .doesNotContain("carol");
    assertThat(in.deserializer().deserialize(IN, letter.value()))
        .isEqualTo(new ParcelBooked("p-3", "carol@example.com", -5));
    assertThat(labels.isEmpty()).isTrue();
  }

  @Test
  void anOutputThatBreaksItsContractDeadLettersTheInputThatLedToIt() {
    parcels.pipeInput("p-4", new ParcelBooked("p-4", "dan@example.com", 0));

    TestRecord<byte[], byte[]> letter = letters.readRecord();
    assertThat(header(letter.headers(), MeshHeaders.DLQ_REASON)).isEqualTo("handler");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_MESSAGE)).contains("grams");
    assertThat(letter.headers().lastHeader(MeshHeaders.DLQ_EXCEPTION)).isNotNull();
    assertThat(in.deserializer().deserialize(IN, letter.value()).grams()).isZero();
    assertThat(labels.isEmpty()).isTrue();
  }

  @Test
  void oneTopicForAllWhenConfigured() {
    driver.close();
    driver = driver(Map.of(MeshStreamsDeadLetters.DEAD_LETTER_TOPIC, "labels.dead-letters"));
    raw.pipeInput("x-2", new byte[] {0, 0, 0});
    assertThat(header(letters.readRecord().headers(), MeshHeaders.DLQ_REASON))
        .isEqualTo("truncated");
  }

  @Test
  void aDeadLetterTooLargeForTheProducerLeavesTheValueOutAndSaysSo() {
    driver.close();
    driver = driver(Map.of(StreamsConfig.producerPrefix("max.request.size"), 2048));
    byte[] big = new byte[4096];
    big[0] = 7;
    raw.pipeInput("x-3", big);

    TestRecord<byte[], byte[]> letter = letters.readRecord();
    assertThat(letter.value()).isNull();
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("x-3");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_OMITTED)).isEqualTo("value");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_VALUE_SIZE)).isEqualTo("4096");
    assertThat(header(letter.headers(), MeshHeaders.DLQ_VALUE_SHA256)).hasSize(64);
  }

  @Test
  void theCoreKnowsTheHandlersKeySoNoSerdeTakesItForATypo() {
    assertThat(io.meshsdk.config.internal.ConfigKeys.MODULE_KEYS)
        .contains(MeshStreamsDeadLetters.DEAD_LETTER_TOPIC);
  }

  @Test
  void configurationMistakesAreNamed() {
    MeshStreamsDeadLetters handler = new MeshStreamsDeadLetters();
    assertThatThrownBy(() -> handler.configure(Map.of()))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("application.id");
    assertThatThrownBy(
            () ->
                handler.configure(
                    Map.of("application.id", "a", MeshStreamsDeadLetters.DEAD_LETTER_TOPIC, " ")))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining(MeshStreamsDeadLetters.DEAD_LETTER_TOPIC);
    assertThatThrownBy(
            () -> handler.configure(Map.of("application.id", "a", "max.request.size", "big")))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("max.request.size");
  }

  @Test
  void aDeadLetterNeverRepeatsEarlierErrorHeaders() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(MeshHeaders.DLQ_GROUP, "old-group".getBytes(StandardCharsets.UTF_8));
    headers.add(MeshHeaders.DLQ_ATTEMPTS, "7".getBytes(StandardCharsets.UTF_8));
    raw.pipeInput(new TestRecord<>("x-4", new byte[] {1, 2}, headers, 5L));
    Headers out = letters.readRecord().headers();
    assertThat(out.headers(MeshHeaders.DLQ_GROUP)).hasSize(1);
    assertThat(header(out, MeshHeaders.DLQ_GROUP)).isEqualTo("labels");
    assertThat(header(out, MeshHeaders.DLQ_ATTEMPTS)).isEqualTo("1");
  }

  private static String header(Headers headers, String key) {
    var h = headers.lastHeader(key);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
