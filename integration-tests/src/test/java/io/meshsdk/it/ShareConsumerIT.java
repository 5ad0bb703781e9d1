package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Share groups (KIP-932) on the real broker: work shared on one partition, nothing lost. */
class ShareConsumerIT {
  @DataProduct(
      domain = "share",
      name = "job-queued",
      version = "1.0",
      owner = "team-jobs",
      partitions = 1,
      description = "A job to run once.")
  record JobQueued(@Key @Doc("Job id") String id) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<Mesh> meshes = new ArrayList<>();

  private Mesh mesh(String application) {
    Mesh mesh =
        Broker.mesh(application, registry)
            .topicPrefix(application + ".")
            .meterRegistry(meters)
            .build();
    meshes.add(mesh);
    return mesh;
  }

  @AfterEach
  void tearDown() {
    for (Mesh m : meshes) {
      m.close();
    }
  }

  static final class Permanent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Permanent(String message) {
      super(message);
    }
  }

  @Test
  void membersShareOnePartitionAndEveryRecordIsHandledOrDeadLettered() throws Exception {
    Mesh mesh = mesh("share-work");
    MeshProducer<JobQueued> producer = mesh.producer(JobQueued.class);
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sent.add(producer.send(new JobQueued("job-" + i)));
    }
    sent.add(producer.send(new JobQueued("flaky")));
    sent.add(producer.send(new JobQueued("doomed")));
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      for (int i = 0; i < 2; i++) {
        raw.send(
                new ProducerRecord<>(
                    producer.topic(),
                    ("pill-" + i).getBytes(StandardCharsets.UTF_8),
                    new byte[] {7, 0, 0, 0, 1, 2}))
            .get();
      }
    }
    int produced = 304;

    Set<String> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger flakyCalls = new AtomicInteger();
    AtomicInteger wrongScope = new AtomicInteger();
    Map<String, AtomicInteger> byMember = new ConcurrentHashMap<>();
    MeshShareConsumer<JobQueued> consumer =
        mesh.shareConsumer(JobQueued.class)
            .group("workers")
            .concurrency(3)
            .maxAttempts(3)
            .nonRetriable(Permanent.class)
            .handle(
                e -> {
                  calls.incrementAndGet();
                  byMember
                      .computeIfAbsent(Thread.currentThread().getName(), t -> new AtomicInteger())
                      .incrementAndGet();
                  if (!LineageScope.currentParents().equals(List.of(e.lineage().self()))) {
                    wrongScope.incrementAndGet();
                  }
                  String id = e.value().id();
                  if (id.equals("doomed")) {
                    throw new Permanent("cannot run");
                  }
                  if (id.equals("flaky") && flakyCalls.incrementAndGet() == 1) {
                    throw new IllegalStateException("the first run fails");
                  }
                  LockSupport.parkNanos(2_000_000); // the job's I/O
                  handled.add(id);
                })
            .start();

    await().atMost(Duration.ofSeconds(90)).until(() -> handled.size() == 301);
    List<ConsumerRecord<byte[], byte[]>> dead =
        Broker.readAll(consumer.deadLetterTopic(), 3, false);
    Map<String, String> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      reasons.put(
          new String(r.key(), StandardCharsets.UTF_8),
          new String(r.headers().lastHeader(MeshHeaders.DLQ_REASON).value(), UTF8));
    }
    assertThat(reasons)
        .containsEntry("doomed", "handler")
        .containsEntry("pill-0", "wrong_magic_byte")
        .containsEntry("pill-1", "wrong_magic_byte");
    assertThat(flakyCalls.get()).isEqualTo(2);
    assertThat(handled.size() + dead.size()).isEqualTo(produced);
    assertThat(wrongScope.get()).isZero();
    assertThat(byMember.keySet()).hasSizeGreaterThan(1); // one partition, several members working
    assertThat(meters.get(MeshMetrics.CONSUME).tag("outcome", "retry").timer().count())
        .isEqualTo(1);
    assertThat(meters.get(MeshMetrics.DLQ).tag("reason", "handler").counter().count()).isEqualTo(1);
    int duplicates = calls.get() - handled.size() - 1 /* doomed */ - 1 /* flaky's failure */;
    System.out.printf(
        "fault run, share group of 3 on one partition: produced=%d handled=%d dead-lettered=%d"
            + " lost=%d duplicates=%d per member=%s%n",
        produced,
        handled.size(),
        dead.size(),
        produced - handled.size() - dead.size(),
        duplicates,
        byMember);
    assertThat(consumer.isRunning()).isTrue();
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  @Test
  void aRecordAtTheGroupsLastDeliveryIsDeadLetteredWithoutCallingTheHandler() throws Exception {
    Mesh mesh = mesh("share-limit");
    MeshProducer<JobQueued> producer = mesh.producer(JobQueued.class);
    producer.send(new JobQueued("crashes-its-consumers")).get(30, TimeUnit.SECONDS);
    String group = "limited";
    Broker.setGroupConfig(
        group, Map.of("share.delivery.count.limit", "2", "share.auto.offset.reset", "earliest"));
    // a member that "crashed" on the record: its first delivery is spent without an outcome
    try (KafkaShareConsumer<byte[], byte[]> first =
        new KafkaShareConsumer<>(
            Map.of(
                "bootstrap.servers",
                Broker.shared().bootstrapServers(),
                "group.id",
                group,
                "share.acknowledgement.mode",
                "explicit"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      first.subscribe(List.of(producer.topic()));
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                first.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
              });
      assertThat(got.get(0).deliveryCount()).contains((short) 1);
      first.acknowledge(got.get(0), AcknowledgeType.RELEASE);
      first.commitSync(Duration.ofSeconds(30));
    }

    AtomicInteger calls = new AtomicInteger();
    MeshShareConsumer<JobQueued> consumer =
        mesh.shareConsumer(JobQueued.class)
            .group(group)
            .maxAttempts(5) // capped at 1: one below the group's limit of 2
            .handle(e -> calls.incrementAndGet())
            .start();
    List<ConsumerRecord<byte[], byte[]>> dead =
        Broker.readAll(consumer.deadLetterTopic(), 1, false);
    assertThat(dead).hasSize(1);
    assertThat(new String(dead.get(0).headers().lastHeader(MeshHeaders.DLQ_REASON).value(), UTF8))
        .isEqualTo("delivery_limit");
    assertThat(new String(dead.get(0).headers().lastHeader(MeshHeaders.DLQ_ATTEMPTS).value(), UTF8))
        .isEqualTo("2");
    assertThat(calls.get()).isZero();
  }

  @Test
  void closingFromAHandlerReturnsAtOnceAndEveryMemberStops() throws Exception {
    Mesh mesh = mesh("share-self-close");
    MeshProducer<JobQueued> producer = mesh.producer(JobQueued.class);
    for (int i = 0; i < 20; i++) {
      producer.send(new JobQueued("job-" + i)).get(30, TimeUnit.SECONDS);
    }
    java.util.concurrent.atomic.AtomicReference<MeshShareConsumer<JobQueued>> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean terminatedWhenCloseReturned =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    MeshShareConsumer<JobQueued> consumer =
        mesh.shareConsumer(JobQueued.class)
            .group("share-self-close") // group ids are the cluster's: not the parallel test's
            .concurrency(2)
            .handle(
                e -> {
                  MeshShareConsumer<JobQueued> c = self.get();
                  if (c != null && closed.getCount() == 1) {
                    c.close(); // this member waits for this handler: it cannot have ended yet
                    terminatedWhenCloseReturned.set(c.awaitTermination(Duration.ZERO));
                    closed.countDown();
                  }
                })
            .start();
    self.set(consumer);
    assertThat(closed.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(terminatedWhenCloseReturned.get()).isFalse();
    assertThat(consumer.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(consumer.isRunning()).isFalse();
    assertThat(consumer.failure()).isEmpty();
    // the last member to stop released the consumer: the meters are gone
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                meters
                    .find(MeshMetrics.CONSUME)
                    .tag("group", "share-self-close")
                    .timers()
                    .isEmpty());
  }

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.<String, Object>of("bootstrap.servers", Broker.shared().bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
