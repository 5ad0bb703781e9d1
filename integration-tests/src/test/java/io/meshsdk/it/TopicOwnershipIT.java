package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Only a product's contract creates its topic: a consumer that starts first waits for the producer
 * instead of creating the topic with its own guesses; dead-letter topics are created when the first
 * dead letter needs one; a producer reports every way an existing topic differs from its contract.
 */
class TopicOwnershipIT {
  /** A STATE product: six compacted partitions, which a consumer's view could not know. */
  @DataProduct(
      domain = "owner",
      name = "account-state",
      version = "1.0",
      owner = "team-accounts",
      description = "The balance of an account.",
      kind = ProductKind.STATE,
      partitions = 6)
  record AccountState(@Key @Doc("Account") String account, @Doc("Cents") long cents) {}

  /** The billing team's own view of the same product: no kind, no partitions. */
  @DataProduct(
      domain = "owner",
      name = "account-state",
      version = "1.0",
      owner = "team-billing",
      description = "Billing's view of an account's balance.")
  record BalanceView(@Key @Doc("Account") String account, @Doc("Cents") long cents) {}

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final String prefix = "t" + System.nanoTime() % 100_000 + ".";
  private final Mesh mesh =
      Broker.mesh("accounts", new InMemorySchemaRegistry())
          .meterRegistry(meters)
          .topicPrefix(prefix)
          .build();

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()));
  }

  private static Set<String> topics() throws Exception {
    try (Admin admin = admin()) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }

  private static TopicDescription describe(String topic) throws Exception {
    try (Admin admin = admin()) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic);
    }
  }

  private static String config(String topic, String key) throws Exception {
    try (Admin admin = admin()) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      return c.get(key).value();
    }
  }

  @Test
  void aConsumerStartedFirstWaitsAndTheProducerCreatesTheTopicFromTheContract() throws Exception {
    String topic = prefix + "owner.account-state.v1";
    Set<String> handled = ConcurrentHashMap.newKeySet();
    MeshConsumer<BalanceView> consumer =
        mesh.consumer(BalanceView.class)
            .group("billing")
            .handle(e -> handled.add(e.value().account()))
            .start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> consumer.state() == MeshConsumer.State.WAITING_FOR_TOPIC);
    assertThat(topics()).doesNotContain(topic, consumer.deadLetterTopic());

    MeshProducer<AccountState> producer = mesh.producer(AccountState.class);
    for (int i = 0; i < 10; i++) {
      producer.send(new AccountState("a-" + i, i)).get(30, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 10);

    assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
    assertThat(describe(topic).partitions()).hasSize(6);
    assertThat(config(topic, "cleanup.policy")).isEqualTo("compact");
    // no dead letter yet, so no dead-letter topic
    assertThat(topics()).doesNotContain(consumer.deadLetterTopic());
  }

  @Test
  void aConsumerWhoseTopicNeverAppearsFailsAfterTheWaitNamingIt() throws Exception {
    MeshConsumer<BalanceView> consumer =
        mesh.consumer(BalanceView.class)
            .group("patient")
            .topicWait(Duration.ofSeconds(2))
            .handle(e -> {})
            .start();

    assertThat(consumer.awaitTermination(Duration.ofSeconds(60))).isTrue();
    assertThat(consumer.state()).isEqualTo(MeshConsumer.State.FAILED);
    assertThat(consumer.failure())
        .get()
        .isInstanceOf(MeshConfigurationException.class)
        .extracting(Throwable::getMessage)
        .asString()
        .contains(prefix + "owner.account-state.v1", "did not appear within PT2S");
    assertThat(topics()).doesNotContain(prefix + "owner.account-state.v1");
  }

  @Test
  void aConsumerToldItsClassIsTheContractCreatesTheTopicFromIt() throws Exception {
    MeshConsumer<AccountState> consumer =
        mesh.consumer(AccountState.class)
            .group("owner")
            .createTopicFromContract()
            .handle(e -> {})
            .start();

    String topic = prefix + "owner.account-state.v1";
    assertThat(describe(topic).partitions()).hasSize(6);
    assertThat(config(topic, "cleanup.policy")).isEqualTo("compact");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> consumer.state() == MeshConsumer.State.RUNNING);
  }

  @Test
  void theDeadLetterTopicIsCreatedAtTheFirstDeadLetter() throws Exception {
    MeshProducer<AccountState> producer = mesh.producer(AccountState.class);
    Set<String> failed = ConcurrentHashMap.newKeySet();
    MeshConsumer<AccountState> consumer =
        mesh.consumer(AccountState.class)
            .group("auditor")
            .maxAttempts(1)
            .handle(
                e -> {
                  failed.add(e.value().account());
                  throw new IllegalStateException("audit failed");
                })
            .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> consumer.state() == MeshConsumer.State.RUNNING);
    assertThat(topics()).doesNotContain(consumer.deadLetterTopic());

    producer.send(new AccountState("a-1", 1)).get(30, TimeUnit.SECONDS);

    assertThat(Broker.readAll(consumer.deadLetterTopic(), 1, false)).hasSize(1);
    assertThat(describe(consumer.deadLetterTopic()).partitions()).hasSize(6);
    assertThat(config(consumer.deadLetterTopic(), "retention.ms"))
        .isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
    assertThat(config(consumer.deadLetterTopic(), "cleanup.policy")).isEqualTo("delete");
  }

  @Test
  void aProducerReportsEachWayAnExistingTopicDiffersFromItsContract() throws Exception {
    String topic = prefix + "owner.account-state.v1";
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    mesh.producer(AccountState.class); // CREATE_IF_MISSING leaves the topic as it is, and reports

    assertThat(
            meters
                .get(MeshMetrics.TOPIC_MISMATCHES)
                .tag(MeshMetrics.TAG_TOPIC, topic)
                .counter()
                .count())
        .isEqualTo(2); // partitions, cleanup policy
  }
}
