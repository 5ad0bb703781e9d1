package io.meshsdk.benchmarks;

import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.TestMesh;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a test costs with the testkit: the time of one whole produce-then-consume unit test (create
 * the test mesh, start a consumer, send one event, wait until the handler saw it, close), in memory
 * and on the embedded broker, next to the same test written with raw kafka-clients on the embedded
 * broker (create a topic, a producer and a consumer, send, poll until it arrives, close); and the
 * embedded broker's start time.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.meshsdk.benchmarks.TestkitHarness
 * [inMemoryTests] [brokerTests]} (defaults 300 and 10; the first third of each series is warm-up).
 */
public final class TestkitHarness {
  private TestkitHarness() {}

  /** A product for the measured tests. */
  @DataProduct(
      domain = "bench",
      name = "unit-test-event",
      version = "1.0",
      owner = "team-bench",
      description = "An event sent by a measured unit test.")
  public record UnitTestEvent(@Key @Doc("Id") String id, @Doc("Amount") long amount) {}

  /**
   * Runs the measurements and prints a Markdown table.
   *
   * @param args in-memory tests, broker tests
   * @throws Exception if a measurement fails
   */
  public static void main(String[] args) throws Exception {
    int inMemory = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int broker = args.length > 1 ? Integer.parseInt(args[1]) : 10;

    List<Double> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      try (EmbeddedKafkaBroker b = EmbeddedKafkaBroker.create().start()) {
        starts.add(millis(t0));
        b.bootstrapServers();
      }
    }
    List<Double> memory = series(inMemory, () -> meshTest(BrokerMode.IN_MEMORY));
    EmbeddedKafkaBroker.shared();
    List<Double> embedded = series(broker, () -> meshTest(BrokerMode.EMBEDDED));
    List<Double> raw = series(broker, TestkitHarness::rawTest);

    System.out.println("| measurement | runs | median ms | p90 ms |");
    System.out.println("| --- | ---: | ---: | ---: |");
    row(
        "embedded broker start, the first in the JVM (what a test suite pays)",
        starts.subList(0, 1),
        0);
    row("embedded broker start, later ones (classes loaded)", starts.subList(1, 3), 0);
    row("produce→consume unit test, `@MeshTest` in memory", memory, memory.size() / 3);
    row("produce→consume unit test, `@MeshTest(broker = EMBEDDED)`", embedded, embedded.size() / 3);
    row("same test with raw kafka-clients on the embedded broker", raw, raw.size() / 3);
    System.exit(0);
  }

  private interface Test {
    void run() throws Exception;
  }

  private static List<Double> series(int runs, Test test) throws Exception {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      test.run();
      times.add(millis(t0));
    }
    return times;
  }

  private static void meshTest(BrokerMode mode) throws Exception {
    try (TestMesh mesh = TestMesh.builder().mode(mode).application("bench").build()) {
      CountDownLatch seen = new CountDownLatch(1);
      mesh.consumer(UnitTestEvent.class)
          .group("bench")
          .startFrom(StartPosition.earliest())
          .handle(e -> seen.countDown())
          .start();
      mesh.producer(UnitTestEvent.class).send(new UnitTestEvent("e-1", 1)).join();
      if (!seen.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the event did not arrive in " + mode);
      }
    }
  }

  private static int rawTopics;

  private static void rawTest() throws Exception {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String topic = "raw-unit-test-" + (++rawTopics);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", servers),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                Map.of("bootstrap.servers", servers, "group.id", "bench-" + topic),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      producer.send(new ProducerRecord<>(topic, "e-1".getBytes(StandardCharsets.UTF_8))).get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (consumer.poll(Duration.ofMillis(50)).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the raw record did not arrive");
        }
      }
    }
  }

  private static double millis(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static void row(String name, List<Double> times, int warmup) {
    List<Double> measured = new ArrayList<>(times.subList(warmup, times.size()));
    Collections.sort(measured);
    double median = measured.get(measured.size() / 2);
    double p90 =
        measured.get(Math.min(measured.size() - 1, (int) Math.ceil(measured.size() * 0.9) - 1));
    System.out.printf(
        Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", name, measured.size(), median, p90);
  }
}
