package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.schema.Compatibility;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractSnapshotsTest {
  @TempDir Path dir;

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.0",
      owner = "team-orders",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V10(@Key @Doc("Id") String id) {}

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.0",
      owner = "team-orders",
      description = "A payment, documented better.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V10Redocumented(@Key @Doc("The order id") String id) {}

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.0",
      owner = "team-orders",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V10Changed(@Key @Doc("Id") String id, @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.1",
      owner = "team-orders",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V11(@Key @Doc("Id") String id, @Doc("Note") @Nullable String note) {}

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.2",
      owner = "team-orders",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V12Breaking(@Key @Doc("Id") String id, @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "2.0",
      owner = "team-orders",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V20(@Key @Doc("Id") String id, @Doc("Cents") long cents) {}

  @Test
  void writesTheFirstSnapshotThenKeepsTheHistory() {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);

    assertThat(snapshots.verify(V10.class)).containsExactly(ContractSnapshots.Outcome.CREATED);
    assertThat(dir.resolve("orders.order-paid/v1/1.0.avsc")).exists();
    assertThat(snapshots.verify(V10.class)).containsExactly(ContractSnapshots.Outcome.UNCHANGED);
    assertThat(snapshots.verify(V10Redocumented.class))
        .containsExactly(ContractSnapshots.Outcome.UPDATED);
    assertThat(snapshots.verify(V11.class)).containsExactly(ContractSnapshots.Outcome.APPENDED);
    assertThat(dir.resolve("orders.order-paid/v1/1.1.avsc")).exists();
    // a major version starts a new line, whatever it breaks
    assertThat(snapshots.verify(V20.class)).containsExactly(ContractSnapshots.Outcome.CREATED);
    assertThat(dir.resolve("orders.order-paid/v2/2.0.avsc")).exists();
  }

  @Test
  void failsABreakingMinorWithTheReportAndADiff() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);
    snapshots.verify(V11.class);

    assertThatThrownBy(() -> snapshots.verify(V12Breaking.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("orders.order-paid 1.2 breaks its FULL_TRANSITIVE promise")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
        .hasMessageContaining("bump the major version")
        .hasMessageContaining("+ \"name\" : \"cents\",")
        .hasMessageContaining("- \"name\" : \"note\",");
    assertThat(dir.resolve("orders.order-paid/v1/1.2.avsc")).doesNotExist();
  }

  @Test
  void failsAChangeWithoutAVersionBumpAndAVersionGoingBackwards() {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);
    assertThatThrownBy(() -> snapshots.verify(V10Changed.class))
        .hasMessageContaining("the schema changed but the version did not")
        .hasMessageContaining("+ \"name\" : \"cents\",");

    snapshots.verify(V11.class);
    // an older writer class still in the code base, unchanged since its snapshot, is fine
    assertThat(snapshots.verify(V10.class)).containsExactly(ContractSnapshots.Outcome.UNCHANGED);
    // but an older version number with another schema means the version went backwards
    assertThatThrownBy(() -> snapshots.verify(V10Changed.class))
        .hasMessageContaining("the version went backwards");
  }

  @Test
  void keepsGoldenPayloadsThatTheCurrentReaderMustDecode() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);
    Path payloads = dir.resolve("orders.order-paid/v1/1.0.payloads");
    assertThat(Files.readAllLines(payloads)).hasSize(5);

    assertThat(snapshots.verify(V11.class)).containsExactly(ContractSnapshots.Outcome.APPENDED);
    assertThat(dir.resolve("orders.order-paid/v1/1.1.payloads")).exists();

    Files.write(payloads, java.util.List.of("AAAA/w=="), java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> snapshots.verify(V11.class))
        .hasMessageContaining("orders.order-paid 1.1: golden payloads fail")
        .hasMessageContaining("payload 1 of 1.0 does not decode");
  }

  @Test
  void reportsEveryFailingProductAtOnce() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class, V11.class);
    assertThat(
            Files.list(dir.resolve("orders.order-paid/v1"))
                .filter(p -> p.toString().endsWith(".avsc")))
        .hasSize(2);
    assertThatThrownBy(() -> snapshots.verify(V12Breaking.class, V10Changed.class))
        .hasMessageContaining("1.2 breaks")
        .hasMessageContaining("version went backwards");
  }
}
