package io.meshsdk.testkit;

import static io.meshsdk.testkit.MeshAssertions.assertThatProduct;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.schema.Compatibility;
import jakarta.validation.constraints.Positive;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ProductAssertTest {
  @DataProduct(
      domain = "shop",
      name = "item-sold",
      version = "1.0",
      owner = "team-shop",
      description = "An item sold.")
  record ItemSold(@Key @Doc("Item id") String id, @Positive @Doc("Count") int count) {}

  @DataProduct(domain = "Shop", name = "x", version = "1.0", owner = "", description = "d")
  record Ungoverned(String customerEmail) {}

  static final Schema EARLIER =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"ItemSold\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

  @Test
  void passesForACompliantCompatibleProduct() {
    assertThatProduct(ItemSold.class)
        .compliesWith(GovernancePolicy.standard())
        .isCompatibleWith(EARLIER, Compatibility.FORWARD)
        .accepts(new ItemSold("i-1", 1))
        .rejects(new ItemSold("i-1", 0), "count");
  }

  @Test
  void failureMessagesSayWhatWasExpectedAndFound() {
    assertThatThrownBy(
            () -> assertThatProduct(Ungoverned.class).compliesWith(GovernancePolicy.standard()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected Shop.x to comply")
        .hasMessageContaining("[naming]")
        .hasMessageContaining("field customerEmail looks like personal data");
    assertThatThrownBy(
            () ->
                assertThatProduct(ItemSold.class).isCompatibleWith(EARLIER, Compatibility.BACKWARD))
        .hasMessageContaining("Expected shop.item-sold product version 1.0 to be compatible")
        .hasMessageContaining(
            "BACKWARD: the new schema cannot read data of earlier schema 1 of 1: field count:"
                + " READER_FIELD_MISSING_DEFAULT_VALUE")
        .hasMessageNotContaining("/fields/");
    // a schema the SDK derived carries its product version, which the report names
    Schema earlierWithVersion = new Schema.Parser().parse(EARLIER.toString());
    earlierWithVersion.addProp("mesh.version", "0.9");
    assertThatThrownBy(
            () ->
                assertThatProduct(ItemSold.class)
                    .isCompatibleWith(earlierWithVersion, Compatibility.BACKWARD))
        .hasMessageContaining("cannot read data of product version 0.9: field count");
    assertThatThrownBy(() -> assertThatProduct(ItemSold.class).accepts(new ItemSold("i", -1)))
        .hasMessageContaining("count: must be greater than 0 (Positive)");
    assertThatThrownBy(
            () -> assertThatProduct(ItemSold.class).rejects(new ItemSold("i", 1), "count"))
        .hasMessageContaining("reject the value at [count], but the violations were at []");
  }
}
