package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerExpectationsTest {
  @TempDir Path dir;

  /** The shipping team's reader: only what it needs, under its own name. */
  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "1.1",
      owner = "team-shipping",
      description = "What shipping reads.")
  record ShippingView(@Key @Doc("Id") String orderId, @Doc("Lines") List<Line> lines) {}

  record Line(@Doc("Sku") String sku) {}

  /** The consumer's own copy of the nested type, under another name. */
  record ShippingLine(@Doc("Sku") String sku) {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "1.0",
      owner = "team-billing",
      description = "What billing reads.")
  record BillingView(@Key @Doc("Id") String orderId, @Doc("Lines") List<ShippingLine> lines) {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "1.2",
      owner = "team-orders",
      description = "An order.")
  record OrderPlaced(
      @Key @Doc("Id") String orderId,
      @Doc("Cents") long cents,
      @Doc("Lines") List<Line> lines,
      @Doc("Note") @Nullable String note) {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "1.3",
      owner = "team-orders",
      description = "An order.")
  record OrderWithoutLines(@Key @Doc("Id") String orderId, @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "2.0",
      owner = "team-orders",
      description = "An order.")
  record OrderV2(@Key @Doc("Id") String orderId) {}

  @Test
  void recordsTheReaderAndVerifiesTheProducerAgainstIt() throws Exception {
    Path file = ConsumerExpectations.record("shipping", ShippingView.class).to(dir);

    assertThat(file).isEqualTo(dir.resolve("orders.order-placed/shipping.json"));
    assertThat(Files.readString(file))
        .contains("\"consumer\" : \"shipping\"")
        .contains("\"lines.sku\"")
        .contains("\"version\" : \"1.1\"");
    assertThat(ConsumerExpectations.in(dir).verify(OrderPlaced.class)).isEqualTo(1);
  }

  @Test
  void namesTheConsumerAndWhatBreaks() {
    ConsumerExpectations.record("shipping", ShippingView.class).to(dir);

    assertThatThrownBy(() -> ConsumerExpectations.in(dir).verify(OrderWithoutLines.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "orders.order-placed product version 1.3 breaks consumer shipping (written against"
                + " product version 1.1)")
        .hasMessageContaining("field lines.sku is gone")
        .hasMessageContaining("field lines: READER_FIELD_MISSING_DEFAULT_VALUE (lines)")
        .hasMessageNotContaining("/fields/");
  }

  @Test
  void consumersMayNameTheirTypesFreely() {
    ConsumerExpectations.record("billing", BillingView.class).to(dir);
    assertThat(ConsumerExpectations.in(dir).verify(OrderPlaced.class)).isEqualTo(1);
  }

  @Test
  void failsForAProductWithoutExpectationsUnlessAllowed() {
    // used to pass, checking nothing
    assertThatThrownBy(() -> ConsumerExpectations.in(dir.resolve("none")).verify(OrderPlaced.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "orders.order-placed product version 1.2: no consumer expectation of major version 1")
        .hasMessageContaining("allowMissing()");

    // expectations of another major are skipped, so they do not count
    ConsumerExpectations.record("shipping", ShippingView.class).to(dir);
    assertThatThrownBy(() -> ConsumerExpectations.in(dir).verify(OrderPlaced.class, OrderV2.class))
        .hasMessageContaining("orders.order-placed product version 2.0: no consumer expectation")
        .hasMessageContaining("only of other majors: [shipping.json (product version 1.1)]")
        .hasMessageNotContaining("product version 1.2");

    assertThat(ConsumerExpectations.in(dir).allowMissing().verify(OrderV2.class)).isZero();
    assertThat(ConsumerExpectations.in(dir).allowMissing().verify(OrderPlaced.class, OrderV2.class))
        .isEqualTo(1);
  }

  @Test
  void validatesTheConsumerName() {
    assertThatThrownBy(() -> ConsumerExpectations.record("../evil", ShippingView.class))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
