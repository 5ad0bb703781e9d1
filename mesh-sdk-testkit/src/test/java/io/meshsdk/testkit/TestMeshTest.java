package io.meshsdk.testkit;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.testkit.Fixtures.OrderPlaced;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** TestMesh without the extension: modes, isolation, provisioning against the in-memory admin. */
class TestMeshTest {

  @Test
  void externalModeWithoutAnAddressSaysWhereToGiveOne() {
    assumeTrue(
        System.getProperty("mesh.test.bootstrap.servers") == null
            && System.getenv("MESH_TEST_BOOTSTRAP_SERVERS") == null);
    assertThatThrownBy(() -> TestMesh.builder().mode(BrokerMode.EXTERNAL).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mesh.test.bootstrap.servers")
        .hasMessageContaining("MESH_TEST_BOOTSTRAP_SERVERS");
  }

  @Test
  void theEmbeddedBrokerIsASeparateArtifactAndItsAbsenceSaysWhichToAdd() {
    // the testkit itself carries no broker: Kafka's server and Scala are not on this class path
    assertThatThrownBy(() -> Class.forName("kafka.server.KafkaRaftServer"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> TestMesh.builder().mode(BrokerMode.EMBEDDED).build())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("BrokerMode.EMBEDDED")
        .hasMessageContaining("io.meshsdk:mesh-sdk-testkit-broker")
        .hasMessageContaining("scope test");
  }

  @Test
  void theInMemoryKafkaHasNoShareGroupsAndSaysToUseTheEmbeddedBroker() {
    try (TestMesh mesh = TestMesh.builder().build()) {
      assertThatThrownBy(
              () -> mesh.shareConsumer(OrderPlaced.class).group("jobs").handle(e -> {}).start())
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining("embedded broker");
    }
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> TestMesh.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestMesh.builder().mode(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MeshExtension.builder().timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void meshesInParallelThreadsDoNotSeeEachOther() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> jobs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int n = i + 1;
        jobs.add(
            () -> {
              try (TestMesh mesh = TestMesh.builder().application("parallel-" + n).build()) {
                for (int k = 0; k < n; k++) {
                  mesh.producer(OrderPlaced.class).send(new OrderPlaced("o-" + k, k)).join();
                }
                return mesh.published(OrderPlaced.class).now().size();
              }
            });
      }
      List<Integer> sizes = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(jobs)) {
        sizes.add(f.get());
      }
      assertThat(sizes).containsExactly(1, 2, 3, 4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void verifyProvisioningChecksTheInMemoryTopicsLikeARealCluster() {
    try (TestMesh mesh =
        TestMesh.builder().configure(b -> b.provisioning(ProvisioningMode.VERIFY)).build()) {
      assertThatThrownBy(() -> mesh.producer(OrderPlaced.class))
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining("does not exist");
      mesh.inMemoryKafka().orElseThrow().createTopic(mesh.topicOf(OrderPlaced.class), 5);
      assertThatThrownBy(() -> mesh.producer(OrderPlaced.class))
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining("has 5 partitions, the contract says 3");
    }
  }

  @Test
  void closingReleasesTheClusterAndRefusesNewClients() {
    TestMesh mesh = TestMesh.builder().build();
    mesh.producer(OrderPlaced.class).send(new OrderPlaced("o-1", 1)).join();
    mesh.close();
    assertThat(mesh.inMemoryKafka().orElseThrow().topics()).isEmpty();
    assertThatThrownBy(() -> mesh.producer(OrderPlaced.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aGroupOfThreeConsumersSharesThePartitionsAndHandlesEveryEventOnce() {
    try (TestMesh mesh = TestMesh.builder().build()) {
      java.util.Map<String, Integer> handled = new java.util.concurrent.ConcurrentHashMap<>();
      java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
      var group =
          mesh.consumer(OrderPlaced.class)
              .group("billing")
              .concurrency(3)
              .startFrom(io.meshsdk.consumer.StartPosition.earliest())
              .handle(
                  e -> {
                    handled.merge(e.value().orderId(), 1, Integer::sum);
                    threads.add(Thread.currentThread().getName());
                  })
              .start();
      var orders = mesh.producer(OrderPlaced.class);
      for (int i = 0; i < 60; i++) {
        orders.send(new OrderPlaced("o-" + i, i)).join();
      }
      MeshAssertions.assertThatMetrics(mesh)
          .hasCount(io.meshsdk.telemetry.MeshMetrics.CONSUME, 60, "group", "billing");
      group.close();
      assertThat(handled).hasSize(60).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
      assertThat(threads).isNotEmpty().hasSizeLessThanOrEqualTo(3); // one thread per member
    }
  }

  @Test
  void deletionsOfAStateProductArePublishedAndConsumedAsDeletions() throws Exception {
    try (TestMesh mesh = TestMesh.builder().application("tiers").build()) {
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
      mesh.producer(Fixtures.CustomerTier.class)
          .send(new Fixtures.CustomerTier("c-1", "gold"))
          .join();
      mesh.consumer(Fixtures.CustomerTier.class)
          .group("crm")
          .handle(
              e -> {
                seen.add(e.key() + (e.isDeletion() ? ":deleted" : ":" + e.value().tier()));
                both.countDown();
              })
          .start();
      mesh.producer(Fixtures.CustomerTier.class).delete("c-1").join();

      assertThat(mesh.published(Fixtures.CustomerTier.class))
          .hasSize(2)
          .last()
          .hasKey("c-1")
          .isDeletion();
      assertThat(both.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(seen).containsExactly("c-1:gold", "c-1:deleted");
      assertThatThrownBy(() -> mesh.producer(OrderPlaced.class).delete("o-1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only STATE products");
    }
  }
}
