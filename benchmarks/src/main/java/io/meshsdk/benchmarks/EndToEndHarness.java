package io.meshsdk.benchmarks;

import io.meshsdk.Mesh;
import io.meshsdk.benchmarks.EndToEndReport.Meter;
import io.meshsdk.benchmarks.EndToEndReport.Run;
import io.meshsdk.benchmarks.avro.AvroLineItem;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.benchmarks.avro.AvroShipping;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * With the stack comparison on (the default; {@code -Dstack=false} leaves it out), also the stack a
 * team assembles without the SDK ({@link AssembledStack}) in its best documented and its default
 * set-up, and then the SDK and the stack share a real registry ({@link RegistryProcess}); without
 * it the SDK uses an in-memory one.
 *
 * <p>Runs are interleaved (the order rotates every round), each on a fresh topic with one
 * partition; medians over the rounds are printed as Markdown tables. Every consumer checks the sum
 * of the amounts it decoded. Registry requests during each measured run are counted (the real
 * registry's own request metrics, or the in-memory registry's count); allocation is measured on the
 * thread doing the work (the caller for producing, the poll thread for consuming).
 *
 * <p>Run from the project's root: {@code java -cp benchmarks/target/benchmarks.jar
 * io.meshsdk.benchmarks.EndToEndHarness [records] [rounds]} (defaults 500000 and 3).
 */
public final class EndToEndHarness {
  private static final int DISTINCT = 1000;

  /**
   * The CloudEvents headers the SDK writes (the same names, values of the same length), the data
   * schema as the SDK's registry names it.
   */
  private static org.apache.kafka.common.header.Header[] staticHeaders(String dataSchema) {
    return new org.apache.kafka.common.header.Header[] {
      header("ce_specversion", "1.0"),
      header("ce_source", "/mesh/harness"),
      header("ce_type", "orders.order-placed.v1"),
      header("ce_dataschema", dataSchema),
      header("content-type", "application/avro"),
      header("ce_meshversion", "1.0")
    };
  }

  private static org.apache.kafka.common.header.Header[] staticHeaders = staticHeaders("");

  private static org.apache.kafka.common.header.Header header(String key, String value) {
    return new org.apache.kafka.common.header.internals.RecordHeader(
        key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static long frameBytes;
  private static List<BenchOrder> orders = List.of();

  private EndToEndHarness() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            ClassSecurityValidator.builder()
                .add(AvroOrder.class)
                .add(AvroLineItem.class)
                .add(AvroShipping.class)
                .build()));

