package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.serde.WireFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MeshSerde} in a Kafka Streams topology configured by class name only ({@code
 * default.value.serde}, {@code mesh.product.class}, {@code schema.registry.url}): a {@code KTable}
 * of a {@code STATE} product round-trips values and deletes, in the Confluent framing.
 */
class MeshSerdeStreamsTest {
  private static final String REGISTRY = "streams-serde-test";
  private static final String IN = "kit.parcel-status.v1";
  private static final String OUT = "kit.parcel-status-latest.v1";

  @DataProduct(
      domain = "kit",
      name = "parcel-status",
      version = "1.0",
      owner = "team-kit",
      description = "The latest status of a parcel.",
      kind = ProductKind.STATE)
  public record ParcelStatus(
      @Key @Doc("Parcel id") String parcelId, @Doc("Status") String status) {}

  private TopologyTestDriver driver;

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    InMemorySchemaRegistry.dropNamed(REGISTRY);
  }

  private static Properties byClassName() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-view");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, MeshSerde.class);
    props.put(MeshSerde.PRODUCT_CLASS, ParcelStatus.class.getName());
    props.put("schema.registry.url", "mock://" + REGISTRY);
    // Kafka Streams hands the whole configuration to every serde: the dead-letter handler's key
    // must not be taken for a typo of a serde key
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    props.put(MeshStreamsDeadLetters.DEAD_LETTER_TOPIC, "status-view.dead-letters");
    return props;
  }

  @Test
  void aTableOfAStateProductKeepsTheLatestValueAndForgetsDeletedKeys() {
    StreamsBuilder builder = new StreamsBuilder();
    builder
        .<String, ParcelStatus>table(
            IN,
            Materialized
                .<String, ParcelStatus, KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>
                    as("latest"))
        .toStream()
        .to(OUT);
    driver = new TopologyTestDriver(builder.build(), byClassName());
    MeshSerde<ParcelStatus> serde =
        MeshSerde.of(
            ProductContract.of(ParcelStatus.class), InMemorySchemaRegistry.named(REGISTRY));
    TestInputTopic<String, ParcelStatus> in =
        driver.createInputTopic(IN, new StringSerializer(), serde.serializer());
    TestOutputTopic<String, byte[]> out =
        driver.createOutputTopic(
            OUT,
            new StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer());

    in.pipeInput("p-1", new ParcelStatus("p-1", "BOOKED"));
    in.pipeInput("p-2", new ParcelStatus("p-2", "BOOKED"));
    in.pipeInput("p-1", new ParcelStatus("p-1", "SHIPPED"));
    in.pipeInput("p-2", (ParcelStatus) null);

    List<KeyValue<String, byte[]>> written = out.readKeyValuesToList();
    assertThat(written).hasSize(4);
    assertThat(written.get(0).value[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    assertThat(serde.deserializer().deserialize(OUT, written.get(2).value))
        .isEqualTo(new ParcelStatus("p-1", "SHIPPED"));
    assertThat(written.get(3).key).isEqualTo("p-2");
    assertThat(written.get(3).value).as("the delete stays a tombstone").isNull();

    KeyValueStore<String, ParcelStatus> latest = driver.getKeyValueStore("latest");
    assertThat(latest.get("p-1")).isEqualTo(new ParcelStatus("p-1", "SHIPPED"));
    assertThat(latest.get("p-2")).isNull();
    try (var all = latest.all()) {
      assertThat(all).toIterable().extracting(kv -> kv.key).containsExactly("p-1");
    }
  }

  @Test
  void aSerdeConfiguredWithoutItsProductClassSaysWhatIsMissing() {
    Properties props = byClassName();
    props.remove(MeshSerde.PRODUCT_CLASS);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(IN).to(OUT);
    assertThatThrownBy(() -> new TopologyTestDriver(builder.build(), props))
        .hasStackTraceContaining(MeshSerde.PRODUCT_CLASS);
  }
}
