package io.meshsdk.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.fixtures.AllTypes;
import io.meshsdk.fixtures.Customer;
import io.meshsdk.fixtures.OrderPlaced;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden tests: the derived schema of each sample class equals the checked-in .avsc. Run with
 * {@code -Dmesh.golden.update=true} to rewrite the files after an intended change, then review the
 * diff.
 */
class SchemaDerivationTest {

  @ParameterizedTest
  @ValueSource(classes = {OrderPlaced.class, AllTypes.class, Customer.class})
  void derivedSchemaEqualsGoldenFile(Class<?> type) throws IOException {
    Schema derived = ProductContract.of(type).schema();
    String file = "golden/" + type.getSimpleName() + ".avsc";
    if (Boolean.getBoolean("mesh.golden.update")) {
      Path target = Path.of("src/test/resources", file);
      Files.writeString(
          target, SchemaFormatter.format("json/pretty", derived) + "\n", StandardCharsets.UTF_8);
    }
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(file)) {
      assertThat(in).as("golden file %s", file).isNotNull();
      String golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(SchemaFormatter.format("json/pretty", derived)).isEqualTo(golden.strip());
      assertThat(new Schema.Parser().parse(golden)).isEqualTo(derived);
    }
  }

  @Test
  void derivationIsDeterministic() {
    // a fresh compilation (not the cached contract) yields the very same schema text
    Schema a = ProductContract.of(OrderPlaced.class).schema();
    Schema b =
        ProductContract.of(
                OrderPlaced.class,
                ProductDescriptor.builder("orders", "order-placed", "2.1")
                    .owner("team-orders")
                    .description("An order accepted from a customer.")
                    .compatibility(io.meshsdk.schema.Compatibility.FULL_TRANSITIVE)
                    .freshness(java.time.Duration.ofMinutes(5))
                    .tags("tier-1")
                    .build())
            .schema();
    assertThat(b.toString()).isEqualTo(a.toString());
  }

  @DataProduct(
      domain = "t",
      name = "pinned",
      version = "1.0",
      owner = "o",
      description = "d",
      schemaName = "com.acme.Pinned")
  record MovedClass(String id) {}

  @DataProduct(
      domain = "t",
      name = "pinned",
      version = "1.0",
      owner = "o",
      description = "d",
      schemaName = "not a name")
  record BadName(String id) {}

  @Test
  void pinsTheRecordNameWhenAsked() {
    assertThat(ProductContract.of(MovedClass.class).schema().getFullName())
        .isEqualTo("com.acme.Pinned");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProductContract.of(BadName.class))
        .hasMessageContaining("schemaName 'not a name' is not a valid Avro full name");
    io.meshsdk.serde.ProductCodec<MovedClass> codec =
        io.meshsdk.serde.ProductCodec.of(ProductContract.of(MovedClass.class));
    assertThat(codec.decode(codec.encode(new MovedClass("x")))).isEqualTo(new MovedClass("x"));
  }

  @Test
  void carriesContractMetadataAsProperties() {
    Schema s = ProductContract.of(OrderPlaced.class).schema();

    assertThat(s.getNamespace()).isEqualTo("io.meshsdk.fixtures");
    assertThat(s.getDoc()).isEqualTo("An order accepted from a customer.");
    assertThat(s.getProp("mesh.domain")).isEqualTo("orders");
    assertThat(s.getProp("mesh.version")).isEqualTo("2.1");
    assertThat(s.getProp("mesh.owner")).isEqualTo("team-orders");
    assertThat(s.getProp("mesh.key")).isEqualTo("orderId");
    assertThat(s.getField("customerEmail").getProp("mesh.pii")).isEqualTo("PERSONAL");
    assertThat(s.getField("shipping").getProp("mesh.since")).isEqualTo("2.1");
    assertThat(s.getField("shipping").defaultVal()).isEqualTo("STANDARD");
    assertThat(s.getField("shipping").schema().getEnumDefault()).isEqualTo("UNKNOWN");
    assertThat(s.getField("note").schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
    assertThat(s.getField("placedAt").schema().getLogicalType().getName())
        .isEqualTo("timestamp-millis");
  }
}
