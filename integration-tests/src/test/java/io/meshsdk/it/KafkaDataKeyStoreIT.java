package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DataSubject;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.KafkaDataKeyStore;
import io.meshsdk.crypto.KeyManagementException;
import io.meshsdk.crypto.LocalKeyManagementService;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.producer.MeshProducer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaDataKeyStore} on the real broker: several store instances on one topic stand for
 * several processes. Read-your-writes across them, agreement on one key under concurrent creation,
 * crypto-shredding seen by every instance and by one started later, refused topics, an unreachable
 * broker, and two meshes sharing keys end to end.
 */
class KafkaDataKeyStoreIT {
  @DataProduct(
      domain = "keystore",
      name = "member-joined",
      version = "1.0",
      owner = "team-members",
      description = "A member joined.")
  public record MemberJoined(
      @Key @DataSubject @Doc("Member") String memberId,
      @Pii(encrypted = true) @Doc("Email") String email,
      @Doc("Plan") String plan) {}

  private final String topic = "_mesh.data-keys.it" + System.nanoTime();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private KafkaDataKeyStore store() {
    return open(KafkaDataKeyStore.builder());
  }

  /**
   * A store whose reading thread lags: the broker holds each of its fetches up to 5 seconds (until
   * a megabyte is there), so new records reach its view only that often. Answering from the view
   * alone, it would say "no key" for a key another process has just stored; it must read up to the
   * topic's end first.
   */
  private KafkaDataKeyStore laggingStore() {
    return open(
        KafkaDataKeyStore.builder()
            .kafkaProperty("fetch.max.wait.ms", 5_000)
            .kafkaProperty("fetch.min.bytes", 1_000_000));
  }

  private KafkaDataKeyStore open(KafkaDataKeyStore.Builder builder) {
    KafkaDataKeyStore store =
        builder
            .bootstrapServers(Broker.shared().bootstrapServers())
            .topic(topic)
            .syncTimeout(Duration.ofSeconds(20))
            .build();
    open.add(store);
    return store;
  }

