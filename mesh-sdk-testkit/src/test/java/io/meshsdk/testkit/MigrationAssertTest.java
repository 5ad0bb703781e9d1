package io.meshsdk.testkit;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMigration;
import static io.meshsdk.testkit.MeshAssertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.migration.Migration;
import io.meshsdk.migration.Migrations;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationAssertTest {

  @DataProduct(
      domain = "kit",
      name = "parcel",
      version = "1.0",
      owner = "team-kit",
      description = "A parcel (v1: grams).")
  record ParcelV1(@Key @Doc("Id") String id, @Doc("Grams") int grams, @Doc("Label") String label) {}

  @DataProduct(
      domain = "kit",
      name = "parcel",
      version = "2.0",
      owner = "team-kit",
      description = "A parcel (v2: kilograms, label renamed).")
  record ParcelV2(
      @Key @Doc("Id") String id, @Doc("Kilograms") double kilograms, @Doc("Text") String text) {}

  static final Migration<ParcelV1, ParcelV2> GOOD =
      Migration.of(
              ParcelV1.class,
              ParcelV2.class,
              v1 -> new ParcelV2(v1.id(), v1.grams() / 1000.0, v1.label()))
          .withDowncast(
              v2 -> new ParcelV1(v2.id(), (int) Math.round(v2.kilograms() * 1000), v2.text()));

  @Test
  void aFaithfulMigrationRoundTripsAndUpcastsAsExpected() {
    assertThatMigration(GOOD)
        .upcasts(new ParcelV1("p-1", 1500, "fragile"), new ParcelV2("p-1", 1.5, "fragile"))
        .roundTripsSamples(100);
  }

  @Test
  void aLossyDowncastIsCaughtOnTheSharedFields() {
    Migration<ParcelV1, ParcelV2> lossy =
        GOOD.withDowncast(v2 -> new ParcelV1("lost", (int) (v2.kilograms() * 1000), v2.text()));
    assertThatThrownBy(
            () -> assertThatMigration(lossy).roundTrips(List.of(new ParcelV1("p-1", 5, "x"))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to keep the fields both majors share [id]")
        .hasMessageContaining("id: p-1 came back as lost");
    assertThatThrownBy(
            () ->
                assertThatMigration(GOOD)
                    .upcasts(new ParcelV1("p-1", 1, "x"), new ParcelV2("p-1", 2, "x")))
        .hasMessageContaining("but it gave");
  }

  @Test
  void goldenPayloadsOfTheOldMajorMigrateToTheCurrentClass(@TempDir Path dir) {
    ContractSnapshots snapshots = ContractSnapshots.in(dir);
    snapshots.verify(ParcelV1.class); // writes v1's schema and golden payloads

    assertThat(snapshots.verifyMigrations(ParcelV2.class, Migrations.of(GOOD))).isEqualTo(5);

    Migration<ParcelV1, ParcelV2> picky =
        Migration.of(
            ParcelV1.class,
            ParcelV2.class,
            v1 -> {
              throw new IllegalStateException("cannot convert " + v1.id());
            });
    assertThatThrownBy(() -> snapshots.verifyMigrations(ParcelV2.class, Migrations.of(picky)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "kit.parcel product version 2.0: golden payloads of older majors do not migrate to"
                + " ParcelV2")
        .hasMessageContaining("payload 1 of product version 1.0");
    assertThatThrownBy(() -> snapshots.verifyMigrations(ParcelV2.class, Migrations.none()))
        .hasMessageContaining("major version 1 has golden payloads but no class registered");
  }
}
