package io.meshsdk.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meshsdk.Mesh;
import io.meshsdk.benchmarks.avro.AvroLineItem;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.benchmarks.avro.AvroShipping;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.WireFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A legacy JSON topic bridged to a product on a real broker, side by side with the loop a team
 * writes by hand for the same job. {@code n} legacy orders (JSON, 330 bytes) are on the legacy
 * topic before the clock starts; each variant reads all of them in a fresh consumer group, maps
 * each to the order product and writes it to a fresh output topic, at least once; timed from the
 * start until the output topic's end offsets add up to {@code n}. Variants, in rotating order per
 * round:
 *
 * <ul>
 *   <li>{@code bridge}: {@code mesh.bridge(SourceFormat.json(LegacyOrder.class), BenchOrder.class)}
 *       — Jackson binding, the mapping, the contract checked, the compiled codec, the product's
 *       headers with the legacy parent, the bridge and producer meters into a {@code
 *       SimpleMeterRegistry};
 *   <li>{@code raw}: a {@code KafkaConsumer} + {@code KafkaProducer} loop doing the same mapping:
 *       the same Jackson binding, Avro's generated class written by {@code SpecificDatumWriter}
 *       with the framing, the same nine headers, the producer settings the mesh uses ({@code
 *       acks=all}, idempotence, {@code linger.ms=5}), each batch's sends awaited and its offsets
 *       committed, no contract check, no meters;
 *   <li>{@code bridge-eos}: the bridge exactly once (each batch a transaction), for reference.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.meshsdk.benchmarks.BridgeHarness [n]
 * [rounds]} (defaults 200000 and 5, after {@code -Dwarmup=1} round not counted); {@code
 * -Dpartitions=N} (default 2), {@code -Dbroker=inline} for a broker in this JVM (default: its own
 * JVM).
 */
public final class BridgeHarness {
  private static final List<String> VARIANTS = List.of("bridge", "raw", "bridge-eos");

  /** The legacy record: what the old system wrote, in its own names. */
  public record LegacyOrder(
      String id,
      String email,
      double amount,
      String currency,
      double weight,
      String placed,
      List<LegacyItem> lines,
      String delivery) {}

  /** A legacy order line. */
  public record LegacyItem(String sku, int qty, String price) {}

  private BridgeHarness() {}