  private static byte[] key(int i) {
    return ("wrapped-" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aKeyStoredByOneProcessIsReadByAnotherAtOnce() {
    KafkaDataKeyStore a = store();
    KafkaDataKeyStore b = laggingStore();

    assertThat(a.putIfAbsent("p.v1/subject/1", key(1))).isEqualTo(key(1));

    // no waiting: b reads the topic up to its end before answering for a reference it does not know
    assertThat(b.get("p.v1/subject/1")).hasValueSatisfying(k -> assertThat(k).isEqualTo(key(1)));
    assertThat(b.get("p.v1/subject/unknown")).isEmpty();
    assertThat(b.putIfAbsent("p.v1/subject/1", key(2))).isEqualTo(key(1));
    assertThat(b.toString()).contains(topic, "1 keys").doesNotContain("wrapped");
  }

  @Test
  void concurrentCreationsAgreeOnOneKeyPerReference() throws Exception {
    KafkaDataKeyStore a = store();
    KafkaDataKeyStore b = store();
    int refs = 40;
    int threadsPerStore = 3;
    ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerStore);
    Map<String, List<byte[]>> answers = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> tasks = new ArrayList<>();
    try {
      for (int t = 0; t < 2 * threadsPerStore; t++) {
        KafkaDataKeyStore store = t < threadsPerStore ? a : b;
        int thread = t;
        tasks.add(
            pool.submit(
                () -> {
                  go.await();
                  List<Integer> order = new ArrayList<>();
                  for (int r = 0; r < refs; r++) {
                    order.add(r);
                  }
                  Collections.shuffle(order, new java.util.Random(thread));
                  for (int r : order) {
                    byte[] winner = store.putIfAbsent("p.v1/subject/" + r, key(thread * 1000 + r));
                    answers
                        .computeIfAbsent(
                            "p.v1/subject/" + r,
                            x -> Collections.synchronizedList(new ArrayList<>()))
                        .add(winner);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> task : tasks) {
        task.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    KafkaDataKeyStore restarted = store();
    assertThat(answers).hasSize(refs);
    for (Map.Entry<String, List<byte[]>> e : answers.entrySet()) {
      List<byte[]> winners;
      synchronized (e.getValue()) {
        winners = List.copyOf(e.getValue());
      }
      assertThat(winners).hasSize(2 * threadsPerStore);
      byte[] first = winners.get(0);
      assertThat(winners).allSatisfy(w -> assertThat(w).isEqualTo(first));
      assertThat(restarted.get(e.getKey())).hasValueSatisfying(k -> assertThat(k).isEqualTo(first));
      assertThat(a.get(e.getKey())).hasValueSatisfying(k -> assertThat(k).isEqualTo(first));
      assertThat(b.get(e.getKey())).hasValueSatisfying(k -> assertThat(k).isEqualTo(first));
    }
    // each reference got several proposals: the race was real
    List<ConsumerRecord<byte[], byte[]>> raw =
        Broker.readAll(
            Broker.shared().bootstrapServers(), topic, refs, false, Duration.ofSeconds(30));
    assertThat(raw.stream().filter(r -> r.value() != null).count()).isGreaterThan(refs);
  }

  @Test
  void aShreddedKeyIsGoneForEveryProcessAndNeverComesBack() {
    KafkaDataKeyStore a = store();
    KafkaDataKeyStore b = store();
    a.putIfAbsent("p.v1/subject/7", key(7));
    b.putIfAbsent("p.v1/subject/8", key(8));
    assertThat(b.get("p.v1/subject/7")).isPresent();

    assertThat(a.delete("p.v1/subject/7")).isTrue();
    assertThat(a.delete("p.v1/subject/7")).isFalse();
    assertThat(a.get("p.v1/subject/7")).isEmpty();

    // b knew the key: its view drops it as soon as its reading thread meets the marker
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(b.get("p.v1/subject/7")).isEmpty());
    assertThatThrownBy(() -> b.putIfAbsent("p.v1/subject/7", key(70)))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isFalse())
        .hasMessageContaining("shredded");

    KafkaDataKeyStore later = store();
    assertThat(later.get("p.v1/subject/7")).isEmpty();
    assertThatThrownBy(() -> later.putIfAbsent("p.v1/subject/7", key(71)))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isFalse());
    assertThat(later.get("p.v1/subject/8"))
        .hasValueSatisfying(k -> assertThat(k).isEqualTo(key(8)));

    // every proposal of the shredded reference is tombstoned, so compaction removes the key
    Map<String, byte[]> last = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        Broker.readAll(
            Broker.shared().bootstrapServers(), topic, 4, false, Duration.ofSeconds(30))) {
      last.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
    }
    assertThat(last).containsKey("shredded/p.v1/subject/7");
    assertThat(last.get("shredded/p.v1/subject/7")).isNotNull();
    assertThat(last.keySet()).filteredOn(k -> k.startsWith("key/p.v1/subject/7/")).isNotEmpty();
    last.forEach(
        (k, v) -> {
          if (k.startsWith("key/p.v1/subject/7/")) {
            assertThat(v).as(k).isNull();
          }
        });
  }

  @Test
  void refusesATopicWithSeveralPartitionsOrNotCompacted() throws Exception {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic + ".partitioned", 3, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(topic + ".deleting", 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "delete"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    for (String refused : List.of(topic + ".partitioned", topic + ".deleting")) {
      assertThatThrownBy(
              () ->
                  KafkaDataKeyStore.builder()
                      .bootstrapServers(Broker.shared().bootstrapServers())
                      .topic(refused)
                      .build()
                      .close())
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining(refused)
          .hasMessageContaining(
              refused.endsWith("partitioned") ? "3 partitions" : "cleanup.policy is 'delete'");
    }
    assertThatThrownBy(
            () ->
                KafkaDataKeyStore.builder()
                    .bootstrapServers(Broker.shared().bootstrapServers())
                    .topic(topic + ".missing")
                    .createTopic(false)
                    .build()
                    .close())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining(topic + ".missing")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> KafkaDataKeyStore.builder().kafkaProperty("group.id", "x"))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("group.id");
  }

  @Test
  void anUnreachableBrokerIsARetriableFailureWithinTheTimeOut() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Duration timeout = Duration.ofSeconds(3);
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                KafkaDataKeyStore.builder()
                    .bootstrapServers("127.0.0.1:" + closedPort)
                    .topic(topic)
                    .syncTimeout(timeout)
                    .build()
                    .close())
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageContaining(topic);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(timeout.plusSeconds(5));
    System.out.printf(
        "fault run, unreachable key store: failed retriable after %d ms%n", took.toMillis());
  }

  private Mesh mesh(String application, String prefix, FieldEncryption encryption) {
    return Broker.meshOnRegistry(application, prefix).fieldEncryption(encryption).build();
  }

  private static void awaitAll(Map<String, ConsumedEvent<MemberJoined>> read, int expected) {
    await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == expected);
  }

