package io.meshsdk.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductDescriptor;
import io.meshsdk.contract.ProductSunset;
import io.meshsdk.contract.Sunset;
import io.meshsdk.errors.MeshConfigurationException;
import java.time.LocalDate;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "1.2",
      owner = "team-orders",
      description = "An order (v1: amount in cents).")
  @Sunset(date = "2027-06-30", announced = "2026-11-25")
  record OrderV1(@Key @Doc("Id") String orderId, @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "2.0",
      owner = "team-orders",
      description = "An order (v2: amount with currency).")
  record OrderV2(@Key @Doc("Id") String orderId, @Doc("Amount") Money amount) {}

  record Money(@Doc("Minor units") long minor, @Doc("ISO currency") String currency) {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "3.0",
      owner = "team-orders",
      description = "An order (v3: with a channel).")
  record OrderV3(
      @Key @Doc("Id") String orderId,
      @Doc("Amount") Money amount,
      @Doc("Channel") String channel) {}

  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "2.1",
      owner = "team-orders",
      description = "Another class of v2.")
  record OtherV2(@Key @Doc("Id") String orderId) {}

  @DataProduct(
      domain = "billing",
      name = "invoice",
      version = "2.0",
      owner = "team-billing",
      description = "Not an order.")
  record Invoice(@Key @Doc("Id") String id) {}

  static final Migration<OrderV1, OrderV2> V1_V2 =
      Migration.of(
              OrderV1.class,
              OrderV2.class,
              v1 -> new OrderV2(v1.orderId(), new Money(v1.cents(), "EUR")))
          .withDowncast(v2 -> new OrderV1(v2.orderId(), v2.amount().minor()));
  static final Migration<OrderV2, OrderV3> V2_V3 =
      Migration.of(
              OrderV2.class, OrderV3.class, v2 -> new OrderV3(v2.orderId(), v2.amount(), "web"))
          .withDowncast(v3 -> new OrderV2(v3.orderId(), v3.amount()));

  @Test
  void stepsComposeUpAndDown() {
    Migrations m = Migrations.of(V2_V3, V1_V2);
    Function<Object, OrderV3> up = m.path(OrderV1.class, OrderV3.class);
    assertThat(up.apply(new OrderV1("o-1", 250)))
        .isEqualTo(new OrderV3("o-1", new Money(250, "EUR"), "web"));
    Function<Object, OrderV1> down = m.path(OrderV3.class, OrderV1.class);
    assertThat(down.apply(new OrderV3("o-1", new Money(99, "USD"), "app")))
        .isEqualTo(new OrderV1("o-1", 99));
    assertThat(m.path(OrderV2.class, OrderV2.class).apply(new OrderV2("o", new Money(1, "EUR"))))
        .isEqualTo(new OrderV2("o", new Money(1, "EUR")));
    assertThat(m.classOf("orders.order-placed", 2)).contains(OrderV2.class);
    assertThat(m.all()).containsExactly(V1_V2, V2_V3);
  }

  @Test
  void aMigrationMapsOneMajorOfOneProductToTheNext() {
    assertThatThrownBy(() -> Migration.of(OrderV1.class, OrderV3.class, v -> null))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("one major to the next")
        .hasMessageContaining("they compose");
    assertThatThrownBy(() -> Migration.of(OrderV1.class, Invoice.class, v -> null))
        .hasMessageContaining("versions of one product");
    assertThatThrownBy(() -> Migration.of(OrderV2.class, OrderV1.class, v -> null))
        .hasMessageContaining("one major to the next");
  }

  @Test
  void gapsDuplicatesAndTwoClassesForOneMajorAreRefusedTogether() {
    Migration<OtherV2, OrderV3> otherToV3 =
        Migration.of(OtherV2.class, OrderV3.class, v -> new OrderV3(v.orderId(), null, "x"));
    assertThatThrownBy(() -> Migrations.of(V1_V2, otherToV3))
        .isInstanceOfSatisfying(
            MeshConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .contains("one class per major"));
    assertThatThrownBy(() -> Migrations.of(V1_V2, V1_V2))
        .hasMessageContaining("two migrations from v1");

    @DataProduct(
        domain = "orders",
        name = "order-placed",
        version = "4.0",
        owner = "team-orders",
        description = "v4.")
    record OrderV4(@Key @Doc("Id") String orderId) {}
    @DataProduct(
        domain = "orders",
        name = "order-placed",
        version = "5.0",
        owner = "team-orders",
        description = "v5.")
    record OrderV5(@Key @Doc("Id") String orderId) {}
    Migration<OrderV4, OrderV5> v4v5 =
        Migration.of(OrderV4.class, OrderV5.class, v -> new OrderV5(v.orderId()));
    assertThatThrownBy(() -> Migrations.of(V1_V2, v4v5))
        .hasMessageContaining("gap: no migration from v2 to v3");
  }

  @Test
  void aPathNamesEveryMissingStepOrDowncast() {
    Migrations upOnly =
        Migrations.of(
            Migration.of(OrderV1.class, OrderV2.class, v1 -> new OrderV2(v1.orderId(), null)));
    assertThatThrownBy(() -> upOnly.path(OrderV2.class, OrderV1.class))
        .hasMessageContaining("has no downcast");
    assertThatThrownBy(() -> upOnly.path(OrderV1.class, OrderV3.class))
        .hasMessageContaining("no migration registered from v2 to v3");
    assertThatThrownBy(() -> upOnly.path(OtherV2.class, OrderV1.class))
        .hasMessageContaining("not the class registered for v2");
    assertThatThrownBy(() -> upOnly.path(OrderV1.class, Invoice.class))
        .hasMessageContaining("different products");
    assertThatThrownBy(() -> Migrations.none().path(OtherV2.class, OrderV2.class))
        .hasMessageContaining("same major");
  }

  @Test
  void aFailingOrNullMigrationIsAMigrationExceptionNamingTheVersions() {
    Migration<OrderV1, OrderV2> broken =
        Migration.of(
            OrderV1.class,
            OrderV2.class,
            v1 -> {
              throw new IllegalStateException("no currency for " + v1.orderId());
            });
    assertThatThrownBy(() -> broken.upcast(new OrderV1("o-1", 1)))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("orders.order-placed: migrating v1 to v2 failed")
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(((MigrationException) e).isRetriable()).isTrue());
    Migration<OrderV1, OrderV2> nulls = Migration.of(OrderV1.class, OrderV2.class, v1 -> null);
    assertThatThrownBy(() -> nulls.upcast(new OrderV1("o-1", 1)))
        .hasMessageContaining("returned null");
    assertThatThrownBy(() -> nulls.downcast(new OrderV2("o", null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no downcast");
  }

  @Test
  void theSunsetTravelsInTheContractAndTheSchema() {
    ProductContract<OrderV1> v1 = ProductContract.of(OrderV1.class);
    assertThat(v1.sunset())
        .hasValueSatisfying(
            s -> {
              assertThat(s.date()).isEqualTo(LocalDate.of(2027, 6, 30));
              assertThat(s.successorMajor()).isEqualTo(2);
              assertThat(s.announced()).contains(LocalDate.of(2026, 11, 25));
            });
    assertThat(v1.schema().getProp("mesh.sunset")).isEqualTo("2027-06-30");
    assertThat(v1.schema().getProp("mesh.successor")).isEqualTo("orders.order-placed.v2");
    assertThat(ProductContract.of(OrderV2.class).sunset()).isEmpty();
  }

  /** A class that cannot carry annotations, as an Avro-generated one. */
  record PlainOrder(String id, long amountCents) {}

  @Test
  void aDescriptorDeprecatesAMajorLikeTheAnnotation() {
    ProductContract<PlainOrder> v1 =
        ProductContract.of(
            PlainOrder.class,
            ProductDescriptor.builder("orders", "plain-order", "1.3")
                .owner("team-orders")
                .description("An order, described in code.")
                .key("id")
                .sunset(ProductSunset.of(LocalDate.of(2027, 6, 30), 2, LocalDate.of(2026, 11, 25)))
                .build());
    assertThat(v1.sunset())
        .contains(ProductSunset.of(LocalDate.of(2027, 6, 30), 2, LocalDate.of(2026, 11, 25)));
    assertThat(v1.schema().getProp("mesh.sunset")).isEqualTo("2027-06-30");
    assertThat(v1.schema().getProp("mesh.successor")).isEqualTo("orders.plain-order.v2");
    assertThatThrownBy(
            () ->
                ProductContract.of(
                    PlainOrder.class,
                    ProductDescriptor.builder("orders", "plain-order", "2.0")
                        .owner("team-orders")
                        .description("An order, described in code.")
                        .sunset(ProductSunset.of(LocalDate.of(2027, 6, 30), 2))
                        .build()))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("successor 2 must be a later major than 2");
    assertThatThrownBy(
            () -> ProductSunset.of(LocalDate.of(2027, 6, 30), 2, LocalDate.of(2027, 7, 1)))
        .hasMessageContaining("is after the sunset date");
  }

  @Test
  void aBadSunsetIsReportedWithTheClass() {
    @DataProduct(
        domain = "orders",
        name = "bad-sunset",
        version = "1.0",
        owner = "team-orders",
        description = "Bad.")
    @Sunset(date = "30.06.2027", successor = 1)
    record Bad(@Key @Doc("Id") String id) {}
    assertThatThrownBy(() -> ProductContract.of(Bad.class))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("@Sunset dates must be ISO-8601");
    @DataProduct(
        domain = "orders",
        name = "bad-successor",
        version = "2.0",
        owner = "team-orders",
        description = "Bad.")
    @Sunset(date = "2027-06-30", successor = 1)
    record BadSuccessor(@Key @Doc("Id") String id) {}
    assertThatThrownBy(() -> ProductContract.of(BadSuccessor.class))
        .hasMessageContaining("successor 1 must be a later major than 2");
  }

  @Test
  void governanceRequiresAMigrationNoticeAndABreakingChange() {
    Migrations migrations = Migrations.of(V1_V2);
    io.meshsdk.governance.GovernancePolicy policy =
        io.meshsdk.governance.GovernancePolicy.builder()
            .rule(MajorVersionRules.migrationFromPrevious(migrations))
            .rule(MajorVersionRules.sunsetNotice(180))
            .rule(MajorVersionRules.noNeedlessMajor(migrations))
            .build();
    assertThat(policy.evaluate(ProductContract.of(OrderV2.class)).violations()).isEmpty();
    assertThat(policy.evaluate(ProductContract.of(OrderV3.class)).violations())
        .extracting(io.meshsdk.governance.GovernanceViolation::message)
        .containsExactly(
            "orders.order-placed v3 declares no migration from v2; register"
                + " Migration.of(V2.class, OrderV3.class, upcast)");
    // announced 2026-11-25, sunset 2027-06-30: 217 days
    assertThat(policy.evaluate(ProductContract.of(OrderV1.class)).violations()).isEmpty();
    assertThat(
            io.meshsdk.governance.GovernancePolicy.builder()
                .rule(MajorVersionRules.sunsetNotice(365))
                .build()
                .evaluate(ProductContract.of(OrderV1.class))
                .violations())
        .singleElement()
        .asString()
        .contains("gives 217 days of notice");

    @DataProduct(
        domain = "orders",
        name = "order-placed",
        version = "2.0",
        owner = "team-orders",
        description = "A v2 that only adds an optional field.")
    record NeedlessV2(
        @Key @Doc("Id") String orderId,
        @Doc("Cents") long cents,
        @Doc("Note") @org.jspecify.annotations.Nullable String note) {}
    Migrations needless =
        Migrations.of(
            Migration.of(
                OrderV1.class,
                NeedlessV2.class,
                v -> new NeedlessV2(v.orderId(), v.cents(), null)));
    assertThat(
            MajorVersionRules.noNeedlessMajor(needless)
                .evaluate(ProductContract.of(NeedlessV2.class)))
        .singleElement()
        .asString()
        .contains("is compatible with v1 under BACKWARD")
        .contains("publish it as a minor version of v1");
  }
}
