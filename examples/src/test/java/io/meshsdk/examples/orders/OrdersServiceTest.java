package io.meshsdk.examples.orders;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMigration;
import static io.meshsdk.testkit.MeshAssertions.assertThatProduct;
import static io.meshsdk.testkit.MeshAssertions.assertThatThrownBy;

import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.migration.MajorVersionRules;
import io.meshsdk.testkit.ContractSnapshots;
import io.meshsdk.testkit.MeshExtension;
import io.meshsdk.testkit.SampleEvents;
import io.meshsdk.testkit.TestMesh;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The orders domain in unit tests: in-memory Kafka, the real producers. */
class OrdersServiceTest {
  @RegisterExtension
  static final MeshExtension MESH = MeshExtension.builder().migrations(OrderMigrations.ALL).build();

  static OrderPlaced order(String id) {
    return new OrderPlaced(
        id, "ada@example.com", 4200, "EUR", Instant.parse("2026-11-25T10:00:00Z"), "web");
  }

  @Test
  void publishesOrdersAsVersion11(TestMesh mesh) {
    new OrdersService(mesh).place(order("o-1")).join();

    assertThat(mesh.published(OrderPlaced.class))
        .hasSize(1)
        .first()
        .hasKey("o-1")
        .hasValue(order("o-1"))
        .hasHeader(MeshHeaders.VERSION, "1.1")
        .hasHeader(MeshHeaders.SUNSET, "2027-06-30");
  }

  @Test
  void refusesAnInvalidOrderBeforeSending(TestMesh mesh) {
    OrdersService orders = new OrdersService(mesh);
    assertThatThrownBy(
            () -> orders.place(new OrderPlaced("o-1", "nope", -1, "EURO", Instant.EPOCH, null)))
        .isInstanceOf(ContractViolationException.class)
        .hasMessageContaining("amountCents");
    assertThat(mesh.published(OrderPlaced.class)).isEmpty();
  }

  @Test
  void afterTheReleaseOf20EveryOrderIsAlsoPublishedAs11(TestMesh mesh) {
    OrdersService orders = new OrdersService(mesh);
    assertThatThrownBy(
            () ->
                orders.place(
                    new OrderPlacedV2(
                        "o-0", "a@b.io", new Money(1, "EUR"), Instant.EPOCH, "web", null)))
        .isInstanceOf(IllegalStateException.class);
    orders.releaseV2();
    var sent =
        orders
            .place(
                new OrderPlacedV2(
                    "o-2", "ada@example.com", new Money(990, "GBP"), Instant.EPOCH, "store", "X"))
            .join();

    assertThat(mesh.published(OrderPlacedV2.class)).hasSize(1).first().hasKey("o-2");
    assertThat(mesh.published(OrderPlaced.class))
        .hasSize(1)
        .first()
        .hasValue(new OrderPlaced("o-2", "ada@example.com", 990, "GBP", Instant.EPOCH, "store"))
        // an id of its own (CloudEvents: source and id are unique), naming the original
        .hasHeader(MeshHeaders.ORIGIN_ID, sent.eventId())
        .hasHeader(MeshHeaders.TRANSLATED_FROM, "orders.order-placed.v2")
        .satisfies(e -> assertThat(e.eventId()).isNotEqualTo(sent.eventId()));
  }

  @Test
  void theMigrationRoundTripsAndTheContractsPassGovernance() {
    // an order without a channel becomes "web" in 2.0, a one-way default: round trips are
    // checked for orders that have one (the round-trip check found this on generated samples)
    assertThatMigration(OrderMigrations.V1_TO_V2)
        .upcasts(
            new OrderPlaced("o-1", "a@example.com", 5, "EUR", Instant.EPOCH, null),
            new OrderPlacedV2(
                "o-1", "a@example.com", new Money(5, "EUR"), Instant.EPOCH, "web", null))
        .roundTrips(SampleEvents.of(OrderPlaced.class).field("channel", r -> "app").take(100));
    GovernancePolicy policy =
        GovernancePolicy.builder()
            .rule(MajorVersionRules.migrationFromPrevious(OrderMigrations.ALL))
            .rule(MajorVersionRules.sunsetNotice(90))
            .rule(MajorVersionRules.noNeedlessMajor(OrderMigrations.ALL))
            .build();
    assertThatProduct(OrderPlaced.class).compliesWith(policy);
    assertThatProduct(OrderPlacedV2.class).compliesWith(policy);
  }

  @Test
  void everyVersionStaysCompatibleAndOldPayloadsReachVersion2() {
    // 1.0 (the quick start's class) and 1.1 share the v1 line; 2.0 starts v2
    assertThat(ContractSnapshots.inProject().verify(OrderPlaced.class, OrderPlacedV2.class))
        .containsExactly(ContractSnapshots.Outcome.UNCHANGED, ContractSnapshots.Outcome.UNCHANGED);
    assertThat(
            ContractSnapshots.inProject()
                .verifyMigrations(OrderPlacedV2.class, OrderMigrations.ALL))
        .isGreaterThanOrEqualTo(10);
  }
}
