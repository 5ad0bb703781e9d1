package io.meshsdk.benchmarks;

import io.meshsdk.Mesh;
import io.meshsdk.benchmarks.EndToEndReport.Run;
import io.meshsdk.benchmarks.avro.AvroLineItem;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.benchmarks.avro.AvroShipping;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * End-to-end throughput on the embedded broker, SDK and raw kafka-clients side by side in one run.
 *
 * <ul>
 *   <li>produce: {@code MeshProducer.send} (contract check, encode, CloudEvents headers) versus a
 *       raw {@code KafkaProducer<byte[], byte[]>} sending the same orders pre-encoded with Avro's
 *       {@code SpecificDatumWriter} in the Confluent framing; same client settings;
 *   <li>consume: a {@code MeshConsumer} (decode into the record, lineage, metrics, commits) versus
 *       a raw {@code KafkaConsumer<byte[], byte[]>} decoding with {@code SpecificDatumReader}.
 * </ul>
 *
 * Runs are interleaved (raw and SDK alternate which goes first), each on a fresh topic with one
 * partition; medians over the rounds are printed as a Markdown table. Registry calls during
 * measured runs are counted; allocation is measured on the thread doing the SDK's or the raw
 * client's work (the caller for producing, the poll thread for consuming).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.meshsdk.benchmarks.EndToEndHarness
 * [records] [rounds]} (defaults 500000 and 3).
 */
public final class EndToEndHarness {
  private static final int DISTINCT = 1000;

  /** The CloudEvents headers the SDK writes (the same names, values of the same length). */
  private static final org.apache.kafka.common.header.Header[] STATIC_HEADERS = {
    header("ce_specversion", "1.0"),
    header("ce_source", "/mesh/harness"),
    header("ce_type", "orders.order-placed.v1"),
    header("ce_dataschema", "urn:mesh:schema:1"),
    header("content-type", "application/avro"),
    header("ce_meshversion", "1.0")
  };

  private static org.apache.kafka.common.header.Header header(String key, String value) {
    return new org.apache.kafka.common.header.internals.RecordHeader(
        key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static long frameBytes;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private EndToEndHarness() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    THREADS.setThreadAllocatedMemoryEnabled(true);
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            ClassSecurityValidator.builder()
                .add(AvroOrder.class)
                .add(AvroLineItem.class)
                .add(AvroShipping.class)
                .build()));

