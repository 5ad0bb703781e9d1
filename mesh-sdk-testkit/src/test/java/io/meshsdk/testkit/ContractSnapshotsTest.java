package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.schema.Compatibility;
import jakarta.validation.constraints.Pattern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
  void writesTheFirstSnapshotThenKeepsTheHistory() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);

    assertThat(snapshots.verify(V10.class)).containsExactly(ContractSnapshots.Outcome.CREATED);
    assertThat(dir.resolve("orders.order-paid/v1/1.0.avsc")).exists();
    assertThat(snapshots.verify(V10.class)).containsExactly(ContractSnapshots.Outcome.UNCHANGED);
    assertThat(snapshots.verify(V11.class)).containsExactly(ContractSnapshots.Outcome.APPENDED);
    assertThat(dir.resolve("orders.order-paid/v1/1.1.avsc")).exists();
    // a major version starts a new line, whatever it breaks
    assertThat(snapshots.verify(V20.class)).containsExactly(ContractSnapshots.Outcome.CREATED);
    assertThat(dir.resolve("orders.order-paid/v2/2.0.avsc")).exists();
    assertThat(files(dir)).noneMatch(p -> p.toString().endsWith(".tmp"));
  }

  @Test
  void reportsDocumentationChangesAndRewritesOnlyWhenAccepted() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);
    Path snapshot = dir.resolve("orders.order-paid/v1/1.0.avsc");
    String before = Files.readString(snapshot);

    assertThatThrownBy(() -> snapshots.verify(V10Redocumented.class))
        .hasMessageContaining(
            "orders.order-paid product version 1.0: the owner, documentation or properties"
                + " changed")
        .hasMessageContaining("- description: \"A payment.\" -> \"A payment, documented better.\"")
        .hasMessageContaining("- field id: doc \"Id\" -> \"The order id\"")
        .hasMessageContaining("acceptingMetadataChanges()");
    assertThat(Files.readString(snapshot)).isEqualTo(before);

    assertThat(snapshots.acceptingMetadataChanges().verify(V10Redocumented.class))
        .containsExactly(ContractSnapshots.Outcome.UPDATED);
    assertThat(Files.readString(snapshot)).contains("The order id");
    assertThat(snapshots.verify(V10Redocumented.class))
        .containsExactly(ContractSnapshots.Outcome.UNCHANGED);
  }

  @Test
  void aRunWithTheAcceptPropertyAcceptsMetadataChangesWithoutChangingCode() throws Exception {
    ContractSnapshots.in(dir).verify(V10.class);
    Path snapshot = dir.resolve("orders.order-paid/v1/1.0.avsc");
    String old = System.getProperty(ContractSnapshots.ACCEPT_METADATA_PROPERTY);
    System.setProperty(ContractSnapshots.ACCEPT_METADATA_PROPERTY, "true");
    try {
      assertThat(ContractSnapshots.in(dir).verify(V10Redocumented.class))
          .containsExactly(ContractSnapshots.Outcome.UPDATED);
    } finally {
      if (old == null) {
        System.clearProperty(ContractSnapshots.ACCEPT_METADATA_PROPERTY);
      } else {
        System.setProperty(ContractSnapshots.ACCEPT_METADATA_PROPERTY, old);
      }
    }
    assertThat(Files.readString(snapshot)).contains("The order id");
  }

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.0",
      owner = "team-payments",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V10NewOwner(@Key @Doc("Id") String id) {}

  @Test
  void reportsAChangeOfOwnerWithBothSides() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);

    assertThatThrownBy(() -> snapshots.verify(V10NewOwner.class))
        .hasMessageContaining("- owner: \"team-orders\" -> \"team-payments\"");
    assertThat(Files.readString(dir.resolve("orders.order-paid/v1/1.0.avsc")))
        .contains("team-orders")
        .doesNotContain("team-payments");
    assertThat(snapshots.acceptingMetadataChanges().verify(V10NewOwner.class))
        .containsExactly(ContractSnapshots.Outcome.UPDATED);
    assertThat(Files.readString(dir.resolve("orders.order-paid/v1/1.0.avsc")))
        .contains("team-payments");
  }

  @DataProduct(
      domain = "customers",
      name = "customer-registered",
      version = "1.0",
      owner = "team-customers",
      description = "A customer.",
      schemaName = "com.shop.Customer")
  record Customer10(@Key @Doc("Id") String id, @Pii @Doc("E-mail") String email) {}

  @DataProduct(
      domain = "customers",
      name = "customer-registered",
      version = "1.0",
      owner = "team-customers",
      description = "A customer.",
      schemaName = "com.shop.Customer")
  record Customer10Unclassified(@Key @Doc("Id") String id, @Doc("E-mail") String email) {}

  @DataProduct(
      domain = "customers",
      name = "customer-registered",
      version = "1.0",
      owner = "team-customers",
      description = "A customer.",
      schemaName = "com.shop.Customer")
  record Customer10Sensitive(
      @Key @Doc("Id") String id, @Pii(PiiLevel.SENSITIVE) @Doc("E-mail") String email) {}

  @DataProduct(
      domain = "customers",
      name = "customer-registered",
      version = "1.1",
      owner = "team-customers",
      description = "A customer.",
      schemaName = "com.shop.Customer")
  record Customer11Unclassified(@Key @Doc("Id") String id, @Doc("E-mail") String email) {}

  @Test
  void failsAChangeOfPiiClassificationWithoutAVersionBump() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(Customer10.class);
    Path snapshot = dir.resolve("customers.customer-registered/v1/1.0.avsc");
    String before = Files.readString(snapshot);

    // used to be rewritten silently: removing @Pii changes no data
    assertThatThrownBy(() -> snapshots.verify(Customer10Unclassified.class))
        .hasMessageContaining(
            "customers.customer-registered product version 1.0: the PII classification changed"
                + " but the version did not")
        .hasMessageContaining("- field email: PII PERSONAL -> none");
    // accepting metadata changes does not accept this one
    assertThatThrownBy(() -> snapshots.acceptingMetadataChanges().verify(Customer10Sensitive.class))
        .hasMessageContaining("- field email: PII PERSONAL -> SENSITIVE");
    assertThat(Files.readString(snapshot)).isEqualTo(before);

    assertThat(snapshots.verify(Customer11Unclassified.class))
        .containsExactly(ContractSnapshots.Outcome.APPENDED);
  }

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.0",
      owner = "team-orders",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V10Amount(@Key @Doc("Id") String id, @Doc("Cents") int amountCents) {}

  @DataProduct(
      domain = "orders",
      name = "order-paid",
      version = "1.0",
      owner = "team-orders",
      description = "A payment.",
      compatibility = Compatibility.FULL_TRANSITIVE,
      schemaName = "com.shop.OrderPaid")
  record V10AmountText(@Key @Doc("Id") String id, @Doc("Cents") String amountCents) {}

  @Test
  void diffsNameTheFieldAndShowBothSides() {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10Amount.class);

    // used to print only the removed line: - "type" : "int"
    assertThatThrownBy(() -> snapshots.verify(V10AmountText.class))
        .hasMessageContaining("the schema changed but the version did not")
        .hasMessageContaining("- field amountCents: type int -> string");
  }

  @Test
  void failsABreakingMinorWithTheReportAndADiff() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);
    snapshots.verify(V11.class);

    assertThatThrownBy(() -> snapshots.verify(V12Breaking.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "orders.order-paid product version 1.2 breaks its FULL_TRANSITIVE promise")
        .hasMessageContaining(
            "BACKWARD: the new schema cannot read data of product version 1.1: field cents:"
                + " READER_FIELD_MISSING_DEFAULT_VALUE")
        .hasMessageContaining("cannot read data of product version 1.0: field cents")
        .hasMessageContaining("bump the major version")
        .hasMessageContaining("- field note: removed (was [null, string])")
        .hasMessageContaining("- field cents: added (long, no default)")
        .hasMessageNotContaining("/fields/")
        .hasMessageNotContaining("data of version");
    assertThat(dir.resolve("orders.order-paid/v1/1.2.avsc")).doesNotExist();
  }

  @Test
  void failsAChangeWithoutAVersionBumpAndAVersionGoingBackwards() {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);
    assertThatThrownBy(() -> snapshots.verify(V10Changed.class))
        .hasMessageContaining("the schema changed but the version did not")
        .hasMessageContaining("- field cents: added (long, no default)");

    snapshots.verify(V11.class);
    // an older writer class still in the code base, unchanged since its snapshot, is fine
    assertThat(snapshots.verify(V10.class)).containsExactly(ContractSnapshots.Outcome.UNCHANGED);
    // but an older version number with another schema means the version went backwards
    assertThatThrownBy(() -> snapshots.verify(V10Changed.class))
        .hasMessageContaining(
            "the version went backwards; the newest snapshot is product version 1.1");
  }

  @Test
  void keepsGoldenPayloadsThatTheCurrentReaderMustDecode() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class);
    Path payloads = dir.resolve("orders.order-paid/v1/1.0.payloads");
    assertThat(Files.readAllLines(payloads)).hasSize(5);

    assertThat(snapshots.verify(V11.class)).containsExactly(ContractSnapshots.Outcome.APPENDED);
    assertThat(dir.resolve("orders.order-paid/v1/1.1.payloads")).exists();

    Files.write(payloads, List.of("AAAA/w=="), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> snapshots.verify(V11.class))
        .hasMessageContaining("orders.order-paid product version 1.1: golden payloads fail")
        .hasMessageContaining("payload 1 of product version 1.0 does not decode");
  }

  @Test
  void reportsEveryFailingProductAtOnce() throws Exception {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(V10.class, V11.class);
    assertThat(files(dir)).filteredOn(p -> p.toString().endsWith(".avsc")).hasSize(2);
    assertThatThrownBy(() -> snapshots.verify(V12Breaking.class, V10Changed.class))
        .hasMessageContaining("2 of 2 products fail their contract snapshots")
        .hasMessageContaining("product version 1.2 breaks")
        .hasMessageContaining("version went backwards");
  }

  @DataProduct(
      domain = "sessions",
      name = "session-opened",
      version = "1.0",
      owner = "team-sessions",
      description = "A session.")
  record Session(
      @Key @Pattern(regexp = "(?=.*[0-9])[a-z0-9]{6}") @Doc("Token, with a digit") String token) {}

  /** Not a data product: no @DataProduct. */
  record NotAProduct(String id) {}

  @Test
  void oneFailingProductSkipsNoOtherAndLeavesNoHalfSnapshot() {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);

    // the golden payloads of Session cannot be generated; the others are still verified
    assertThatThrownBy(() -> snapshots.verify(Session.class, NotAProduct.class, V10.class))
        .hasMessageContaining("2 of 3 products fail")
        .hasMessageContaining(Session.class.getName() + " cannot be verified")
        .hasMessageContaining("UnsatisfiableFieldException")
        .hasMessageContaining("cannot generate field token")
        .hasMessageContaining(NotAProduct.class.getName() + " cannot be verified")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    assertThat(dir.resolve("orders.order-paid/v1/1.0.avsc")).exists();
    assertThat(dir.resolve("orders.order-paid/v1/1.0.payloads")).exists();
    // nothing of Session: no schema without its payloads
    assertThat(dir.resolve("sessions.session-opened")).doesNotExist();

    // the hook supplies what the generator cannot
    ContractSnapshots withTokens =
        snapshots.samples(Session.class, SampleValues.of("token", r -> "abcde" + r.nextInt(10)));
    assertThat(withTokens.verify(Session.class)).containsExactly(ContractSnapshots.Outcome.CREATED);
    assertThat(dir.resolve("sessions.session-opened/v1/1.0.avsc")).exists();
    assertThat(dir.resolve("sessions.session-opened/v1/1.0.payloads")).exists();
    assertThat(withTokens.verify(Session.class))
        .containsExactly(ContractSnapshots.Outcome.UNCHANGED);
  }

  private static List<Path> files(Path root) throws java.io.IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
