package io.meshsdk.benchmarks;

import io.meshsdk.Mesh;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.migration.Migrations;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.ProductCodec;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Dual publishing against single publishing on the embedded broker, with raw kafka-clients in the
 * same run: producer throughput of {@code MeshProducer} (one topic), {@code DualProducer} chained
 * (two topics, the translation sent after the original is acknowledged) and transactional (one
 * transaction per event), and a raw {@code KafkaProducer} sending pre-encoded records. Rounds
 * alternate the order; each run writes to fresh topics (a new topic prefix).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.meshsdk.benchmarks.DualPublishHarness
 * [records] [rounds]} (defaults 100000 and 3; transactional runs send a hundredth of the records,
 * since each event is a transaction).
 */
public final class DualPublishHarness {
  private DualPublishHarness() {}

  /**
   * Runs the comparison and prints a Markdown table.
   *
   * @param args records per run, rounds
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
    Migrations migrations = MigrationBenchmark.MIGRATIONS;
    List<MigrationBenchmark.BenchOrderV2> orders = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      orders.add(
          new MigrationBenchmark.BenchOrderV2(
              "o-" + i,
              "user" + i + "@example.com",
              (100 + i % 10_000) + ".25 EUR",
              1.25,
              Instant.parse("2026-11-25T10:15:30.123Z"),
              List.of(new BenchOrder.Item("sku-1", 2, new BigDecimal("19.99"))),
              BenchOrder.Shipping.EXPRESS));
    }
    Map<String, List<Double>> results = new HashMap<>();
    int run = 0;
    for (int round = 0; round < rounds; round++) {
      List<String> order = new ArrayList<>(List.of("raw", "single", "dual", "dual-tx"));
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      for (String mode : order) {
        run++;
        String prefix = "dual-bench-" + run + ".";
        int n = mode.equals("dual-tx") ? Math.max(100, records / 100) : records;
        double rate =
            switch (mode) {
              case "raw" -> raw(broker, prefix, orders.subList(0, n));
              case "single" -> mesh(broker, prefix, migrations, orders.subList(0, n), false, false);
              case "dual" -> mesh(broker, prefix, migrations, orders.subList(0, n), true, false);
              default -> mesh(broker, prefix, migrations, orders.subList(0, n), true, true);
            };
        results.computeIfAbsent(mode, k -> new ArrayList<>()).add(rate);
      }
    }
    double raw = median(results.get("raw"));
    System.out.println("| producer | events/s (median) | runs (events/s) | vs raw | vs single |");
    System.out.println("| --- | ---: | --- | ---: | ---: |");
    double single = median(results.get("single"));
    for (String mode : List.of("raw", "single", "dual", "dual-tx")) {
      List<Double> r = results.get(mode);
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %s | %.2f | %.2f |%n",
          mode,
          median(r),
          r.stream().map(d -> String.format(Locale.ROOT, "%,.0f", d)).toList(),
          median(r) / raw,
          median(r) / single);
    }
    System.exit(0);
  }

  private static double mesh(
      EmbeddedKafkaBroker broker,
      String prefix,
      Migrations migrations,
      List<MigrationBenchmark.BenchOrderV2> orders,
      boolean dual,
      boolean transactional)
      throws Exception {
    try (Mesh mesh =
        Mesh.builder()
            .application("dual-bench")
            .bootstrapServers(broker.bootstrapServers())
            .schemaRegistry(new InMemorySchemaRegistry())
            .migrations(migrations)
            .topicPrefix(prefix)
            .kafkaProperty("linger.ms", 5)
            .kafkaProperty("batch.size", 65536)
            .build()) {
      MeshProducer<MigrationBenchmark.BenchOrderV2> producer;
      if (dual) {
        DualProducer.Builder<MigrationBenchmark.BenchOrderV2> b =
            mesh.dualProducer(MigrationBenchmark.BenchOrderV2.class).alsoAs(BenchOrder.class);
        producer = transactional ? b.transactional().build() : b.build();
      } else {
        producer = mesh.producer(MigrationBenchmark.BenchOrderV2.class);
      }
      producer.send(orders.get(0)).join(); // metadata, topic, registry: not measured
      long start = System.nanoTime();
      List<CompletableFuture<SendResult>> sent = new ArrayList<>(orders.size());
      for (MigrationBenchmark.BenchOrderV2 o : orders) {
        sent.add(producer.send(o));
      }
      for (CompletableFuture<SendResult> f : sent) {
        f.join();
      }
      return orders.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double raw(
      EmbeddedKafkaBroker broker, String prefix, List<MigrationBenchmark.BenchOrderV2> orders)
      throws Exception {
    ProductCodec<MigrationBenchmark.BenchOrderV2> codec =
        ProductCodec.of(ProductContract.of(MigrationBenchmark.BenchOrderV2.class));
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", broker.bootstrapServers());
    config.put("acks", "all");
    config.put("linger.ms", 5);
    config.put("batch.size", 65536);
    config.put("compression.type", "lz4");
    String topic = prefix + "orders.order-placed.v2";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, new byte[] {0})).get();
      long start = System.nanoTime();
      List<Future<RecordMetadata>> sent = new ArrayList<>(orders.size());
      for (MigrationBenchmark.BenchOrderV2 o : orders) {
        byte[] body = codec.encode(o);
        byte[] framed = new byte[body.length + WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(1, framed, 0);
        System.arraycopy(body, 0, framed, WireFormat.HEADER_SIZE, body.length);
        sent.add(producer.send(new ProducerRecord<>(topic, o.orderId().getBytes(), framed)));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
      return orders.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
