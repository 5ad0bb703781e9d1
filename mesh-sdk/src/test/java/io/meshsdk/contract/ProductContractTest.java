package io.meshsdk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.fixtures.Customer;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.fixtures.Samples;
import io.meshsdk.fixtures.avro.OrderPlacedAvro;
import io.meshsdk.schema.Compatibility;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProductContractTest {

  @Test
  void readsIdentityTopicAndMetadataFromAnnotations() {
    ProductContract<OrderPlaced> c = ProductContract.of(OrderPlaced.class);

    assertThat(c.id()).isEqualTo("orders.order-placed");
    assertThat(c.version()).isEqualTo(new ProductVersion(2, 1));
    assertThat(c.topic()).isEqualTo("orders.order-placed.v2");
    assertThat(c.subject()).isEqualTo("orders.order-placed.v2-value");
    assertThat(c.eventType()).isEqualTo("orders.order-placed.v2");
    assertThat(c.owner()).isEqualTo("team-orders");
    assertThat(c.kind()).isEqualTo(ProductKind.EVENTS);
    assertThat(c.keyField()).contains("orderId");
    assertThat(c.compatibility()).isEqualTo(Compatibility.FULL_TRANSITIVE);
    assertThat(c.freshness()).contains(Duration.ofMinutes(5));
    assertThat(c.tags()).containsExactly("tier-1");
    assertThat(c.key(Samples.order())).isEqualTo("o-1");
  }

  @Test
  void cachesTheContractPerClass() {
    assertThat(ProductContract.of(OrderPlaced.class))
        .isSameAs(ProductContract.of(OrderPlaced.class));
  }

  @Test
  void describesFieldsWithPiiSinceDocsAndNestedFields() {
    ProductContract<OrderPlaced> c = ProductContract.of(OrderPlaced.class);

    assertThat(c.fields())
        .extracting(ContractField::name)
        .containsExactly(
            "orderId",
            "customerEmail",
            "amountCents",
            "currency",
            "weightKg",
            "placedAt",
            "items",
            "shipping",
            "note");
    ContractField email = c.fields().get(1);
    assertThat(email.pii()).contains(PiiLevel.PERSONAL);
    assertThat(email.constraints()).containsExactly(Constraint.email());
    assertThat(c.fields().get(7).since()).contains(new ProductVersion(2, 1));
    assertThat(c.fields().get(8).nullable()).isTrue();
    assertThat(c.fields().get(6).fields())
        .extracting(ContractField::path)
        .containsExactly("items.sku", "items.quantity", "items.unitPrice");
  }

  @Test
  void buildsPlainClassesWithSetters() {
    ProductContract<Customer> c = ProductContract.of(Customer.class);

    assertThat(c.kind()).isEqualTo(ProductKind.STATE);
    assertThat(c.fields())
        .extracting(ContractField::name)
        .containsExactly("customerId", "fullName", "points");
    Customer customer = new Customer();
    customer.setCustomerId("c-1");
    assertThat(c.key(customer)).isEqualTo("c-1");
    assertThat(c.validate(customer))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("fullName", "NotNull"));
  }

  @Test
  void describesGeneratedClassesWithADescriptor() {
    ProductDescriptor d =
        ProductDescriptor.builder("orders", "order-placed", "1.0")
            .owner("team-orders")
            .description("An order")
            .key("orderId")
            .field("customerEmail", f -> f.pii(PiiLevel.PERSONAL).constraints(Constraint.email()))
            .field("amountCents", f -> f.constraints(Constraint.positive()))
            .build();
    ProductContract<OrderPlacedAvro> c = ProductContract.of(OrderPlacedAvro.class, d);

    assertThat(c.topic()).isEqualTo("orders.order-placed.v1");
    assertThat(c.schema().getField("customerEmail").getProp("mesh.pii")).isEqualTo("PERSONAL");
    OrderPlacedAvro bad = new OrderPlacedAvro("o-1", "not-an-email", -1L, "EUR", null);
    assertThat(c.validate(bad))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("customerEmail", "Email"),
            org.assertj.core.groups.Tuple.tuple("amountCents", "Positive"));
    assertThat(c.key(bad)).isEqualTo("o-1");
  }

  @Test
  void refusesAGeneratedClassWithoutDescriptor() {
    assertThatThrownBy(() -> ProductContract.of(OrderPlacedAvro.class))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("not annotated with @DataProduct");
  }

  @Test
  void refusesDescriptorNamingMissingFields() {
    ProductDescriptor d =
        ProductDescriptor.builder("orders", "order-placed", "1.0")
            .field("nope", f -> f.doc("x"))
            .key("missing")
            .build();
    MeshConfigurationException e =
        catchThrowableOfType(
            MeshConfigurationException.class, () -> ProductContract.of(OrderPlacedAvro.class, d));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("'nope', which does not exist"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("key field 'missing' does not exist"));
  }

  @Test
  void refusesDescriptorPathsEndingInADot() {
    // "customerEmail." is not "customerEmail": its description would never be applied
    ProductDescriptor d =
        ProductDescriptor.builder("orders", "order-placed", "1.0")
            .key("orderId")
            .field("customerEmail.", f -> f.doc("x"))
            .build();
    assertThatThrownBy(() -> ProductContract.of(OrderPlacedAvro.class, d))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("'customerEmail.', which does not exist");
    assertThatThrownBy(() -> ProductContract.of(OrderPlaced.class, d))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("'customerEmail.', which does not exist");
  }

  record NotAProduct(String id) {}

  @Test
  void refusesAClassWithoutAnnotation() {
    assertThatThrownBy(() -> ProductContract.of(NotAProduct.class))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("NotAProduct")
        .hasMessageContaining("not annotated with @DataProduct");
  }

  @DataProduct(
      domain = "bad",
      name = "broken",
      version = "v2",
      owner = "o",
      description = "d",
      kind = ProductKind.STATE,
      freshness = "5 minutes")
  record Broken(
      @Positive String id,
      Thread thread,
      BigDecimal price,
      @io.meshsdk.contract.DefaultValue("abc") int count,
      @NotBlank int blankable,
      java.util.Map<Integer, String> byNumber) {}

  @Test
  void listsEveryProblemOfABrokenClassAtOnce() {
    MeshConfigurationException e =
        catchThrowableOfType(
            MeshConfigurationException.class, () -> ProductContract.of(Broken.class));

    assertThat(e.getMessage()).startsWith(Broken.class.getName() + " cannot be a data product:");
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("version 'v2' is not 'major.minor'"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("freshness '5 minutes'"));
  }

  @DataProduct(
      domain = "bad",
      name = "broken",
      version = "1.0",
      owner = "o",
      description = "d",
      kind = ProductKind.STATE)
  record BrokenFields(
      @Positive String id,
      Thread thread,
      BigDecimal price,
      @io.meshsdk.contract.DefaultValue("abc") int count,
      @NotBlank int blankable,
      java.util.Map<Integer, String> byNumber,
      @io.meshsdk.contract.Since("1.3") String later) {}

  @Test
  void listsEveryFieldProblemWithClassAndField() {
    MeshConfigurationException e =
        catchThrowableOfType(
            MeshConfigurationException.class, () -> ProductContract.of(BrokenFields.class));
    String owner = BrokenFields.class.getName();

    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).isEqualTo(owner + ".id: @Positive does not apply to string"))
        .anySatisfy(
            p -> assertThat(p).isEqualTo(owner + ".thread: unsupported type java.lang.Thread"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(owner + ".price: BigDecimal needs @Decimal(precision, scale)"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(owner + ".count: @DefaultValue(\"abc\") does not parse as int"))
        .anySatisfy(
            p -> assertThat(p).isEqualTo(owner + ".blankable: @NotBlank does not apply to int"))
        .anySatisfy(p -> assertThat(p).startsWith(owner + ".byNumber: map keys must be String"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains(
                        owner + ".later: @Since(\"1.3\") is newer than the product version 1.0"))
        .anySatisfy(p -> assertThat(p).contains("a STATE product must declare a @Key field"));
  }

  @DataProduct(domain = "orders", name = "late", version = "1.2", owner = "o", description = "d")
  record AddedWithoutDefault(String id, @io.meshsdk.contract.Since("1.2") String added) {}

  @Test
  void refusesAFieldAddedInAMinorWithoutDefault() {
    assertThatThrownBy(() -> ProductContract.of(AddedWithoutDefault.class))
        .hasMessageContaining("added in 1.2 without a default");
  }

  @DataProduct(domain = "orders", name = "keys", version = "1.0", owner = "o", description = "d")
  record TwoKeys(@Key String a, @Key String b, @Key @org.jspecify.annotations.Nullable String c) {}

  @Test
  void refusesSeveralOrNullableKeys() {
    MeshConfigurationException e =
        catchThrowableOfType(
            MeshConfigurationException.class, () -> ProductContract.of(TwoKeys.class));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("@Key must be a non-nullable"));
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> ProductContract.of(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ProductContract.of(OrderPlaced.class).validate(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ProductVersion.parse("1"))
        .isInstanceOf(MeshConfigurationException.class);
    assertThatThrownBy(() -> ProductVersion.parse("0.1"))
        .isInstanceOf(MeshConfigurationException.class);
    assertThat(ProductVersion.parse("10.0")).isEqualTo(new ProductVersion(10, 0));
    assertThat(List.of(ProductVersion.parse("1.10"), ProductVersion.parse("1.9")).stream().sorted())
        .containsExactly(new ProductVersion(1, 9), new ProductVersion(1, 10));
  }
}
