package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.fixtures.Samples;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  @DataProduct(domain = "t", name = "tiny", version = "1.0", owner = "o", description = "d")
  record Tiny(@NotBlank String id, long n, @Nullable String note) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final MeshSerde<Tiny> serde = MeshSerde.of(ProductContract.of(Tiny.class), registry);

  @Test
  void writesTheConfluentWireFormatByteForByte() {
    // magic 0, schema id 1 big-endian, "ab" (zigzag length 2 -> 04), n = -2 (zigzag 3 -> 03),
    // note null (union branch 0 -> 00)
    assertThat(serde.serializer().serialize("t.tiny.v1", new Tiny("ab", -2, null)))
        .containsExactly(0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 'a', 'b', 0x03, 0x00);
    // note "é": union branch 1 (02), UTF-8 length 2 (04), C3 A9; n = 150 (zigzag 300 -> AC 02)
    assertThat(serde.serializer().serialize("t.tiny.v1", new Tiny("ab", 150, "é")))
        .containsExactly(
            0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 'a', 'b', 0xAC, 0x02, 0x02, 0x04, 0xC3, 0xA9);
  }

  @Test
  void roundTripsThroughTheRegistryAndCachesTheSchemaId() {
    Tiny value = new Tiny("ab", 1, "x");
    byte[] bytes = serde.serializer().serialize("t.tiny.v1", value);
    assertThat(serde.deserializer().deserialize("t.tiny.v1", bytes)).isEqualTo(value);
    long calls = registry.requestCount();

    for (int i = 0; i < 100; i++) {
      serde
          .deserializer()
          .deserialize("t.tiny.v1", serde.serializer().serialize("t.tiny.v1", value));
    }

    assertThat(registry.requestCount()).isEqualTo(calls);
    assertThat(registry.latest("t.tiny.v1-value").id()).isEqualTo(1);
  }

  @DataProduct(domain = "t", name = "tiny-wide", version = "1.0", owner = "o", description = "d")
  record TinyWide(String id, long n, @Nullable String note, int extra) {}

  @Test
  void readsRecordsOfSeveralWriterSchemasInAnyOrderWithoutAskingTheRegistryAgain() {
    byte[] tiny = serde.serializer().serialize("t.tiny.v1", new Tiny("a", 1, null));
    byte[] wide =
        MeshSerializer.of(ProductContract.of(TinyWide.class), registry)
            .serialize("t.tiny-wide.v1", new TinyWide("b", 2, "w", 9));
    assertThat(WireFormat.schemaId(tiny)).isNotEqualTo(WireFormat.schemaId(wide));
    MeshDeserializer<Tiny> reader = serde.deserializer();
    assertThat(reader.deserialize("t", tiny)).isEqualTo(new Tiny("a", 1, null));
    assertThat(reader.deserialize("t", wide)).isEqualTo(new Tiny("b", 2, "w"));
    long calls = registry.requestCount();

    for (int i = 0; i < 3; i++) {
      // alternating ids: each record is read with its own writer's plan
      assertThat(reader.deserialize("t", wide)).isEqualTo(new Tiny("b", 2, "w"));
      assertThat(reader.deserialize("t", tiny)).isEqualTo(new Tiny("a", 1, null));
      assertThat(reader.deserialize("t", tiny)).isEqualTo(new Tiny("a", 1, null));
    }
    assertThat(registry.requestCount()).isEqualTo(calls);
  }

  @Test
  void checksTheContractBeforeEncoding() {
    assertThatThrownBy(() -> serde.serializer().serialize("t.tiny.v1", new Tiny(" ", 1, null)))
        .isInstanceOf(ContractViolationException.class)
        .hasMessageContaining("id: must not be blank");
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void keepsNullsAsTombstones() {
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }

  /** A record not in the wire format may be plain text holding personal data: only byte one. */
  @Test
  void refusesAWrongMagicByteShowingOnlyTheFirstByte() {
    byte[] bad = "+44 7700 900123".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", bad))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_MAGIC_BYTE))
        .hasMessageContaining("topic t.tiny.v1")
        .hasMessageContaining("first byte is 0x2b (text?)")
        .hasMessageContaining("(15 bytes)")
        .hasMessageNotContaining("7700")
        .hasMessageNotContaining("37 37");
  }

  @Test
  void refusesAnUnknownSchemaId() {
    byte[] bad = {0, 0, 0, 0, 42, 2, 'a'};
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", bad))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
        .hasMessageContaining("schema id 42");
  }

  @Test
  void refusesTruncatedHeadersAndBodies() {
    byte[] good = serde.serializer().serialize("t.tiny.v1", new Tiny("ab", 150, "é"));
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", new byte[] {0, 0}))
        .isInstanceOfSatisfying(
            RecordDecodingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", cut))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_LENGTH));
    byte[] cutInNumber = java.util.Arrays.copyOf(good, 9);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", cutInNumber))
        .isInstanceOfSatisfying(
            RecordDecodingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
  }

  @Test
  void refusesTrailingBytes() {
    byte[] good = serde.serializer().serialize("t.tiny.v1", new Tiny("ab", 1, null));
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", longer))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TRAILING_BYTES));
  }

  @Test
  void refusesAHugeLengthBeforeAllocating() {
    serde.serializer().serialize("t.tiny.v1", new Tiny("ab", 1, null));
    // string length 2^31-1 claimed by a 5-byte varint (zigzag): would need 2 GiB if allocated
    byte[] hostile = {0, 0, 0, 0, 1, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", hostile))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_LENGTH))
        .hasMessageContaining("string length 2147483647");
    byte[] negative = {0, 0, 0, 0, 1, 0x01};
    assertThatThrownBy(() -> serde.deserializer().deserialize("t.tiny.v1", negative))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_LENGTH));
  }

  @Test
  void refusesAnIncompatibleWriterSchema() {
    MeshSerializer<OrderPlaced> orders =
        MeshSerializer.of(ProductContract.of(OrderPlaced.class), registry);
    byte[] order = orders.serialize("orders", Samples.order());
    assertThatThrownBy(() -> serde.deserializer().deserialize("orders", order))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_WRITER_SCHEMA))
        .hasMessageContaining("schema id 1")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE");
  }

  @Test
  void verifyModeFailsFastWhenTheSchemaIsNotRegistered() {
    MeshSerializer<Tiny> verifying =
        MeshSerializer.builder(ProductContract.of(Tiny.class), registry)
            .registration(RegistrationMode.VERIFY)
            .build();
    assertThatThrownBy(() -> verifying.schemaId("t.tiny.v1"))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("subject 't.tiny.v1-value'")
        .hasMessageContaining("VERIFY");

    int id = serde.serializer().schemaId("t.tiny.v1");
    assertThat(verifying.schemaId("t.tiny.v1")).isEqualTo(id);
  }

  @Test
  void surfacesARegistryOutageAsRetriableNotAsABadRecord() {
    byte[] bytes = serde.serializer().serialize("t.tiny.v1", new Tiny("ab", 1, null));
    // the one edge we cannot run here: a registry that is down; a proxy fails schemaById only
    io.meshsdk.registry.SchemaRegistry down =
        (io.meshsdk.registry.SchemaRegistry)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {io.meshsdk.registry.SchemaRegistry.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("schemaById")) {
                    throw new SchemaRegistryException(
                        SchemaRegistryException.Kind.UNAVAILABLE, "connection refused");
                  }
                  return method.invoke(registry, args);
                });
    MeshDeserializer<Tiny> cold = MeshDeserializer.of(ProductContract.of(Tiny.class), down);

    assertThatThrownBy(() -> cold.deserialize("t.tiny.v1", bytes))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.isRetriable()).isTrue());
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> MeshSerde.of(null, registry)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MeshSerde.of(ProductContract.of(Tiny.class), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> WireFormat.schemaId(null)).isInstanceOf(NullPointerException.class);
  }
}