    List<BenchOrder> orders = orders();
    List<byte[]> framed = preEncode(orders);
    List<AvroOrder> avroOrders = orders.stream().map(BenchOrder::toAvro).toList();
    for (byte[] f : framed) {
      frameBytes += f.length;
    }
    System.out.printf(
        Locale.ROOT, "value bytes per record (framed): %.1f%n", (double) frameBytes / DISTINCT);
    EndToEndReport runs = new EndToEndReport();
    long registryCallsMeasured = 0;
    boolean inline = "inline".equals(System.getProperty("broker"));
    System.out.printf(Locale.ROOT, "line items per order: %d%n", Integer.getInteger("items", 3));
    System.out.printf(
        Locale.ROOT,
        "broker: %s%n",
        inline ? "in this JVM (-Dbroker=inline)" : "in its own JVM (default; -Dbroker=inline)");
    try (Broker broker = inline ? Broker.inline() : Broker.process()) {
      InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
      // -Dcompression=none|gzip|lz4|zstd, for every variant alike (default lz4, as in RESULTS.md)
      String codec = System.getProperty("compression", "lz4");
      System.out.printf(Locale.ROOT, "compression: %s%n", codec);
      Map<String, Object> settings =
          Map.of("acks", "all", "linger.ms", 5, "batch.size", 65536, "compression.type", codec);
      try (Mesh mesh =
              Mesh.builder()
                  .application("harness")
                  .bootstrapServers(broker.bootstrapServers())
                  .schemaRegistry(registry)
                  .kafkaProperty("linger.ms", 5)
                  .kafkaProperty("batch.size", 65536)
                  .kafkaProperty("compression.type", codec)
                  .build();
          Mesh compact =
              Mesh.builder()
                  .application("harness-compact")
                  .bootstrapServers(broker.bootstrapServers())
                  .schemaRegistry(registry)
                  .headerProfile(io.meshsdk.runtime.HeaderProfile.COMPACT)
                  .kafkaProperty("linger.ms", 5)
                  .kafkaProperty("batch.size", 65536)
                  .kafkaProperty("compression.type", codec)
                  .build();
          Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        ProductContract<BenchOrder> contract = ProductContract.of(BenchOrder.class);
        // warm-up: both paths once on a small run, which also registers the schema
        produceRaw(broker, settings, "warmup-raw", framed, null, 20_000, admin, true);
        produceRaw(broker, settings, "warmup-raw-avro", framed, avroOrders, 20_000, admin, true);
        MeshProducer<BenchOrder> producer = mesh.producer(BenchOrder.class);
        produceMesh(producer, orders, 20_000);
        consumeRaw(broker, "warmup-raw", 20_000, "warmup");
        consumeRaw(broker, "warmup-raw", 20_000, "warmup-ce", true);
        consumeMesh(mesh, contract.topic(), "warmup", 20_000);
        produceMesh(compact.producer(BenchOrder.class), orders, 20_000);
        consumeMesh(compact, contract.topic(), "warmup-compact", 20_000);

        for (int round = 0; round < rounds; round++) {
          String rawTopic = "raw-" + round;
          String headedTopic = "raw-headers-" + round;
          String meshTopic = "mesh-" + round;
          String compactTopic = "mesh-compact-" + round;
          String avroTopic = "raw-avro-" + round;
          admin
              .createTopics(
                  List.of(
                      new NewTopic(rawTopic, 1, (short) 1),
                      new NewTopic(headedTopic, 1, (short) 1),
                      new NewTopic(meshTopic, 1, (short) 1),
                      new NewTopic(compactTopic, 1, (short) 1),
                      new NewTopic(avroTopic, 1, (short) 1)))
              .all()
              .get();
          MeshProducer<BenchOrder> meshProducer = producerFor(mesh, meshTopic);
          MeshProducer<BenchOrder> compactProducer = producerFor(compact, compactTopic);
          long before = registry.requestCount();
          // rotate which variant goes first, so none always runs on a warmer or colder broker
          for (int i = 0; i < 5; i++) {
            switch ((i + round) % 5) {
              case 0 ->
                  runs.add(
                      onThread(
                          "produce-raw",
                          () ->
                              produceRaw(
                                  broker, settings, rawTopic, framed, null, records, admin,
                                  false)));
              case 3 ->
                  runs.add(
                      onThread(
                          "produce-sdk-compact",
                          () ->
                              produceMesh(compactProducer, orders, records)
                                  .named("produce SDK compact")));
              case 1 ->
                  runs.add(
                      onThread(
                          "produce-raw-h",
                          () ->
                              produceRaw(
                                  broker,
                                  settings,
                                  headedTopic,
                                  framed,
                                  null,
                                  records,
                                  admin,
                                  true)));
              case 4 ->
                  runs.add(
                      onThread(
                          "produce-raw-h-avro",
                          () ->
                              produceRaw(
                                  broker,
                                  settings,
                                  avroTopic,
                                  framed,
                                  avroOrders,
                                  records,
                                  admin,
                                  true)));
              default ->
                  runs.add(
                      onThread("produce-sdk", () -> produceMesh(meshProducer, orders, records)));
            }
          }
          for (int i = 0; i < 5; i++) {
            switch ((i + round) % 5) {
              case 4 ->
                  runs.add(
                      onThread(
                          "consume-raw-h-ce",
                          () ->
                              consumeRaw(broker, headedTopic, records, "consume raw+h+ce", true)));
              case 0 ->
                  runs.add(
                      onThread(
                          "consume-raw",
                          () -> consumeRaw(broker, rawTopic, records, "consume raw")));
              case 3 ->
                  runs.add(
                      consumeMesh(compact, compactTopic, "compact-" + round, records)
                          .named("consume SDK compact"));
              case 1 ->
                  runs.add(
                      onThread(
                          "consume-raw-h",
                          () -> consumeRaw(broker, headedTopic, records, "consume raw+h")));
              default -> runs.add(consumeMesh(mesh, meshTopic, "round-" + round, records));
            }
          }
          // each round's two new consumers fetch their writer schema once
          registryCallsMeasured += registry.requestCount() - before - 2;
          System.out.printf(Locale.ROOT, "round %d done%n", round + 1);
        }
      }
    }
    runs.print(records, rounds, registryCallsMeasured);
  }

  /** The broker under test: in this JVM or in a child JVM of its own. */
  private record Broker(String bootstrapServers, Runnable stop) implements AutoCloseable {
    static Broker inline() {
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
      return new Broker(broker.bootstrapServers(), broker::close);
    }

    static Broker process() throws IOException {
      BrokerProcess broker = BrokerProcess.start(List.of("-Xms1g", "-Xmx1g"));
      return new Broker(broker.bootstrapServers(), broker::close);
    }

    @Override
    public void close() {
      stop.run();
    }
  }

  private static MeshProducer<BenchOrder> producerFor(Mesh mesh, String topic) {
    // the same product on a fresh topic per round, described in code with a topic override
    ProductContract<BenchOrder> contract =
        ProductContract.of(
            BenchOrder.class,
            io.meshsdk.contract.ProductDescriptor.builder("orders", "order-placed", "1.0")
                .owner("team-orders")
                .description("An order accepted from a customer.")
                .topic(topic)
                .build());
    return mesh.producer(contract);
  }

  /**
   * Runs one measurement on a thread of its own, named so a profile can tell the variants apart.
   */
  private static Run onThread(String name, Callable<Run> work) throws Exception {
    FutureTask<Run> task = new FutureTask<>(work);
    Thread thread = new Thread(task, name);
    thread.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * The line items of every order: three by default (the design's order, 88 bytes of value); {@code
   * -Ditems=N} for larger records, to see how the fixed cost of the headers weighs.
   */
  private static List<BenchOrder.Item> items() {
    int n = Integer.getInteger("items", 3);
    BigDecimal[] prices = {new BigDecimal("19.99"), new BigDecimal("5.00"), new BigDecimal("0.10")};
    List<BenchOrder.Item> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(new BenchOrder.Item("sku-" + (i + 1), 1 + i % 3, prices[i % 3]));
    }
    return List.copyOf(items);
  }

  private static List<BenchOrder> orders() {
    List<BenchOrder> orders = new ArrayList<>();
    for (int i = 0; i < DISTINCT; i++) {
      orders.add(
          new BenchOrder(
              "o-" + i,
              "customer" + i + "@example.com",
              1000L + i,
              "EUR",
              1.25 + i,
              Instant.parse("2026-11-25T10:15:30.123Z").plusSeconds(i),
              items(),
              BenchOrder.Shipping.EXPRESS,
              null));
    }
    return orders;
  }

  private static List<byte[]> preEncode(List<BenchOrder> orders) throws IOException {
    SpecificDatumWriter<AvroOrder> writer = new SpecificDatumWriter<>(AvroOrder.class);
    List<byte[]> framed = new ArrayList<>();
    for (BenchOrder o : orders) {
      AvroOrder a = BenchOrder.toAvro(o);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(new byte[WireFormat.HEADER_SIZE]);
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writer.write(a, encoder);
      encoder.flush();
      byte[] bytes = out.toByteArray();
      WireFormat.writeHeader(1, bytes, 0);
      framed.add(bytes);
    }
    return framed;
  }

  private static Run produceRaw(
      Broker broker,
      Map<String, Object> settings,
      String topic,
      List<byte[]> framed,
      @Nullable List<AvroOrder> encodeEach,
      int n,
      Admin admin,
      boolean withHeaders)
      throws Exception {
    if (topic.startsWith("warmup")) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Map<String, Object> config = new HashMap<>(settings);
    config.put("bootstrap.servers", broker.bootstrapServers());
    config.put("enable.idempotence", true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.partitionsFor(topic);
      long allocated = THREADS.getCurrentThreadAllocatedBytes();
      long cpu = THREADS.getCurrentThreadCpuTime();
      long bytes = 0;
      long start = System.nanoTime();
      // raw+h+avro: encoding each record as a raw application does (writer, encoder and buffer
      // reused)
      SpecificDatumWriter<AvroOrder> writer = new SpecificDatumWriter<>(AvroOrder.class);
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      BinaryEncoder encoder = null;
      byte[] frame = new byte[WireFormat.HEADER_SIZE];
      WireFormat.writeHeader(1, frame, 0);
      for (int i = 0; i < n; i++) {
        byte[] value;
        if (encodeEach == null) {
          value = framed.get(i % DISTINCT);
        } else {
          out.reset();
          out.write(frame);
          encoder = EncoderFactory.get().binaryEncoder(out, encoder);
          writer.write(encodeEach.get(i % DISTINCT), encoder);
          encoder.flush();
          value = out.toByteArray();
        }
        byte[] key = ("o-" + (i % DISTINCT)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes += value.length;
        long now = System.currentTimeMillis();
        Iterable<org.apache.kafka.common.header.Header> headers = null;
        if (withHeaders) {
          // as the SDK does: ProducerRecord copies a RecordHeaders with one array copy
          org.apache.kafka.common.header.Header[] all =
              Arrays.copyOf(STATIC_HEADERS, STATIC_HEADERS.length + 2);
          all[STATIC_HEADERS.length] =
              new org.apache.kafka.common.header.internals.RecordHeader(
                  "ce_id", io.meshsdk.lineage.internal.EventIds.nextBytes());
          all[STATIC_HEADERS.length + 1] =
              new org.apache.kafka.common.header.internals.RecordHeader(
                  "ce_time", io.meshsdk.lineage.internal.Rfc3339.format(Instant.ofEpochMilli(now)));
          headers = new org.apache.kafka.common.header.internals.RecordHeaders(all);
        }
        producer.send(new ProducerRecord<>(topic, null, now, key, value, headers));
      }
      producer.flush();
      long nanos = System.nanoTime() - start;
      if (withHeaders && encodeEach == null) {
        // compressed / uncompressed batch size, records with the SDK's headers: what the codec
        // saves
        producer.metrics().entrySet().stream()
            .filter(
                e ->
                    e.getKey().name().equals("compression-rate-avg")
                        && e.getKey().group().equals("producer-metrics"))
            .findFirst()
            .ifPresent(
                e ->
                    System.out.printf(
                        Locale.ROOT,
                        "  batch compression rate (%s): %.3f%n",
                        settings.get("compression.type"),
                        ((Number) e.getValue().metricValue()).doubleValue()));
      }
      return new Run(
          encodeEach != null ? "produce raw+h+avro" : withHeaders ? "produce raw+h" : "produce raw",
          n,
          nanos,
          bytes,
          THREADS.getCurrentThreadAllocatedBytes() - allocated,
          THREADS.getCurrentThreadCpuTime() - cpu);
    }
  }

  private static Run produceMesh(
      MeshProducer<BenchOrder> producer, List<BenchOrder> orders, int n) {
    long allocated = THREADS.getCurrentThreadAllocatedBytes();
    long cpu = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      producer.send(orders.get(i % DISTINCT));
    }
    producer.flush();
    long nanos = System.nanoTime() - start;
    return new Run(
        "produce SDK",
        n,
        nanos,
        bytesOf(n),
        THREADS.getCurrentThreadAllocatedBytes() - allocated,
        THREADS.getCurrentThreadCpuTime() - cpu);
  }

  private static Run consumeRaw(Broker broker, String topic, int n, String what)
      throws IOException {
    return consumeRaw(broker, topic, n, what, false);
  }

  /**
   * A raw consumer decoding with Avro; with {@code readEvent}, also reading the CloudEvents
   * attributes the SDK hands its handlers (id, type, time) the way a raw application would: one
   * pass over the headers, {@code Instant.parse} for the time.
   */
  private static Run consumeRaw(Broker broker, String topic, int n, String what, boolean readEvent)
      throws IOException {
    SpecificDatumReader<AvroOrder> reader = new SpecificDatumReader<>(AvroOrder.class);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "group.id",
                "raw-" + topic + "-" + what,
                "auto.offset.reset",
                "earliest",
                "enable.auto.commit",
                false,
                // the SDK consumer's default, so both read the same way
                "isolation.level",
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      BinaryDecoder decoder = null;
      long count = 0;
      long bytes = 0;
      long checksum = 0;
      long allocated = 0;
      long cpu = 0;
      long start = 0;
      while (count < n) {
        var records = consumer.poll(Duration.ofMillis(100));
        if (count == 0 && !records.isEmpty()) {
          // timed from the first record: group join and set-up are not throughput
          start = System.nanoTime();
          allocated = THREADS.getCurrentThreadAllocatedBytes();
          cpu = THREADS.getCurrentThreadCpuTime();
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          decoder =
              DecoderFactory.get()
                  .binaryDecoder(
                      r.value(),
                      WireFormat.HEADER_SIZE,
                      r.value().length - WireFormat.HEADER_SIZE,
                      decoder);
          AvroOrder order = reader.read(null, decoder);
          checksum += order.getAmountCents();
          if (readEvent) {
            checksum += readCloudEvent(r);
          }
          bytes += r.value().length;
          count++;
        }
        if (!records.isEmpty()) {
          consumer.commitAsync();
        }
      }
      consumer.commitSync();
      long nanos = System.nanoTime() - start;
      if (checksum == 42) {
        System.out.print("");
      }
      return new Run(
          what,
          count,
          nanos,
          bytes,
          THREADS.getCurrentThreadAllocatedBytes() - allocated,
          THREADS.getCurrentThreadCpuTime() - cpu);
    }
  }

  private static long readCloudEvent(ConsumerRecord<byte[], byte[]> r) {
    String id = "";
    String type = "";
    Instant time = Instant.EPOCH;
    for (org.apache.kafka.common.header.Header h : r.headers()) {
      switch (h.key()) {
        case "ce_id" -> id = new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
        case "ce_type" -> type = new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
        case "ce_time" ->
            time = Instant.parse(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
        default -> {}
      }
    }
    return id.length() + type.length() + time.getNano();
  }

  @SuppressWarnings("try") // the consumer runs on its own thread; closing it is the point
  private static Run consumeMesh(Mesh mesh, String topic, String group, int n)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong count = new AtomicLong();
    AtomicLong checksum = new AtomicLong();
    long[] pollThread = new long[1];
    long[] allocatedAtStart = new long[1];
    long[] cpuAtStart = new long[1];
    long[] start = new long[1];
    try (MeshConsumer<BenchOrder> consumer =
        mesh.consumer(BenchOrder.class)
            .group(group)
            .topic(topic)
            .startFrom(StartPosition.earliest())
            .handle(
                e -> {
                  long c = count.incrementAndGet();
                  if (c == 1) {
                    start[0] = System.nanoTime();
                    pollThread[0] = Thread.currentThread().getId();
                    allocatedAtStart[0] = THREADS.getThreadAllocatedBytes(pollThread[0]);
                    cpuAtStart[0] = THREADS.getCurrentThreadCpuTime();
                  }
                  checksum.addAndGet(e.value().amountCents());
                  if (c == n) {
                    done.countDown();
                  }
                })
            .start()) {
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("SDK consumer did not finish: " + count.get() + " of " + n);
      }
      long nanos = System.nanoTime() - start[0];
      long allocated = THREADS.getThreadAllocatedBytes(pollThread[0]) - allocatedAtStart[0];
      long cpu = THREADS.getThreadCpuTime(pollThread[0]) - cpuAtStart[0];
      return new Run("consume SDK", n, nanos, bytesOf(n), allocated, cpu);
    }
  }

  /** Value bytes of n records: the SDK writes the same Avro layout as the generated class. */
  private static long bytesOf(long n) {
    return n * frameBytes / DISTINCT;
  }
}
