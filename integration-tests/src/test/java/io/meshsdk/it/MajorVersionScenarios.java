package io.meshsdk.it;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMetrics;
import static io.meshsdk.testkit.MeshAssertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Sunset;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.migration.Migration;
import io.meshsdk.migration.MigrationException;
import io.meshsdk.migration.Migrations;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.MeshExtension;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Breaking changes end to end: dual publishing, consumers reading another major, a cut-over from
 * one topic to another, failing migrations. Run in memory ({@link MajorVersionsTest}) and on the
 * embedded broker ({@link MajorVersionsIT}); the subclasses only choose the mode.
 */
abstract class MajorVersionScenarios {

  @DataProduct(
      domain = "sales",
      name = "order-booked",
      version = "1.4",
      owner = "team-sales",
      description = "An order (v1: amount in cents, always euros).",
      partitions = 2)
  @Sunset(date = "2099-06-30", announced = "2026-11-25")
  record BookedV1(@Key @Doc("Order id") String orderId, @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "sales",
      name = "order-booked",
      version = "2.0",
      owner = "team-sales",
      description = "An order (v2: amount with its currency).",
      partitions = 2)
  record BookedV2(@Key @Doc("Order id") String orderId, @Doc("Amount") Amount amount) {}

  record Amount(@Doc("Minor units") long minor, @Doc("ISO-4217 code") String currency) {}

  static final Migrations MIGRATIONS =
      Migrations.of(
          Migration.of(
                  BookedV1.class,
                  BookedV2.class,
                  v1 -> {
                    if (v1.cents() < 0) {
                      throw new IllegalArgumentException("negative amount cannot be migrated");
                    }
                    return new BookedV2(v1.orderId(), new Amount(v1.cents(), "EUR"));
                  })
              .withDowncast(
                  v2 -> {
                    if (!v2.amount().currency().equals("EUR")) {
                      throw new IllegalArgumentException(
                          "v1 has no currency; cannot express " + v2.amount().currency());
                    }
                    return new BookedV1(v2.orderId(), v2.amount().minor());
                  }));

  static MeshExtension.Builder extension() {
    return MeshExtension.builder()
        .timeout(Duration.ofSeconds(30))
        .configure(b -> b.configure(mesh -> mesh.migrations(MIGRATIONS)));
  }

  static BookedV2 euros(String id, long cents) {
    return new BookedV2(id, new Amount(cents, "EUR"));
  }