    orders = orders();
    List<byte[]> framed = preEncode(orders);
    List<AvroOrder> avroOrders = orders.stream().map(BenchOrder::toAvro).toList();
    for (byte[] f : framed) {
      frameBytes += f.length;
    }
    System.out.printf(
        Locale.ROOT, "value bytes per record (framed): %.1f%n", (double) frameBytes / DISTINCT);
    EndToEndReport runs = new EndToEndReport();
    boolean inline = "inline".equals(System.getProperty("broker"));
    boolean withStack = !"false".equals(System.getProperty("stack"));
    System.out.printf(Locale.ROOT, "line items per order: %d%n", Integer.getInteger("items", 3));
    System.out.printf(
        Locale.ROOT,
        "broker: %s%n",
        inline ? "in this JVM (-Dbroker=inline)" : "in its own JVM (default; -Dbroker=inline)");
    try (Broker broker = inline ? Broker.inline() : Broker.process();
        Registry registry = withStack ? Registry.apicurio() : Registry.inMemory()) {
      System.out.printf(Locale.ROOT, "registry: %s%n", registry.description());
      staticHeaders = staticHeaders(registry.sdk().schemaUrl(1).orElse("urn:mesh:schema:1"));
      // -Dcompression=none|gzip|lz4|zstd, for every variant alike (default lz4, as in RESULTS.md)
      String codec = System.getProperty("compression", "lz4");
      System.out.printf(Locale.ROOT, "compression: %s%n", codec);
      Map<String, Object> settings =
          Map.of("acks", "all", "linger.ms", 5, "batch.size", 65536, "compression.type", codec);
      AssembledStack stack =
          registry.server() == null
              ? null
              : new AssembledStack(registry.server(), broker.bootstrapServers(), settings);
      try (Mesh mesh =
              Mesh.builder()
                  .application("harness")
                  .bootstrapServers(broker.bootstrapServers())
                  .schemaRegistry(registry.sdk())
                  .kafkaProperty("linger.ms", 5)
                  .kafkaProperty("batch.size", 65536)
                  .kafkaProperty("compression.type", codec)
                  .build();
          Mesh compact =
              Mesh.builder()
                  .application("harness-compact")
                  .bootstrapServers(broker.bootstrapServers())
                  .schemaRegistry(registry.sdk())
                  .headerProfile(io.meshsdk.runtime.HeaderProfile.COMPACT)
                  .kafkaProperty("linger.ms", 5)
                  .kafkaProperty("batch.size", 65536)
                  .kafkaProperty("compression.type", codec)
                  .build();
          Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        ProductContract<BenchOrder> contract = ProductContract.of(BenchOrder.class);
        // warm-up: every path once on a small run, which also registers the schema
        int warm = 20_000;
        produceRaw(broker, settings, "warmup-raw", framed, null, warm, admin, true);
        produceRaw(broker, settings, "warmup-raw-avro", framed, avroOrders, warm, admin, true);
        MeshProducer<BenchOrder> producer = mesh.producer(BenchOrder.class);
        produceMesh(producer, orders, warm);
        consumeRaw(broker, "warmup-raw", warm, "warmup");
        consumeRaw(broker, "warmup-raw", warm, "warmup-ce", true);
        consumeMesh(mesh, contract.topic(), "warmup", warm);
        produceMesh(compact.producer(BenchOrder.class), orders, warm);
        consumeMesh(compact, contract.topic(), "warmup-compact", warm);
        if (stack != null) {
          for (AssembledStack.Setup setup : AssembledStack.Setup.values()) {
            String topic = "warmup-stack-" + setup.label;
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            stack.prepare(setup, topic);
            stack.produce(setup, topic, avroOrders, warm);
            stack.consume(setup, topic, warm, expectedAmounts(warm), true);
            // the stack writes what the SDK reads, and reads what the SDK writes
            consumeMesh(mesh, topic, "warmup-reads-stack-" + setup.label, warm);
            stack.consume(setup, contract.topic(), warm, expectedAmounts(warm), false);
          }
          System.out.println("warm-up: the SDK reads the stack's records and the stack the SDK's");
        }

        for (int round = 0; round < rounds; round++) {
          String rawTopic = "raw-" + round;
          String headedTopic = "raw-headers-" + round;
          String meshTopic = "mesh-" + round;
          String compactTopic = "mesh-compact-" + round;
          String avroTopic = "raw-avro-" + round;
          List<String> topics =
              new ArrayList<>(List.of(rawTopic, headedTopic, meshTopic, compactTopic, avroTopic));
          if (stack != null) {
            for (AssembledStack.Setup setup : AssembledStack.Setup.values()) {
              topics.add(stackTopic(setup, round));
            }
          }
          admin
              .createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
              .all()
              .get();
          MeshProducer<BenchOrder> meshProducer = producerFor(mesh, meshTopic);
          MeshProducer<BenchOrder> compactProducer = producerFor(compact, compactTopic);
          List<Variant> producing =
              new ArrayList<>(
                  List.of(
                      new Variant(
                          "produce-raw",
                          () ->
                              produceRaw(
                                  broker, settings, rawTopic, framed, null, records, admin, false)),
                      new Variant(
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
                                  true)),
                      new Variant("produce-sdk", () -> produceMesh(meshProducer, orders, records)),
                      new Variant(
                          "produce-sdk-compact",
                          () ->
                              produceMesh(compactProducer, orders, records)
                                  .named("produce SDK compact")),
                      new Variant(
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
                                  true))));
          List<Variant> consuming =
              new ArrayList<>(
                  List.of(
                      new Variant(
                          "consume-raw",
                          () -> consumeRaw(broker, rawTopic, records, "consume raw")),
                      new Variant(
                          "consume-raw-h",
                          () -> consumeRaw(broker, headedTopic, records, "consume raw+h")),
                      new Variant(
                          "consume-sdk",
                          () -> consumeMesh(mesh, meshTopic, "round-" + meshTopic, records)),
                      new Variant(
                          "consume-sdk-compact",
                          () ->
                              consumeMesh(compact, compactTopic, "compact-" + compactTopic, records)
                                  .named("consume SDK compact")),
                      new Variant(
                          "consume-raw-h-ce",
                          () ->
                              consumeRaw(broker, headedTopic, records, "consume raw+h+ce", true))));
          if (stack != null) {
            for (AssembledStack.Setup setup : AssembledStack.Setup.values()) {
              String topic = stackTopic(setup, round);
              stack.prepare(setup, topic);
              producing.add(
                  new Variant(
                      "produce-stack-" + setup.label,
                      () -> stack.produce(setup, topic, avroOrders, records)));
              consuming.add(
                  new Variant(
                      "consume-stack-" + setup.label,
                      () -> stack.consume(setup, topic, records, expectedAmounts(records), true)));
            }
          }
          // rotate which variant goes first, so none always runs on a warmer or colder broker
          for (List<Variant> variants : List.of(producing, consuming)) {
            for (int i = 0; i < variants.size(); i++) {
              Variant variant = variants.get((i + round) % variants.size());
              long before = registry.requests();
              Run run = onThread(variant.thread(), variant.work());
              runs.add(run, registry.requests() - before);
            }
          }
          System.out.printf(Locale.ROOT, "round %d done%n", round + 1);
        }
      }
      runs.print(records, rounds, registry.description());
    }
  }

  private static String stackTopic(AssembledStack.Setup setup, int round) {
    return "stack-" + setup.label + "-" + round;
  }

  /** One measured variant: the name of the thread it runs on, and its work. */
  private record Variant(String thread, Callable<Run> work) {}

  /**
   * The registry the SDK uses: Apicurio in a child JVM, shared with the stack, or an in-memory one.
   */
  private record Registry(
      SchemaRegistry sdk, @Nullable RegistryProcess server, Callable<Long> requestCount)
      implements AutoCloseable {
    static Registry inMemory() {
      InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
      return new Registry(registry, null, registry::requestCount);
    }

    static Registry apicurio() throws IOException, InterruptedException {
      RegistryProcess process = RegistryProcess.start();
      return new Registry(
          RestSchemaRegistry.builder(process.confluentUrl()).build(), process, process::requests);
    }

    String description() {
      return server == null
          ? "in memory (-Dstack=false)"
          : "Apicurio Registry 2.4.2 in its own JVM, shared by the SDK and the stack";
    }

    long requests() throws Exception {
      return requestCount.call();
    }

    @Override
    public void close() {
      sdk.close();
      if (server != null) {
        server.close();
      }
    }
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
      Meter meter = Meter.start();
      long bytes = 0;
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
              Arrays.copyOf(staticHeaders, staticHeaders.length + 2);
          all[staticHeaders.length] =
              new org.apache.kafka.common.header.internals.RecordHeader(
                  "ce_id", io.meshsdk.lineage.internal.EventIds.nextBytes());
          all[staticHeaders.length + 1] =
              new org.apache.kafka.common.header.internals.RecordHeader(
                  "ce_time", io.meshsdk.lineage.internal.Rfc3339.format(Instant.ofEpochMilli(now)));
          headers = new org.apache.kafka.common.header.internals.RecordHeaders(all);
        }
        producer.send(new ProducerRecord<>(topic, null, now, key, value, headers));
      }
      producer.flush();
      Run run =
          meter.stop(
              encodeEach != null
                  ? "produce raw+h+avro"
                  : withHeaders ? "produce raw+h" : "produce raw",
              n,
              bytes);
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
      return run;
    }
  }

  private static Run produceMesh(
      MeshProducer<BenchOrder> producer, List<BenchOrder> orders, int n) {
    Meter meter = Meter.start();
    for (int i = 0; i < n; i++) {
      producer.send(orders.get(i % DISTINCT));
    }
    producer.flush();
    return meter.stop("produce SDK", n, bytesOf(n));
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
    BinaryDecoder[] decoder = new BinaryDecoder[1];
    long[] attributes = new long[1];
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerConfig(broker.bootstrapServers(), "raw-" + topic + "-" + what),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      return consume(
          consumer,
          topic,
          n,
          what,
          expectedAmounts(n),
          r -> {
            decoder[0] =
                DecoderFactory.get()
                    .binaryDecoder(
                        r.value(),
                        WireFormat.HEADER_SIZE,
                        r.value().length - WireFormat.HEADER_SIZE,
                        decoder[0]);
            if (readEvent) {
              attributes[0] += readCloudEvent(r);
            }
            try {
              return reader.read(null, decoder[0]).getAmountCents();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  /**
   * The settings of every plain consumer: a group of its own, from the start, manual commits, and
   * {@code read_committed} (the SDK consumer's default, so all read the same way).
   */
  static Map<String, Object> consumerConfig(String bootstrapServers, String group) {
    return Map.of(
        "bootstrap.servers",
        bootstrapServers,
        "group.id",
        group,
        "auto.offset.reset",
        "earliest",
        "enable.auto.commit",
        false,
        "isolation.level",
        "read_committed");
  }

  /**
   * Polls n records, committing asynchronously after each poll and synchronously at the end, timed
   * from the first record (group join and set-up are not throughput); fails unless the amounts the
   * records decode to add up to the expected sum.
   *
   * @param amount decodes one record and returns its amount in cents
   */
  static <K, V> Run consume(
      Consumer<K, V> consumer,
      String topic,
      int n,
      String what,
      long expectedAmounts,
      ToLongFunction<ConsumerRecord<K, V>> amount) {
    consumer.subscribe(List.of(topic));
    long count = 0;
    long bytes = 0;
    long checksum = 0;
    Meter meter = null;
    while (count < n) {
      ConsumerRecords<K, V> records = consumer.poll(Duration.ofMillis(100));
      if (meter == null && !records.isEmpty()) {
        meter = Meter.start();
      }
      for (ConsumerRecord<K, V> r : records) {
        if (count == n) {
          break; // a warm-up topic may hold more than this consumer is to read
        }
        checksum += amount.applyAsLong(r);
        bytes += r.serializedValueSize();
        count++;
      }
      if (!records.isEmpty()) {
        consumer.commitAsync();
      }
    }
    consumer.commitSync();
    Run run = meter.stop(what, count, bytes);
    check(what, topic, checksum, expectedAmounts);
    return run;
  }

  /** The sum of the amounts of the first n orders sent. */
  static long expectedAmounts(long n) {
    long sum = 0;
    for (long i = 0; i < n; i++) {
      sum += orders.get((int) (i % DISTINCT)).amountCents();
    }
    return sum;
  }

  private static void check(String what, String topic, long checksum, long expected) {
    if (checksum != expected) {
      throw new IllegalStateException(
          what + " on " + topic + " decoded amounts adding to " + checksum + ", not " + expected);
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
    AtomicReference<Meter> meter = new AtomicReference<>();
    try (MeshConsumer<BenchOrder> consumer =
        mesh.consumer(BenchOrder.class)
            .group(group)
            .topic(topic)
            .startFrom(StartPosition.earliest())
            .handle(
                e -> {
                  long c = count.incrementAndGet();
                  if (c == 1) {
                    meter.set(Meter.start());
                  }
                  if (c <= n) {
                    checksum.addAndGet(e.value().amountCents());
                  }
                  if (c == n) {
                    done.countDown();
                  }
                })
            .start()) {
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("SDK consumer did not finish: " + count.get() + " of " + n);
      }
      Run run = meter.get().stop("consume SDK", n, bytesOf(n));
      check("consume SDK", topic, checksum.get(), expectedAmounts(n));
      return run;
    }
  }

  /** Value bytes of n records: the SDK writes the same Avro layout as the generated class. */
  private static long bytesOf(long n) {
    return n * frameBytes / DISTINCT;
  }
}