  /**
   * Runs the harness.
   *
   * @param args {@code [n] [rounds]}
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int partitions = Integer.getInteger("partitions", 2);
    int warmup = Integer.getInteger("warmup", 1);
    boolean inline = "inline".equals(System.getProperty("broker"));
    StreamsTopologyBenchmark.trustAvroClasses();
    System.out.printf(
        Locale.ROOT,
        "BridgeHarness: %d records, %d rounds after %d of warm-up, %d partitions, broker %s, java"
            + " %s, %d cores%n",
        n,
        rounds,
        warmup,
        partitions,
        inline ? "in this JVM" : "in its own JVM",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    Harnesses.Broker started = Harnesses.start(inline);
    String bootstrap = started.bootstrapServers();
    AutoCloseable broker = started.process();
    Map<String, List<Double>> results = new LinkedHashMap<>();
    VARIANTS.forEach(v -> results.put(v, new ArrayList<>()));
    try (broker;
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      String legacy = "legacy.orders";
      admin.createTopics(List.of(new NewTopic(legacy, partitions, (short) 1))).all().get();
      fill(bootstrap, legacy, n);
      System.out.printf(Locale.ROOT, "legacy topic: %d JSON orders on %s%n", n, legacy);
      for (int round = -warmup; round < rounds; round++) {
        List<String> order = new ArrayList<>(VARIANTS);
        java.util.Collections.rotate(order, Math.max(round, 0));
        for (String variant : order) {
          String run = variant + "-" + round + "-" + UUID.randomUUID().toString().substring(0, 6);
          double perSecond = run(admin, bootstrap, variant, run, legacy, partitions, n);
          if (round >= 0) {
            results.get(variant).add(perSecond);
          }
          System.out.printf(
              Locale.ROOT,
              "%s %-10s %,12.0f records/s%n",
              round < 0 ? "warm-up " : "round " + (round + 1),
              variant,
              perSecond);
        }
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-10s %14s %10s%n", "", "median rec/s", "vs raw");
    double raw = Harnesses.median(results.get("raw"));
    for (String v : VARIANTS) {
      double m = Harnesses.median(results.get(v));
      System.out.printf(Locale.ROOT, "%-10s %,14.0f %9.2fx%n", v, m, m / raw);
    }
  }

  /** The legacy JSON of order {@code i}: the fields of the order product, in the old names. */
  static byte[] legacyJson(int i) {
    return ("{\"id\":\"o-"
            + i
            + "\",\"email\":\"ada.lovelace@example.com\",\"amount\":123.45,\"currency\":\"EUR\","
            + "\"weight\":1.25,\"placed\":\"2026-11-25T10:15:30.123Z\",\"lines\":["
            + "{\"sku\":\"sku-1\",\"qty\":2,\"price\":\"19.99\"},"
            + "{\"sku\":\"sku-2\",\"qty\":1,\"price\":\"5.00\"},"
            + "{\"sku\":\"sku-3\",\"qty\":3,\"price\":\"0.10\"}],"
            + "\"delivery\":\"EXPRESS\",\"legacyChannel\":\"web\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The mapping both variants do, onto the product. */
  static BenchOrder toProduct(LegacyOrder o) {
    List<BenchOrder.Item> items = new ArrayList<>(o.lines().size());
    for (LegacyItem l : o.lines()) {
      items.add(new BenchOrder.Item(l.sku(), l.qty(), new BigDecimal(l.price())));
    }
    return new BenchOrder(
        o.id(),
        o.email(),
        Math.round(o.amount() * 100),
        o.currency(),
        o.weight(),
        Instant.parse(o.placed()),
        items,
        BenchOrder.Shipping.valueOf(o.delivery()),
        null);
  }

  /** The same mapping onto Avro's generated class. */
  static AvroOrder toAvro(LegacyOrder o) {
    List<AvroLineItem> items = new ArrayList<>(o.lines().size());
    for (LegacyItem l : o.lines()) {
      items.add(new AvroLineItem(l.sku(), l.qty(), new BigDecimal(l.price())));
    }
    return AvroOrder.newBuilder()
        .setOrderId(o.id())
        .setCustomerEmail(o.email())
        .setAmountCents(Math.round(o.amount() * 100))
        .setCurrency(o.currency())
        .setWeightKg(o.weight())
        .setPlacedAt(Instant.parse(o.placed()))
        .setItems(items)
        .setShipping(AvroShipping.valueOf(o.delivery()))
        .setNote(null)
        .build();
  }

  private static void fill(String bootstrap, String topic, int n) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 262_144),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, utf8("o-" + i), legacyJson(i)));
      }
      producer.flush();
    }
  }

  private static double run(
      Admin admin,
      String bootstrap,
      String variant,
      String run,
      String legacy,
      int partitions,
      int n)
      throws Exception {
    if (variant.startsWith("bridge")) {
      // a fresh topic prefix: the product's topic is new for each run
      try (Mesh mesh =
          Mesh.builder()
              .application("bench")
              .bootstrapServers(bootstrap)
              .schemaRegistry(new InMemorySchemaRegistry())
              .meterRegistry(new SimpleMeterRegistry())
              .topicPrefix(run + ".")
              .build()) {
        long start = System.nanoTime();
        MeshBridge.Builder<LegacyOrder, BenchOrder> builder =
            mesh.bridge(SourceFormat.json(LegacyOrder.class), BenchOrder.class)
                .from(legacy)
                .group(run)
                .map(r -> toProduct(r.value()));
        if (variant.equals("bridge-eos")) {
          builder.exactlyOnce();
        }
        MeshBridge<LegacyOrder, BenchOrder> bridge = builder.start();
        awaitCommitted(admin, run, n, variant);
        long elapsed = System.nanoTime() - start;
        bridge.close();
        if (!variant.equals("bridge-eos")) {
          checkOutput(admin, bridge.outputTopic(), n, variant);
        }
        return n / (elapsed / 1e9);
      }
    }
    String output = "out." + run;
    admin.createTopics(List.of(new NewTopic(output, partitions, (short) 1))).all().get();
    long start = System.nanoTime();
    RawLoop loop = new RawLoop(bootstrap, legacy, output, run);
    Thread thread = new Thread(loop, "raw-bridge");
    thread.start();
    awaitCommitted(admin, run, n, variant);
    long elapsed = System.nanoTime() - start;
    loop.running = false;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    checkOutput(admin, output, n, variant);
    return n / (elapsed / 1e9);
  }

  /**
   * The hand-written bridge: poll, parse, map, encode, nine headers, send; each batch's sends
   * awaited and its offsets committed. What a team writes without Mesh, at the same guarantee.
   */
  static final class RawLoop implements Runnable {
    private final String bootstrap;
    private final String legacy;
    private final String output;
    private final String group;
    volatile boolean running = true;

    RawLoop(String bootstrap, String legacy, String output, String group) {
      this.bootstrap = bootstrap;
      this.legacy = legacy;
      this.output = output;
      this.group = group;
    }

    @Override
    public void run() {
      ObjectReader json =
          new ObjectMapper()
              .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readerFor(LegacyOrder.class);
      SpecificDatumWriter<AvroOrder> writer = new SpecificDatumWriter<>(AvroOrder.class);
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
      BinaryEncoder encoder = null;
      byte[] source = utf8("/mesh/bench");
      byte[] type = utf8("orders.order-placed.v1");
      try (KafkaConsumer<byte[], byte[]> consumer =
              new KafkaConsumer<>(
                  Map.of(
                      "bootstrap.servers",
                      bootstrap,
                      "group.id",
                      group,
                      "enable.auto.commit",
                      false,
                      "auto.offset.reset",
                      "earliest",
                      "max.poll.records",
                      500),
                  new ByteArrayDeserializer(),
                  new ByteArrayDeserializer());
          KafkaProducer<byte[], byte[]> producer =
              new KafkaProducer<>(
                  Map.of(
                      "bootstrap.servers",
                      bootstrap,
                      "acks",
                      "all",
                      "enable.idempotence",
                      true,
                      "linger.ms",
                      5,
                      "compression.type",
                      "none"),
                  new ByteArraySerializer(),
                  new ByteArraySerializer())) {
        consumer.subscribe(List.of(legacy));
        while (running) {
          ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
          if (records.isEmpty()) {
            continue;
          }
          List<Future<RecordMetadata>> sent = new ArrayList<>(records.count());
          Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
          for (ConsumerRecord<byte[], byte[]> r : records) {
            AvroOrder order = toAvro(json.readValue(r.value()));
            buffer.reset();
            buffer.write(new byte[] {WireFormat.MAGIC_BYTE, 0, 0, 0, 1});
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            writer.write(order, encoder);
            encoder.flush();
            RecordHeaders h = new RecordHeaders();
            h.add(MeshHeaders.SPEC_VERSION, utf8("1.0"));
            h.add(MeshHeaders.SOURCE, source);
            h.add(MeshHeaders.TYPE, type);
            h.add(MeshHeaders.DATA_SCHEMA, utf8("urn:mesh:schema:1"));
            h.add(MeshHeaders.CONTENT_TYPE, utf8("application/avro"));
            h.add(MeshHeaders.VERSION, utf8("1.0"));
            h.add(MeshHeaders.ID, utf8(UUID.randomUUID().toString()));
            h.add(MeshHeaders.TIME, utf8(Instant.ofEpochMilli(r.timestamp()).toString()));
            h.add(
                MeshHeaders.PARENTS,
                utf8(
                    EventRef.external("legacy.json", r.topic(), r.partition(), r.offset())
                        .toString()));
            sent.add(
                producer.send(
                    new ProducerRecord<>(
                        output,
                        null,
                        r.timestamp(),
                        utf8(order.getOrderId()),
                        buffer.toByteArray(),
                        h)));
            next.put(
                new TopicPartition(r.topic(), r.partition()),
                new OffsetAndMetadata(r.offset() + 1));
          }
          for (Future<RecordMetadata> f : sent) {
            f.get();
          }
          consumer.commitSync(next);
        }
      } catch (IOException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits until the group has committed all {@code n} legacy records: each was mapped, written and
   * acknowledged (or, exactly once, its transaction committed). The same finish line for every
   * variant; end offsets of the output would count an exactly-once run's transaction markers.
   */
  private static void awaitCommitted(Admin admin, String group, int n, String variant)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    long committed;
    do {
      Thread.sleep(20); // a measurement's poll interval, not a synchronisation
      committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .values()
              .stream()
              .filter(java.util.Objects::nonNull)
              .mapToLong(OffsetAndMetadata::offset)
              .sum();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(variant + " committed " + committed + " of " + n);
      }
    } while (committed < n);
  }

  /** An at-least-once run wrote each record once here (no failure, so no batch read again). */
  private static void checkOutput(Admin admin, String topic, int n, String variant)
      throws Exception {
    long written = Harnesses.endOffsets(admin, topic);
    if (written != n) {
      throw new IllegalStateException(variant + " wrote " + written + ", not " + n);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