  @Test
  void dualPublishingFeedsV1AndV2ConsumersEachRecordWithItsOwnIdNamingTheOriginal(TestMesh mesh) {
    Map<String, String> v1Seen = new ConcurrentHashMap<>();
    Map<String, String> v2Seen = new ConcurrentHashMap<>();
    mesh.consumer(BookedV1.class)
        .group("legacy-billing")
        .startFrom(StartPosition.earliest())
        .handle(
            e ->
                v1Seen.put(
                    e.header(MeshHeaders.ORIGIN_ID).orElse("none"),
                    e.value().orderId() + ":" + e.value().cents()))
        .start();
    mesh.consumer(BookedV2.class)
        .group("new-billing")
        .startFrom(StartPosition.earliest())
        .handle(
            e -> v2Seen.put(e.eventId(), e.value().orderId() + ":" + e.value().amount().minor()))
        .start();

    DualProducer<BookedV2> orders =
        mesh.dualProducer(BookedV2.class).alsoAs(BookedV1.class).build();
    assertThat(orders.translating()).isTrue();
    assertThat(orders.translatingUntil()).contains(Instant.parse("2099-06-30T00:00:00Z"));
    SendResult first = orders.send(euros("o-1", 1200)).join();
    orders.send(euros("o-2", 300)).join();

    assertThat(mesh.published(BookedV1.class))
        .hasSize(2)
        .anySatisfy(
            e ->
                assertThat(e)
                    .hasKey("o-1")
                    .hasValue(new BookedV1("o-1", 1200))
                    .hasHeader(MeshHeaders.ORIGIN_ID, first.eventId())
                    .hasHeader(MeshHeaders.TRANSLATED_FROM, "sales.order-booked.v2")
                    .hasHeader(MeshHeaders.SUNSET, "2099-06-30"));
    PublishedEvent<BookedV2> original =
        mesh.published(BookedV2.class).now().stream()
            .filter(e -> e.eventId().equals(first.eventId()))
            .findFirst()
            .orElseThrow();
    PublishedEvent<BookedV1> copy =
        mesh.published(BookedV1.class).now().stream()
            .filter(e -> first.eventId().equals(e.headers().get(MeshHeaders.ORIGIN_ID)))
            .findFirst()
            .orElseThrow();
    assertThat(copy).hasParent(original);
    // CloudEvents: source + id unique per event, so the translation has an id of its own
    assertThat(copy.eventId()).isNotEqualTo(original.eventId());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(v1Seen).hasSize(2).containsEntry(first.eventId(), "o-1:1200");
              assertThat(v2Seen).hasSize(2).containsEntry(first.eventId(), "o-1:1200");
            });
    assertThatMetrics(mesh)
        .hasCount(MeshMetrics.DUAL_PUBLISH, 2, "outcome", "translated")
        .hasCount(MeshMetrics.DEPRECATED_CONSUMPTION, 2, "group", "legacy-billing", "major", "1");
  }

  @Test
  void aTranslationThatCannotBeMadeSendsNothing(TestMesh mesh) {
    DualProducer<BookedV2> orders =
        mesh.dualProducer(BookedV2.class).alsoAs(BookedV1.class).build();

    assertThatThrownBy(() -> orders.send(new BookedV2("o-1", new Amount(5, "USD"))))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("cannot express USD");
    orders.send(euros("o-2", 5)).join();

    assertThat(mesh.published(BookedV2.class)).hasSize(1).first().hasKey("o-2");
    assertThat(mesh.published(BookedV1.class)).hasSize(1).first().hasKey("o-2");
  }

  @Test
  void afterTheMigrationPeriodOnlyTheNewMajorIsWritten(TestMesh mesh) {
    DualProducer<BookedV2> orders =
        mesh.dualProducer(BookedV2.class)
            .alsoAs(BookedV1.class)
            .until(Instant.now().minusSeconds(1))
            .build();
    assertThat(orders.translating()).isFalse();
    orders.send(euros("o-1", 1)).join();

    assertThat(mesh.published(BookedV2.class)).hasSize(1);
    assertThat(mesh.published(BookedV1.class)).isEmpty();
    assertThatMetrics(mesh).hasCount(MeshMetrics.DUAL_PUBLISH, 1, "outcome", "not_translated");
  }

  @Test
  void aV1ConsumerReadsTheV2TopicThroughTheDowncast(TestMesh mesh) {
    List<BookedV1> seen = new CopyOnWriteArrayList<>();
    List<String> topics = new CopyOnWriteArrayList<>();
    mesh.consumer(BookedV1.class)
        .group("v1-reader")
        .readFrom(BookedV2.class)
        .startFrom(StartPosition.earliest())
        .handle(
            e -> {
              seen.add(e.value());
              topics.add(e.topic());
            })
        .start();
    mesh.producer(BookedV2.class).send(euros("o-1", 700)).join();

    await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
    assertThat(seen).containsExactly(new BookedV1("o-1", 700));
    assertThat(topics).containsExactly(mesh.topicOf(BookedV2.class));
  }

  @Test
  void aConsumerMovesFromTheV1TopicToTheV2TopicWithoutLossOrDuplicates(TestMesh mesh)
      throws Exception {
    DualProducer<BookedV2> orders =
        mesh.dualProducer(BookedV2.class).alsoAs(BookedV1.class).build();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

    // stage 1: the team's consumer still reads v1
    var stage1 =
        mesh.consumer(BookedV2.class)
            .group("analytics")
            .readFrom(BookedV1.class)
            .startFrom(StartPosition.earliest())
            .handle(
                e ->
                    handled
                        .computeIfAbsent(e.value().orderId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .start();
    for (int i = 1; i <= 3; i++) {
      orders.send(euros("o-" + i, i)).join();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 3);
    stage1.close();

    // stage 2: the cut-over reads both; what stage 1 handled is remembered from its commits
    var stage2 =
        mesh.consumer(BookedV2.class)
            .group("analytics")
            .readFrom(BookedV1.class, BookedV2.class) // committed offsets, else the beginning
            .handle(
                e ->
                    handled
                        .computeIfAbsent(e.value().orderId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .start();
    for (int i = 4; i <= 5; i++) {
      orders.send(euros("o-" + i, i)).join();
    }
    // both copies of o-4 and o-5 and the three v2 originals of o-1..o-3 arrive; 5 are skipped
    assertThatMetrics(mesh).hasCount(MeshMetrics.DUPLICATES, 5, "group", "analytics");
    stage2.close();

    // stage 3: v2 only, from the offsets the cut-over committed
    var stage3 =
        mesh.consumer(BookedV2.class)
            .group("analytics")
            .handle(
                e ->
                    handled
                        .computeIfAbsent(e.value().orderId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .start();
    orders.stopTranslating();
    orders.send(euros("o-6", 6)).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 6);
    stage3.close();

    assertThat(handled).allSatisfy((id, count) -> assertThat(count.get()).as(id).isEqualTo(1));
  }

  @Test
  void aFailingMigrationIsRetriedThenDeadLetteredWithReasonMigration(TestMesh mesh) {
    List<String> seen = new CopyOnWriteArrayList<>();
    mesh.consumer(BookedV2.class)
        .group("upcaster")
        .readFrom(BookedV1.class)
        .startFrom(StartPosition.earliest())
        .maxAttempts(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
        .handle(e -> seen.add(e.value().orderId()))
        .start();
    var v1 = mesh.producer(BookedV1.class);
    v1.send(new BookedV1("o-bad", -5)).join();
    v1.send(new BookedV1("o-good", 5)).join();

    assertThat(mesh.deadLetters("upcaster"))
        .hasSize(1)
        .first()
        .hasReason("migration")
        .hasAttempts(2)
        .hasMessageContaining("negative amount")
        .hasOriginalTopic(mesh.topicOf(BookedV1.class));
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("o-good"));
    assertThat(seen).containsExactly("o-good");
  }
}