  @Test
  void twoMeshesShareKeysThroughTheTopicAndAShreddingReachesAFreshReader() throws Exception {
    String prefix = "ks" + System.nanoTime() % 100_000 + ".";
    LocalKeyManagementService kek = LocalKeyManagementService.generate();
    String keyset = kek.keysetJson();
    int produced = 0;
    int subjects = 10;

    // a consumer in another "process" is running before any key exists; its store lags, so it
    // finds each new subject's key only by reading the topic up to its end (else: withheld)
    Map<String, ConsumedEvent<MemberJoined>> live = new ConcurrentHashMap<>();
    try (Mesh shop = mesh("shop", prefix, FieldEncryption.of(kek, store()));
        Mesh crm =
            mesh(
                "crm",
                prefix,
                FieldEncryption.of(
                    LocalKeyManagementService.fromKeysetJson(keyset), laggingStore()))) {
      MeshProducer<MemberJoined> producer = shop.producer(MemberJoined.class);
      MeshConsumer<MemberJoined> consumer =
          crm.consumer(MemberJoined.class)
              .group("crm-live")
              .startFrom(StartPosition.earliest())
              .handle(e -> live.put(e.value().memberId(), e))
              .start();
      try {
        for (; produced < subjects; produced++) {
          producer
              .send(new MemberJoined("m-" + produced, "m" + produced + "@example.com", "basic"))
              .get(30, TimeUnit.SECONDS);
        }
        awaitAll(live, subjects);
      } finally {
        consumer.close();
      }
      // every key created by the producer's process was found by the consumer's
      assertThat(live.values())
          .allSatisfy(
              e -> {
                assertThat(e.withheldFields()).isEmpty();
                assertThat(e.value().email())
                    .isEqualTo("m" + e.value().memberId().substring(2) + "@example.com");
              });

      // the right to be forgotten, in the producer's process
      assertThat(shop.forgetSubject(MemberJoined.class, "m-3")).isTrue();
    }

    // a fresh process: its own store, its own group, the whole topic
    try (Mesh audit =
        mesh(
            "audit",
            prefix,
            FieldEncryption.of(LocalKeyManagementService.fromKeysetJson(keyset), store()))) {
      Map<String, ConsumedEvent<MemberJoined>> read = new ConcurrentHashMap<>();
      MeshConsumer<MemberJoined> consumer =
          audit
              .consumer(MemberJoined.class)
              .group("audit")
              .startFrom(StartPosition.earliest())
              .handle(e -> read.put(e.value().memberId(), e))
              .start();
      try {
        awaitAll(read, produced);
      } finally {
        consumer.close();
      }
      for (int i = 0; i < produced; i++) {
        ConsumedEvent<MemberJoined> e = read.get("m-" + i);
        if (i == 3) {
          assertThat(e.value().email()).isNull();
          assertThat(e.withheldFields()).containsExactly("email");
          assertThat(e.value().plan()).isEqualTo("basic");
        } else {
          assertThat(e.value().email()).isEqualTo("m" + i + "@example.com");
          assertThat(e.withheldFields()).isEmpty();
        }
      }
      System.out.printf(
          "fault run, shared key store: produced=%d handled=%d shredded-subject records=1"
              + " readable=%d lost=%d%n",
          produced, read.size(), read.size() - 1, produced - read.size());
      assertThat(read).hasSize(produced);
    }
  }

  @Test
  void theMeshPropertiesCanBePassedAsTheyAre() {
    Map<String, Object> meshProperties = new HashMap<>();
    meshProperties.put("mesh.application", "shop");
    meshProperties.put("bootstrap.servers", Broker.shared().bootstrapServers());
    meshProperties.put("schema.registry.url", "mock://keystore");
    meshProperties.put("acks", "1"); // the store writes with acks=all whatever the mesh uses
    KafkaDataKeyStore store =
        KafkaDataKeyStore.builder().properties(meshProperties).topic(topic).build();
    open.add(store);
    assertThat(store.putIfAbsent("p.v1", key(1))).isEqualTo(key(1));
    assertThat(store.get("p.v1")).map(k -> k.length).isEqualTo(Optional.of(key(1).length));
  }
}
