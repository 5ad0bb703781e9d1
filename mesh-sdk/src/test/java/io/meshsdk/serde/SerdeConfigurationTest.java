package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.fixtures.Samples;
import io.meshsdk.registry.InMemorySchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The serdes configured by class name, as Kafka clients, Kafka Streams and Kafka Connect create
 * them: a no-arg constructor, then {@code configure(Map, isKey)}.
 */
class SerdeConfigurationTest {

  /** A key product: what Confluent's Avro key serializer would write for a record key. */
  @DataProduct(
      domain = "orders",
      name = "order-key",
      version = "1.0",
      owner = "team-orders",
      description = "The key of an order.")
  public record OrderKey(@Key String orderId, int region) {}

  /** Named registries live as long as the JVM: each run of a test gets its own. */
  private static final String RUN = "-" + System.nanoTime();

  private static InMemorySchemaRegistry named(String registry) {
    return InMemorySchemaRegistry.named(registry + RUN);
  }

  private static Map<String, Object> config(String registry) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", "localhost:9092"); // client keys pass by untouched
    c.put("schema.registry.url", "mock://" + registry + RUN);
    c.put("mesh.product.class", OrderPlaced.class.getName());
    return c;
  }

  @Test
  void aSerializerAndDeserializerByClassNameRoundTripThroughTheNamedRegistry() {
    Map<String, Object> c = config("serde-by-name");
    try (MeshSerializer<OrderPlaced> out = new MeshSerializer<>();
        MeshDeserializer<OrderPlaced> in = new MeshDeserializer<>()) {
      out.configure(c, false);
      in.configure(c, false);
      byte[] bytes = out.serialize("orders", Samples.order());
      assertThat(in.deserialize("orders", bytes)).isEqualTo(Samples.order());
    }
    InMemorySchemaRegistry shared = named("serde-by-name");
    assertThat(shared.subjects()).containsExactly("orders-value");
  }

  @Test
  void keysRegisterUnderKeySubjectsWithTheirOwnClass() {
    Map<String, Object> c = config("serde-keys");
    c.put("mesh.key.product.class", OrderKey.class); // a Class works as well as its name
    OrderKey key = new OrderKey("o-1", 3);
    try (MeshSerde<OrderKey> serde = new MeshSerde<>()) {
      serde.configure(c, true);
      byte[] bytes = serde.serializer().serialize("orders", key);
      assertThat(bytes[0]).as("Confluent magic byte").isZero();
      assertThat(serde.deserializer().deserialize("orders", bytes)).isEqualTo(key);
    }
    assertThat(named("serde-keys").subjects()).containsExactly("orders-key");
  }

  @Test
  void aKeySerdeWithOnlyTheValueClassSaysKeysNeedTheirOwn() {
    MeshSerializer<Object> keys = new MeshSerializer<>();
    assertThatThrownBy(() -> keys.configure(config("serde-no-key"), true))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("mesh.key.product.class: required")
        .hasMessageContaining("keys need their own");
  }

  @Test
  void everyMistakeIsNamedAtOnceAndNoSecretIsShown() {
    Map<String, Object> c = new HashMap<>();
    c.put("mesh.product.clas", OrderPlaced.class.getName());
    c.put("schema.registry.url", "http://user:s3cret@");
    c.put("mesh.subject.names", "TOPIC");
    c.put("mesh.decode.max.depth", "deep");
    MeshDeserializer<Object> in = new MeshDeserializer<>();
    assertThatThrownBy(() -> in.configure(c, false))
        .isInstanceOf(MeshConfigurationException.class)
        .satisfies(
            e -> {
              var problems = ((MeshConfigurationException) e).problems();
              assertThat(problems)
                  .anySatisfy(p -> assertThat(p).contains("did you mean mesh.product.class?"))
                  .anySatisfy(p -> assertThat(p).startsWith("mesh.product.class: required"))
                  .anySatisfy(p -> assertThat(p).startsWith("schema.registry.url:"))
                  .anySatisfy(p -> assertThat(p).contains("is not one of [TOPIC_NAME"))
                  .anySatisfy(p -> assertThat(p).contains("'deep' is not a whole number"));
            })
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void confluentsStrategyClassesAreRefusedNotIgnored() {
    Map<String, Object> c = config("serde-strategy");
    c.put(
        "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy");
    assertThatThrownBy(() -> new MeshSerializer<>().configure(c, false))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("value.subject.name.strategy")
        .hasMessageContaining("mesh.subject.names=TOPIC_NAME, RECORD_NAME or TOPIC_RECORD_NAME");
  }

  @Test
  void aTypoOfTheClassKeyIsNamedAlongsideTheMissingKey() {
    Map<String, Object> c = config("serde-typo");
    c.remove("mesh.product.class");
    c.put("mesh.product.classes", OrderPlaced.class.getName());
    assertThatThrownBy(() -> new MeshSerializer<>().configure(c, false))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("mesh.product.classes: unknown Mesh SDK property")
        .hasMessageContaining("mesh.product.class: required");
  }

  @Test
  void anUnknownProductClassIsNamed() {
    Map<String, Object> c = config("serde-unknown-class");
    c.put("mesh.product.class", "com.example.Missing");
    assertThatThrownBy(() -> new MeshSerializer<>().configure(c, false))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("class 'com.example.Missing' not found");
  }

  @Test
  void confluentsAutoRegisterSwitchMeansVerify() {
    Map<String, Object> c = config("serde-verify");
    c.put("auto.register.schemas", "false");
    try (MeshSerializer<OrderPlaced> out = new MeshSerializer<>()) {
      out.configure(c, false);
      assertThatThrownBy(() -> out.serialize("orders", Samples.order()))
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining("registration mode VERIFY"); // VERIFY checks, never registers
    }
    assertThat(named("serde-verify").subjects()).isEmpty();
    c.put("auto.register.schemas", "true");
    try (MeshSerializer<OrderPlaced> out = new MeshSerializer<>()) {
      out.configure(c, false);
      out.serialize("orders", Samples.order());
    }
    assertThat(named("serde-verify").subjects()).containsExactly("orders-value");
    c.put("auto.register.schemas", "false");
    c.put("mesh.registration", "AUTO_REGISTER");
    assertThatThrownBy(() -> new MeshSerializer<>().configure(c, false))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("contradicts")
        .hasMessageContaining("AUTO_REGISTER")
        .hasMessageContaining("VERIFY");
  }

  @Test
  void decodeLimitsComeFromTheConfiguration() {
    Map<String, Object> c = config("serde-limits");
    byte[] bytes;
    try (MeshSerializer<OrderPlaced> out = new MeshSerializer<>()) {
      out.configure(c, false);
      bytes = out.serialize("orders", Samples.order());
    }
    c.put("mesh.decode.max.elements", "2"); // the order has three line items
    try (MeshDeserializer<OrderPlaced> in = new MeshDeserializer<>()) {
      in.configure(c, false);
      assertThatThrownBy(() -> in.deserialize("orders", bytes))
          .isInstanceOf(RecordDecodingException.class)
          .satisfies(
              e ->
                  assertThat(((RecordDecodingException) e).reason())
                      .isEqualTo(RecordDecodingException.Reason.LIMIT_EXCEEDED));
    }
  }

  @Test
  void anInstanceBuiltInCodeKeepsItsSettings() {
    InMemorySchemaRegistry own = new InMemorySchemaRegistry();
    try (MeshSerializer<OrderPlaced> out =
        MeshSerializer.of(ProductContract.of(OrderPlaced.class), own)) {
      out.configure(config("serde-ignored"), true);
      out.serialize("orders", Samples.order());
    }
    assertThat(own.subjects()).containsExactly("orders-value");
    assertThat(named("serde-ignored").subjects()).isEmpty();
  }

  @Test
  void usingAnUnconfiguredSerdeFailsClearly() {
    MeshSerde<Object> serde = new MeshSerde<>();
    assertThatThrownBy(() -> serde.serializer().serialize("t", new Object()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not configured");
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 0, 1}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mesh.product.class");
  }
}
