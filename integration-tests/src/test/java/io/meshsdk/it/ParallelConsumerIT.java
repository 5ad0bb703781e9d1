package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshConsumer.Ordering;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Parallel handling inside one consumer ({@code KEY} and {@code UNORDERED} order) on the real
 * broker: order per key, counts through failures, a rebalance, and a consumer killed with {@code
 * kill -9} in a child JVM.
 */
class ParallelConsumerIT {
  @DataProduct(
      domain = "par",
      name = "step-taken",
      version = "1.0",
      owner = "team-par",
      partitions = 3,
      description = "A numbered step of a walker.")
  record StepTaken(@Key @Doc("Walker") String walker, @Doc("Step number") int step) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<Mesh> meshes = new ArrayList<>();

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();

  private Mesh mesh(String application) {
    // a topic of its own per test: each counts every record of it
    Mesh mesh =
        Broker.mesh(application, registry)
            .topicPrefix(application.replaceAll("-\\d$", "") + ".")
            .meterRegistry(meters)
            .openTelemetry(
                OpenTelemetrySdk.builder()
                    .setTracerProvider(
                        SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(spans))
                            .build())
                    .setPropagators(
                        ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build())
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

  /** Sends {@code walkers} × {@code steps} events, the steps of each walker in order. */
  private static int produce(Mesh mesh, int walkers, int steps) throws Exception {
    MeshProducer<StepTaken> producer = mesh.producer(StepTaken.class);
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      for (int w = 0; w < walkers; w++) {
        sent.add(producer.send(new StepTaken("w" + w, s)));
      }
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return sent.size();
  }

  @Test
  void keepsEachKeysOrderWhileKeysRunInParallelWithLineageAndMeters() throws Exception {
    Mesh mesh = mesh("par-order");
    int produced = produce(mesh, 30, 60);
    Map<String, ConcurrentLinkedQueue<Integer>> steps = new ConcurrentHashMap<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger wrongScope = new AtomicInteger();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    MeshConsumer<StepTaken> consumer =
        mesh.consumer(StepTaken.class)
            .group("order")
            .parallel(Ordering.KEY, 16)
            .handle(
                e -> {
                  mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                  threads.add(Thread.currentThread().getName());
                  if (!LineageScope.currentParents().equals(List.of(e.lineage().self()))
                      || !Span.current().getSpanContext().isValid()) {
                    wrongScope.incrementAndGet();
                  }
                  LockSupport.parkNanos(300_000); // an I/O call
                  steps
                      .computeIfAbsent(e.value().walker(), w -> new ConcurrentLinkedQueue<>())
                      .add(e.value().step());
                  running.decrementAndGet();
                })
            .start();

    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> steps.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum() >= 1800);
    // the timer is recorded once the handler has returned
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        meters.get(MeshMetrics.CONSUME).tag("outcome", "success").timer().count())
                    .isEqualTo(produced));
    consumer.close();

    assertThat(steps).hasSize(30);
    for (ConcurrentLinkedQueue<Integer> walked : steps.values()) {
      assertThat(new ArrayList<>(walked)).containsExactlyElementsOf(range(60));
    }
    assertThat(steps.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum())
        .isEqualTo(produced);
    assertThat(mostAtOnce.get()).isGreaterThan(3);
    assertThat(threads).allMatch(t -> t.contains("-worker-"));
    assertThat(wrongScope.get()).isZero(); // the lineage scope and the span on every worker
    List<SpanData> processed =
        spans.getFinishedSpanItems().stream()
            .filter(d -> d.getKind() == SpanKind.CONSUMER)
            .toList();
    assertThat(processed).hasSize(produced);
    assertThat(processed).allMatch(d -> d.getParentSpanContext().isValid()); // the producer's
  }

  private static List<Integer> range(int n) {
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.add(i);
    }
    return r;
  }

  static final class Permanent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Permanent(String message) {
      super(message);
    }
  }

  @Test
  void deadLettersPoisonPillsAndFailuresWhileARetryingKeyDoesNotHoldUpTheOthers() throws Exception {
    Mesh mesh = mesh("par-failures");
    MeshProducer<StepTaken> producer = mesh.producer(StepTaken.class);
    String topic = producer.topic();
    // the stuck and doomed keys come first: in partition order they would hold up the rest
    for (int s = 0; s < 3; s++) {
      producer.send(new StepTaken("stuck", s)).get(30, TimeUnit.SECONDS);
      producer.send(new StepTaken("doomed", s)).get(30, TimeUnit.SECONDS);
    }
    int good = produce(mesh, 20, 10);
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", Broker.shared().bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 4; i++) {
        raw.send(
                new ProducerRecord<>(
                    topic,
                    ("pill-" + i).getBytes(StandardCharsets.UTF_8),
                    new byte[] {7, 0, 0, 0, 1, 2}))
            .get();
      }
    }
    int produced = good + 6 + 4;

    AtomicBoolean stuckReleased = new AtomicBoolean();
    AtomicInteger stuckAttempts = new AtomicInteger();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<Integer> stuckSteps = new ConcurrentLinkedQueue<>();
    MeshConsumer<StepTaken> consumer =
        mesh.consumer(StepTaken.class)
            .group("failures")
            .parallel(Ordering.KEY, 8)
            .maxAttempts(1000)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .nonRetriable(Permanent.class)
            .handle(
                e -> {
                  String walker = e.value().walker();
                  if (walker.equals("doomed")) {
                    throw new Permanent("cannot walk");
                  }
                  if (walker.equals("stuck")) {
                    if (!stuckReleased.get()) {
                      stuckAttempts.incrementAndGet();
                      throw new IllegalStateException("not yet");
                    }
                    stuckSteps.add(e.value().step());
                  }
                  handled.add(walker + "/" + e.value().step());
                })
            .start();

    // every other key is handled while the stuck one keeps failing and retrying
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == good);
    assertThat(stuckAttempts.get()).isGreaterThan(1);
    assertThat(stuckSteps).isEmpty();
    stuckReleased.set(true);
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == good + 3);
    assertThat(new ArrayList<>(stuckSteps)).containsExactly(0, 1, 2);

    List<ConsumerRecord<byte[], byte[]>> dead =
        Broker.readAll(consumer.deadLetterTopic(), 7, false);
    Map<String, Integer> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      reasons.merge(
          new String(r.headers().lastHeader(MeshHeaders.DLQ_REASON).value(), UTF8),
          1,
          Integer::sum);
    }
    assertThat(reasons).containsEntry("handler", 3).containsEntry("wrong_magic_byte", 4);
    assertThat(handled.size() + dead.size()).isEqualTo(produced);
    System.out.printf(
        "fault run, parallel KEY with poison pills: produced=%d handled=%d dead-lettered=%d"
            + " lost=%d%n",
        produced, handled.size(), dead.size(), produced - handled.size() - dead.size());
    assertThat(consumer.isRunning()).isTrue();
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  @Test
  void aRebalanceMidRunLosesNothing() throws Exception {
    Mesh first = mesh("par-rebalance-1");
    int produced = produce(first, 40, 300);
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger byA = new AtomicInteger();
    AtomicInteger byB = new AtomicInteger();
    MeshConsumer<StepTaken> a =
        first
            .consumer(StepTaken.class)
            .group("rebalance")
            .parallel(Ordering.UNORDERED, 2)
            .handle(
                e -> {
                  LockSupport.parkNanos(2_000_000); // about 1,000 records/s per consumer
                  calls.incrementAndGet();
                  byA.incrementAndGet();
                  seen.computeIfAbsent(id(e.value()), k -> new AtomicInteger()).incrementAndGet();
                })
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> calls.get() >= 1500);
    Mesh second = mesh("par-rebalance-2");
    MeshConsumer<StepTaken> b =
        second
            .consumer(StepTaken.class)
            .group("rebalance")
            .parallel(Ordering.UNORDERED, 2)
            .handle(
                e -> {
                  LockSupport.parkNanos(2_000_000); // about 1,000 records/s per consumer
                  calls.incrementAndGet();
                  byB.incrementAndGet();
                  seen.computeIfAbsent(id(e.value()), k -> new AtomicInteger()).incrementAndGet();
                })
            .start();
    // b joins (a first rebalance: a gives partitions up with records in flight) and works
    await().atMost(Duration.ofSeconds(60)).until(() -> byB.get() >= 500);
    int aBeforeClose = byA.get();
    assertThat(seen.size()).isLessThan(produced); // still mid-run
    a.close(); // a second rebalance: b takes every partition
    await().atMost(Duration.ofSeconds(120)).until(() -> seen.size() == produced);
    b.close();
    int duplicates = calls.get() - seen.size();
    System.out.printf(
        "fault run, parallel UNORDERED with two rebalances: produced=%d handled=%d (a %d, b %d)"
            + " lost=%d duplicates=%d%n",
        produced, seen.size(), byA.get(), byB.get(), produced - seen.size(), duplicates);
    assertThat(seen).hasSize(produced);
    assertThat(aBeforeClose).isGreaterThan(1500);
    // revocation waits for the records being handled and commits below the rest: at most the
    // records held (256 per consumer) are handled again at each of the two rebalances
    assertThat(duplicates).isLessThanOrEqualTo(2 * 2 * 256);
  }

  @Test
  void closingFromAHandlerReturnsAtOnceAndTheConsumerStops() throws Exception {
    Mesh mesh = mesh("par-self-close");
    produce(mesh, 5, 4);
    AtomicReference<MeshConsumer<StepTaken>> self = new AtomicReference<>();
    AtomicBoolean terminatedWhenCloseReturned = new AtomicBoolean(true);
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    MeshConsumer<StepTaken> consumer =
        mesh.consumer(StepTaken.class)
            .group("self-close")
            .parallel(Ordering.KEY, 4)
            .handle(
                e -> {
                  MeshConsumer<StepTaken> c = self.get();
                  if (c != null && closed.getCount() == 1) {
                    c.close(); // the loop waits for this handler: it cannot have ended yet
                    terminatedWhenCloseReturned.set(c.awaitTermination(Duration.ZERO));
                    closed.countDown();
                  }
                })
            .start();
    self.set(consumer);
    assertThat(closed.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(terminatedWhenCloseReturned.get()).isFalse();
    assertThat(consumer.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(consumer.failure()).isEmpty();
  }

  private static String id(StepTaken s) {
    return s.walker() + "/" + s.step();
  }

  @Test
  void aConsumerKilledMidRunAndRestartedLosesNothing() throws Exception {
    String prefix = "kill" + System.nanoTime() % 100000 + ".";
    Mesh mesh =
        Broker.meshOnRegistry("par-killed", prefix)
            .meterRegistry(new SimpleMeterRegistry())
            .build();
    meshes.add(mesh);
    int produced = produce(mesh, 40, 100);
    Path out = Files.createTempFile("parallel-child-", ".txt");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ParallelConsumerChild.class.getName(),
                Broker.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(),
                prefix,
                "killed",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(Files.createTempFile("parallel-child-", ".log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> Files.readAllLines(out, StandardCharsets.UTF_8).size() >= 1500);
    } finally {
      child.destroyForcibly(); // SIGKILL: no close, no commit, no revocation
      child.waitFor(30, TimeUnit.SECONDS);
    }
    List<String> beforeKill = Files.readAllLines(out, StandardCharsets.UTF_8);
    beforeKill.removeIf(String::isEmpty);

    Set<String> seen = ConcurrentHashMap.newKeySet();
    seen.addAll(beforeKill);
    AtomicInteger afterRestart = new AtomicInteger();
    Map<String, ConcurrentLinkedQueue<Integer>> order = new ConcurrentHashMap<>();
    MeshConsumer<StepTaken> restarted =
        mesh.consumer(StepTaken.class)
            .group("killed")
            .parallel(Ordering.KEY, 16)
            .handle(
                e -> {
                  afterRestart.incrementAndGet();
                  seen.add(id(e.value()));
                  order
                      .computeIfAbsent(e.value().walker(), w -> new ConcurrentLinkedQueue<>())
                      .add(e.value().step());
                })
            .start();
    await().atMost(Duration.ofSeconds(120)).until(() -> seen.size() == produced);
    restarted.close();
    int handled = beforeKill.size() + afterRestart.get();
    int duplicates = handled - produced;
    System.out.printf(
        "fault run, parallel KEY consumer killed (kill -9) and restarted: produced=%d"
            + " handled before kill=%d after restart=%d lost=%d duplicates=%d%n",
        produced, beforeKill.size(), afterRestart.get(), produced - seen.size(), duplicates);
    assertThat(seen).hasSize(produced);
    for (ConcurrentLinkedQueue<Integer> steps : order.values()) {
      assertThat(new ArrayList<>(steps)).isSorted();
    }
    // the committed position trails by at most the records held (maxInFlight: 256 for 16
    // workers), plus those done since the last commit (100 ms apart, about 160 records at the
    // child's 1,600 a second, and the commit's own latency); a consumer that never committed
    // would handle all 1,500 or more again
    assertThat(duplicates).isLessThanOrEqualTo(256 + 500);
  }
}
