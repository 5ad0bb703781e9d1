package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.runtime.ProvisioningMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupAndEvolutionIT {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Mesh mesh = Broker.mesh("fulfilment", registry).build();

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  @DataProduct(
      domain = "rebalance",
      name = "item-picked",
      version = "1.0",
      owner = "team-wh",
      description = "A pick.",
      partitions = 4)
  record ItemPicked(@Key @Doc("Id") String id) {}

  @Test
  void twoConsumersWithARebalanceInTheMiddleLoseNothing() throws Exception {
    MeshProducer<ItemPicked> producer = mesh.producer(ItemPicked.class);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    MeshConsumer<ItemPicked> first =
        mesh.consumer(ItemPicked.class)
            .group("pickers")
            .handle(e -> seen.add(e.value().id()))
            .start();
    int n = 2000;
    for (int i = 0; i < n / 2; i++) {
      producer.send(new ItemPicked("i-" + i));
    }
    producer.flush();
    await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= n / 4);
    MeshConsumer<ItemPicked> second =
        mesh.consumer(ItemPicked.class)
            .group("pickers")
            .handle(e -> seen.add(e.value().id()))
            .start();
    for (int i = n / 2; i < n; i++) {
      producer.send(new ItemPicked("i-" + i));
    }
    producer.flush();
    await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= 3 * n / 4);
    first.close(); // a second rebalance: the survivor takes every partition over

    await().atMost(Duration.ofSeconds(90)).until(() -> seen.size() == n);
    assertThat(second.isRunning()).isTrue();
    assertThat(first.isRunning()).isFalse();
    assertThat(first.failure()).isEmpty();
  }

  @DataProduct(
      domain = "rebalance",
      name = "parcel-scanned",
      version = "1.0",
      owner = "team-wh",
      description = "A scan.",
      partitions = 4)
  record ParcelScanned(@Key @Doc("Id") String id) {}

  @Test
  void concurrencyRunsSeveralConsumersOfTheGroupBehindOneHandle() throws Exception {
    MeshProducer<ParcelScanned> producer = mesh.producer(ParcelScanned.class);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    MeshConsumer<ParcelScanned> consumers =
        mesh.consumer(ParcelScanned.class)
            .group("scanners")
            .concurrency(2)
            .handle(
                e -> {
                  seen.add(e.value().id());
                  threads.add(Thread.currentThread().getName());
                })
            .start();
    // the second member joins the group a moment after the first: keep producing (bounded) until
    // both have taken work, each batch fully handled before the next
    int sent = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (threads.size() < 2 && System.nanoTime() < deadline) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ParcelScanned("p-" + sent++));
      }
      producer.flush();
      int expected = sent;
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == expected);
    }
    assertThat(seen).hasSize(sent);
    assertThat(threads)
        .hasSize(2)
        .allSatisfy(t -> assertThat(t).startsWith("mesh-consumer-fulfilment-scanners-"));
    assertThat(consumers.isRunning()).isTrue();
    consumers.close();
    assertThat(consumers.isRunning()).isFalse();
    assertThat(consumers.awaitTermination(Duration.ofSeconds(5))).isTrue();
  }

  @DataProduct(
      domain = "evolve",
      name = "price-changed",
      version = "1.1",
      owner = "team-price",
      description = "A price.")
  record PriceV11(
      @Key @Doc("Sku") String sku,
      @Doc("Cents") long cents,
      @Doc("Reason") @Nullable String reason) {}

  @DataProduct(
      domain = "evolve",
      name = "price-changed",
      version = "1.0",
      owner = "team-price",
      description = "A price.")
  record PriceView(@Key @Doc("Sku") String sku, @Doc("Cents") long cents) {}

  @Test
  void aReaderOnAnOlderMinorReadsNewerDataFromTheBeginning() throws Exception {
    mesh.producer(PriceV11.class)
        .send(new PriceV11("sku-1", 999, "sale"))
        .get(30, TimeUnit.SECONDS);
    List<ConsumedEvent<PriceView>> read = new CopyOnWriteArrayList<>();
    mesh.consumer(PriceView.class)
        .group("catalogue")
        .startFrom(StartPosition.earliest())
        .handle(read::add)
        .start();

    await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == 1);
    assertThat(read.get(0).value()).isEqualTo(new PriceView("sku-1", 999));
    assertThat(read.get(0).writerVersion()).contains("1.1");
  }

  @DataProduct(
      domain = "evolve",
      name = "tick",
      version = "1.0",
      owner = "team-price",
      description = "A tick.")
  record Tick(@Key @Doc("Id") String id) {}

  @Test
  void aConsumerCanStartFromATimestamp() throws Exception {
    MeshProducer<Tick> ticks = mesh.producer(Tick.class);
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      ticks
          .send(
              new Tick("t-" + i),
              io.meshsdk.producer.SendOptions.builder()
                  .eventTime(base.plusSeconds(60L * i))
                  .build())
          .get(30, TimeUnit.SECONDS);
    }
    List<String> read = new CopyOnWriteArrayList<>();
    mesh.consumer(Tick.class)
        .group("from-3")
        .startFrom(StartPosition.timestamp(base.plusSeconds(150)))
        .handle(e -> read.add(e.value().id()))
        .start();

    await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == 2);
    assertThat(read).containsExactly("t-3", "t-4");
  }

  @Test
  void aReaderOfAnotherMajorFailsAtStart() {
    assertThatThrownBy(
            () ->
                mesh.consumer(PriceView.class)
                    .group("g")
                    .topic("evolve.price-changed.v2")
                    .handle(e -> {})
                    .start())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("holds major version 2");
    assertThatThrownBy(() -> mesh.consumer(PriceView.class).handle(e -> {}).start())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("a consumer group is required");
  }

  @DataProduct(
      domain = "verify",
      name = "stock-level",
      version = "1.0",
      owner = "team-wh",
      description = "Stock.",
      partitions = 3,
      kind = io.meshsdk.contract.ProductKind.STATE)
  record StockLevel(@Key @Doc("Sku") String sku, @Doc("Units") int units) {}

  @Test
  void verifyProvisioningReportsEveryMismatch() throws Exception {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic("verify.stock-level.v1", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (Mesh verifying =
        Broker.mesh("audit", registry).provisioning(ProvisioningMode.VERIFY).build()) {
      assertThatThrownBy(() -> verifying.producer(StockLevel.class))
          .isInstanceOfSatisfying(
              MeshConfigurationException.class,
              e ->
                  assertThat(e.problems())
                      .containsExactlyInAnyOrder(
                          "topic verify.stock-level.v1 has 1 partitions, the contract says 3",
                          "topic verify.stock-level.v1 has cleanup.policy=delete, the contract needs compact"));
    }
    // create-if-missing makes compacted STATE topics with the contract's partitions
    mesh.producer(StockLevelCreated.class);
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      var description =
          admin
              .describeTopics(List.of("verify.stock-created.v1"))
              .allTopicNames()
              .get()
              .get("verify.stock-created.v1");
      assertThat(description.partitions()).hasSize(3);
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "verify.stock-created.v1");
      assertThat(
              admin
                  .describeConfigs(List.of(resource))
                  .all()
                  .get()
                  .get(resource)
                  .get("cleanup.policy")
                  .value())
          .isEqualTo("compact");
    }
  }

  @DataProduct(
      domain = "verify",
      name = "stock-created",
      version = "1.0",
      owner = "team-wh",
      description = "Stock.",
      partitions = 3,
      kind = io.meshsdk.contract.ProductKind.STATE)
  record StockLevelCreated(@Key @Doc("Sku") String sku, @Doc("Units") int units) {}
}
