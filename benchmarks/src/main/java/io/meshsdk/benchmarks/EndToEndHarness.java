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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
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
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
 * <p>Runs are interleaved (the order rotates every round), each on a fresh topic; medians over the
 * rounds are printed as Markdown tables. Every consumer checks the sum of the amounts it decoded
 * and how many records it read. Registry requests during each measured run are counted (the real
 * registry's own request metrics, or the in-memory registry's count); allocation and CPU are
 * measured on the threads doing the work (the caller for producing, the poll threads for consuming,
 * summed over them).
 *
 * <p>Options: {@code -Dpartitions=P} (default 1) gives every measured topic P partitions and every
 * consumer group P consumers: P {@code KafkaConsumer} threads for the raw variants, {@code
 * MeshConsumer.Builder.concurrency(P)} for the SDK (the stack keeps one consumer); producing stays
 * on one thread, the keys spreading the records over the partitions; with P above 1, an unrecorded
 * round of the selected variants on P partitions comes first. {@code -Dvariants=raw+h,SDK} runs
 * only the named variants (see {@link Selection}), and the registry process only when a stack
 * variant is among them. {@code -Ditems=N} line items per order, {@code -Dcompression}, {@code
 * -Dstack=false}, {@code -Dbroker=inline}. The header and the tables print the configuration. With
 * P above 1 the broker delays a new group's first assignment ({@code
 * group.initial.rebalance.delay.ms}, 3 s) so that all P consumers start with their partitions and
 * no rebalance falls inside the measured time.
 *
 * <p>Run from the project's root: {@code java -cp benchmarks/target/benchmarks.jar
 * io.meshsdk.benchmarks.EndToEndHarness [records] [rounds]} (defaults 500000 and 3).
 */
public final class EndToEndHarness {
  private static final int DISTINCT = 1000;

  /** How long a new group of several consumers waits for its members, in milliseconds. */
  private static final int GROUP_FORMATION_MS = 3000;

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
    double valueBytes = (double) frameBytes / DISTINCT;
    System.out.printf(Locale.ROOT, "value bytes per record (framed): %.1f%n", valueBytes);
    EndToEndReport runs = new EndToEndReport();
    boolean inline = "inline".equals(System.getProperty("broker"));
    // -Dvariants=raw+h,SDK measures only those (see Selection); the stack and its registry
    // process run only when a stack variant is selected
    boolean stackAllowed = !"false".equals(System.getProperty("stack"));
    Selection selection =
        Selection.parse(System.getProperty("variants", ""), runNames(stackAllowed));
    boolean withStack =
        stackAllowed
            && selection.any(runNames(true).stream().filter(EndToEndHarness::isStack).toList());
    // -Dpartitions=P: every measured topic has P partitions, every consumer group P consumers
    int partitions = Integer.getInteger("partitions", 1);
    if (partitions < 1) {
      throw new IllegalArgumentException("-Dpartitions must be at least 1, got " + partitions);
    }
    int items = Integer.getInteger("items", 3);
    // -Dcompression=none|gzip|lz4|zstd, for every variant alike (default lz4, as in RESULTS.md)
    String codec = System.getProperty("compression", "lz4");
    String configuration =
        String.format(
            Locale.ROOT,
            "records=%d rounds=%d partitions=%d consumers=%d items=%d value-bytes=%.1f"
                + " compression=%s variants=%s stack=%s broker=%s",
            records,
            rounds,
            partitions,
            partitions,
            items,
            valueBytes,
            codec,
            selection,
            withStack,
            inline ? "inline" : "process");
    System.out.printf(Locale.ROOT, "line items per order: %d%n", items);
    System.out.printf(
        Locale.ROOT,
        "partitions per topic: %d; consumers per group: %d (raw: %d KafkaConsumer threads, SDK:"
            + " concurrency(%d); the stack: one consumer)%n",
        partitions,
        partitions,
        partitions,
        partitions);
    System.out.printf(Locale.ROOT, "variants: %s%n", selection);
    System.out.printf(
        Locale.ROOT,
        "broker: %s%n",
        inline ? "in this JVM (-Dbroker=inline)" : "in its own JVM (default; -Dbroker=inline)");
    System.out.printf(Locale.ROOT, "configuration: %s%n", configuration);
    // With several consumers, a new group waits for its members before its first assignment, so
    // the consumers start together instead of the first taking every partition and the others
    // joining while the clock runs (the EmbeddedKafkaBroker's default is no delay, for tests).
    Map<String, String> brokerProperties =
        partitions > 1
            ? Map.of("group.initial.rebalance.delay.ms", String.valueOf(GROUP_FORMATION_MS))
            : Map.of();
    System.out.printf(
        Locale.ROOT,
        "group formation: %s%n",
        partitions > 1
            ? "group.initial.rebalance.delay.ms=" + GROUP_FORMATION_MS
            : "one consumer, no delay");
    try (Broker broker =
            inline ? Broker.inline(brokerProperties) : Broker.process(brokerProperties);
        Registry registry = withStack ? Registry.apicurio() : Registry.inMemory()) {
      System.out.printf(Locale.ROOT, "registry: %s%n", registry.description());
      staticHeaders = staticHeaders(registry.sdk().schemaUrl(1).orElse("urn:mesh:schema:1"));
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
        consumeRaw(broker, "warmup-raw", warm, "warmup-ce", true, 1);
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

        // with several partitions, one unrecorded round of the selected variants on topics of as
        // many partitions first: it warms the group paths and checks their counts and sums
        List<String> labels = new ArrayList<>();
        if (partitions > 1) {
          labels.add("warmup");
        }
        for (int round = 0; round < rounds; round++) {
          labels.add(String.valueOf(round));
        }
        for (int round = 0; round < labels.size(); round++) {
          String label = labels.get(round);
          boolean measured = !label.equals("warmup");
          int n = measured ? records : warm;
          String rawTopic = "raw-" + label;
          String headedTopic = "raw-headers-" + label;
          String meshTopic = "mesh-" + label;
          String compactTopic = "mesh-compact-" + label;
          String avroTopic = "raw-avro-" + label;
          List<String> topics =
              new ArrayList<>(List.of(rawTopic, headedTopic, meshTopic, compactTopic, avroTopic));
          if (stack != null) {
            for (AssembledStack.Setup setup : AssembledStack.Setup.values()) {
              topics.add(stackTopic(setup, label));
            }
          }
          admin
              .createTopics(
                  topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList())
              .all()
              .get();
          awaitLeaders(admin, topics);
          MeshProducer<BenchOrder> meshProducer = producerFor(mesh, meshTopic);
          MeshProducer<BenchOrder> compactProducer = producerFor(compact, compactTopic);
          List<Variant> producing =
              new ArrayList<>(
                  List.of(
                      new Variant(
                          "produce raw",
                          "",
                          () ->
                              produceRaw(
                                  broker, settings, rawTopic, framed, null, n, admin, false)),
                      new Variant(
                          "produce raw+h",
                          "",
                          () ->
                              produceRaw(
                                  broker, settings, headedTopic, framed, null, n, admin, true)),
                      new Variant("produce SDK", "", () -> produceMesh(meshProducer, orders, n)),
                      new Variant(
                          "produce SDK compact",
                          "",
                          () ->
                              produceMesh(compactProducer, orders, n).named("produce SDK compact")),
                      new Variant(
                          "produce raw+h+avro",
                          "",
                          () ->
                              produceRaw(
                                  broker,
                                  settings,
                                  avroTopic,
                                  framed,
                                  avroOrders,
                                  n,
                                  admin,
                                  true))));
          List<Variant> consuming =
              new ArrayList<>(
                  List.of(
                      new Variant(
                          "consume raw",
                          "produce raw",
                          () -> consumeRaw(broker, rawTopic, n, "consume raw", false, partitions)),
                      new Variant(
                          "consume raw+h",
                          "produce raw+h",
                          () ->
                              consumeRaw(
                                  broker, headedTopic, n, "consume raw+h", false, partitions)),
                      new Variant(
                          "consume SDK",
                          "produce SDK",
                          () -> consumeMesh(mesh, meshTopic, "round-" + meshTopic, n, partitions)),
                      new Variant(
                          "consume SDK compact",
                          "produce SDK compact",
                          () ->
                              consumeMesh(
                                      compact,
                                      compactTopic,
                                      "compact-" + compactTopic,
                                      n,
                                      partitions)
                                  .named("consume SDK compact")),
                      new Variant(
                          "consume raw+h+ce",
                          "produce raw+h",
                          () ->
                              consumeRaw(
                                  broker, headedTopic, n, "consume raw+h+ce", true, partitions))));
          if (stack != null) {
            for (AssembledStack.Setup setup : AssembledStack.Setup.values()) {
              String topic = stackTopic(setup, label);
              stack.prepare(setup, topic);
              producing.add(
                  new Variant(
                      "produce stack " + setup.label,
                      "",
                      () -> stack.produce(setup, topic, avroOrders, n)));
              consuming.add(
                  new Variant(
                      "consume stack " + setup.label,
                      "produce stack " + setup.label,
                      () -> stack.consume(setup, topic, n, expectedAmounts(n), true)));
            }
          }
          // only the selected variants, and the producers whose records a selected consumer reads
          consuming.removeIf(v -> !selection.test(v.name()));
          producing.removeIf(
              p ->
                  !selection.test(p.name())
                      && consuming.stream().noneMatch(c -> c.source().equals(p.name())));
          // rotate which variant goes first, so none always runs on a warmer or colder broker
          for (List<Variant> variants : List.of(producing, consuming)) {
            for (int i = 0; i < variants.size(); i++) {
              int turn = measured ? Integer.parseInt(label) : 0;
              Variant variant = variants.get((i + turn) % variants.size());
              long before = registry.requests();
              Run run = onThread(variant.thread(), variant.work());
              if (measured) {
                runs.add(run, registry.requests() - before);
              }
            }
          }
          System.out.println(
              measured
                  ? String.format(Locale.ROOT, "round %s done", Integer.parseInt(label) + 1)
                  : String.format(
                      Locale.ROOT,
                      "warm-up round on %d partitions done (%d records a variant)",
                      partitions,
                      n));
        }
      }
      runs.print(records, rounds, registry.description(), configuration);
    }
  }

  /**
   * Waits until every partition of the topics has a leader that serves it (answers a list-offsets
   * request): an idempotent producer sending to a partition whose leader is not ready yet can meet
   * {@code NOT_LEADER_OR_FOLLOWER} and then {@code OUT_OF_ORDER_SEQUENCE_NUMBER}, and retry forever
   * (seen with three partitions; the topic's metadata already named the leader).
   */
  private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all =
            new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().values().stream()
            .flatMap(
                d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
            .forEach(tp -> all.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        admin.listOffsets(all).all().get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("partitions not served after 30 s: " + topics, e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static String stackTopic(AssembledStack.Setup setup, String round) {
    return "stack-" + setup.label + "-" + round;
  }

  /**
   * One measured variant: its run's name, the producing run whose records it reads (a consumer) or
   * empty, and its work.
   */
  private record Variant(String name, String source, Callable<Run> work) {
    /** The thread it runs on, named so a profile can tell the variants apart. */
    String thread() {
      return name.toLowerCase(Locale.ROOT).replace(' ', '-').replace('+', '-');
    }
  }

  private static boolean isStack(String name) {
    return name.contains(" stack ");
  }

  /** The names of every run, the stack's included or not. */
  private static List<String> runNames(boolean withStack) {
    List<String> names = new ArrayList<>();
    for (String direction : List.of("produce", "consume")) {
      names.add(direction + " raw");
      names.add(direction + " raw+h");
      names.add(direction + (direction.equals("produce") ? " raw+h+avro" : " raw+h+ce"));
      names.add(direction + " SDK");
      names.add(direction + " SDK compact");
      if (withStack) {
        for (AssembledStack.Setup setup : AssembledStack.Setup.values()) {
          names.add(direction + " stack " + setup.label);
        }
      }
    }
    return names;
  }

  /**
   * The variants {@code -Dvariants} selects (all when empty): each comma-separated entry names a
   * run in full ({@code consume SDK}) or without its direction ({@code SDK}, both directions), case
   * ignored; an entry ending in {@code *} is a prefix of either ({@code stack*}, {@code produce*}).
   * {@code raw+h} selects only {@code raw+h}, {@code SDK} only the plain SDK.
   */
  private record Selection(List<String> entries) {
    static Selection parse(String property, List<String> names) {
      List<String> entries =
          Arrays.stream(property.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
      Selection selection = new Selection(entries);
      for (String entry : entries) {
        if (names.stream().noneMatch(name -> selection.matches(entry, name))) {
          throw new IllegalArgumentException(
              "-Dvariants: '" + entry + "' names no run; runs: " + String.join(", ", names));
        }
      }
      return selection;
    }

    boolean test(String name) {
      return entries.isEmpty() || entries.stream().anyMatch(entry -> matches(entry, name));
    }

    boolean any(List<String> names) {
      return names.stream().anyMatch(this::test);
    }

    private boolean matches(String entry, String name) {
      String e = entry.toLowerCase(Locale.ROOT);
      String full = name.toLowerCase(Locale.ROOT);
      String bare = full.substring(full.indexOf(' ') + 1);
      if (e.endsWith("*")) {
        String prefix = e.substring(0, e.length() - 1);
        return full.startsWith(prefix) || bare.startsWith(prefix);
      }
      return e.equals(full) || e.equals(bare);
    }

    @Override
    public String toString() {
      return entries.isEmpty() ? "all" : String.join(",", entries);
    }
  }

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
          ? "in memory (-Dstack=false, or no stack variant in -Dvariants)"
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
    static Broker inline(Map<String, String> properties) {
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(properties).start();
      return new Broker(broker.bootstrapServers(), broker::close);
    }

    static Broker process(Map<String, String> properties) throws IOException {
      BrokerProcess broker = BrokerProcess.start(List.of("-Xms1g", "-Xmx1g"), properties);
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

  private static Run consumeRaw(Broker broker, String topic, int n, String what) throws Exception {
    return consumeRaw(broker, topic, n, what, false, 1);
  }

  /**
   * Raw consumers decoding with Avro, {@code consumers} of them in one group, each on a thread of
   * its own when more than one; with {@code readEvent}, also reading the CloudEvents attributes the
   * SDK hands its handlers (id, type, time) the way a raw application would: one pass over the
   * headers, {@code Instant.parse} for the time.
   */
  private static Run consumeRaw(
      Broker broker, String topic, int n, String what, boolean readEvent, int consumers)
      throws Exception {
    String group = "raw-" + topic + "-" + what;
    return consume(
        consumers,
        () ->
            new KafkaConsumer<>(
                consumerConfig(broker.bootstrapServers(), group),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer()),
        topic,
        n,
        what,
        expectedAmounts(n),
        () -> rawAmount(readEvent));
  }

  /** Decodes one raw record's amount; one per consumer thread (the decoder is reused). */
  private static ToLongFunction<ConsumerRecord<byte[], byte[]>> rawAmount(boolean readEvent) {
    SpecificDatumReader<AvroOrder> reader = new SpecificDatumReader<>(AvroOrder.class);
    BinaryDecoder[] decoder = new BinaryDecoder[1];
    long[] attributes = new long[1];
    return r -> {
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
    };
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
    Group group = new Group(n, false);
    group.consume(consumer, topic, amount);
    return group.run(what, topic, expectedAmounts);
  }

  /**
   * As {@link #consume(Consumer, String, int, String, long, ToLongFunction)} with {@code consumers}
   * consumers of one group, each polling on a thread of its own (named after the calling thread)
   * until the group has taken n records; allocation and CPU are summed over the threads, the time
   * runs from the first thread's first record to the last thread's final commit. One consumer runs
   * on the calling thread.
   *
   * @param newConsumer a new consumer of the group, called once per thread
   * @param newAmount a new amount decoder, called once per thread
   */
  static <K, V> Run consume(
      int consumers,
      Supplier<Consumer<K, V>> newConsumer,
      String topic,
      int n,
      String what,
      long expectedAmounts,
      Supplier<ToLongFunction<ConsumerRecord<K, V>>> newAmount)
      throws Exception {
    if (consumers == 1) {
      try (Consumer<K, V> consumer = newConsumer.get()) {
        return consume(consumer, topic, n, what, expectedAmounts, newAmount.get());
      }
    }
    Group group = new Group(n, true);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      Thread thread =
          new Thread(
              () -> {
                try (Consumer<K, V> consumer = newConsumer.get()) {
                  group.consume(consumer, topic, newAmount.get());
                } catch (RuntimeException | Error e) {
                  group.fail(e);
                }
              },
              Thread.currentThread().getName() + "-" + i);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return group.run(what, topic, expectedAmounts);
  }

  /**
   * The consumers of one group taking n records between them. Each takes its polled batch's records
   * by adding their count to the group's, so the group reads exactly the first n it polls (on a
   * topic of exactly n, all of them, whatever the partitions); the consumer completing the n-th
   * wakes the others. With {@code rebalancing}, each commits the records it has read when the group
   * takes partitions away (a member joining), so none is read twice. Thread-safe.
   */
  private static final class Group {
    private final int n;
    private final boolean rebalancing;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final List<Consumer<?, ?>> members = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<EndToEndReport.Part> parts =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong checksum = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

    Group(int n, boolean rebalancing) {
      this.n = n;
      this.rebalancing = rebalancing;
    }

    <K, V> void consume(
        Consumer<K, V> consumer, String topic, ToLongFunction<ConsumerRecord<K, V>> amount) {
      members.add(consumer);
      if (rebalancing) {
        consumer.subscribe(
            List.of(topic),
            new ConsumerRebalanceListener() {
              @Override
              public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                consumer.commitSync();
              }

              @Override
              public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {}
            });
      } else {
        consumer.subscribe(List.of(topic));
      }
      long count = 0;
      long size = 0;
      long sum = 0;
      Meter meter = null;
      while (taken.get() < n && failure.get() == null) {
        ConsumerRecords<K, V> records;
        try {
          records = consumer.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
          break; // the group has its n records
        }
        if (records.isEmpty()) {
          continue;
        }
        if (meter == null) {
          meter = Meter.start();
        }
        // a warm-up topic may hold more than the group is to read
        long take = Math.min(records.count(), n - taken.getAndAdd(records.count()));
        long i = 0;
        for (ConsumerRecord<K, V> r : records) {
          if (i++ >= take) {
            break;
          }
          sum += amount.applyAsLong(r);
          size += r.serializedValueSize();
          count++;
        }
        consumer.commitAsync();
        if (take > 0 && done.addAndGet(take) == n && rebalancing) {
          members.forEach(Consumer::wakeup);
        }
      }
      try {
        consumer.commitSync();
      } catch (WakeupException e) {
        consumer.commitSync(); // a wake-up meant for the poll
      }
      if (meter != null) {
        parts.add(new EndToEndReport.Part(meter, meter.stop("", count, size)));
      }
      checksum.addAndGet(sum);
      bytes.addAndGet(size);
    }

    void fail(Throwable e) {
      failure.compareAndSet(null, e);
      members.forEach(Consumer::wakeup);
    }

    Run run(String what, String topic, long expectedAmounts) {
      Throwable e = failure.get();
      if (e != null) {
        throw new IllegalStateException(what + " on " + topic + " failed", e);
      }
      long records = parts.stream().mapToLong(p -> p.run().records()).sum();
      Run run = EndToEndReport.combine(what, records, bytes.get(), parts);
      check(what, topic, checksum.get(), expectedAmounts);
      if (records != n) {
        throw new IllegalStateException(what + " on " + topic + " read " + records + ", not " + n);
      }
      return run;
    }
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

  private static Run consumeMesh(Mesh mesh, String topic, String group, int n)
      throws InterruptedException {
    return consumeMesh(mesh, topic, group, n, 1);
  }

  /** What one poll thread of an SDK consumer has handled, and its meter since its first record. */
  private static final class Tally {
    final Meter meter = Meter.start();
    final AtomicLong count = new AtomicLong(); // written by its poll thread only
    long checksum; // published by the count's release store

    long count() {
      return count.getAcquire();
    }
  }

  /**
   * An SDK consumer with {@code concurrency} poll threads; each thread keeps its own tally and
   * meter from its first record (no shared counter in the handler), and this thread waits until the
   * tallies add up to n. Allocation and CPU are summed over the poll threads.
   */
  @SuppressWarnings("try") // the consumer runs on its own threads; closing it is the point
  private static Run consumeMesh(Mesh mesh, String topic, String group, int n, int concurrency)
      throws InterruptedException {
    List<Tally> tallies = new java.util.concurrent.CopyOnWriteArrayList<>();
    ThreadLocal<Tally> tally =
        ThreadLocal.withInitial(
            () -> {
              Tally t = new Tally();
              tallies.add(t);
              return t;
            });
    MeshConsumer.Builder<BenchOrder> builder =
        mesh.consumer(BenchOrder.class)
            .group(group)
            .topic(topic)
            .startFrom(StartPosition.earliest())
            .handle(
                e -> {
                  Tally t = tally.get();
                  long c = t.count.getPlain();
                  if (c < n) { // a warm-up topic may hold more than this consumer is to read
                    t.checksum += e.value().amountCents();
                    t.count.setRelease(c + 1);
                  }
                });
    if (concurrency > 1) {
      builder.concurrency(concurrency);
    }
    try (MeshConsumer<BenchOrder> consumer = builder.start()) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      long count;
      while ((count = tallies.stream().mapToLong(Tally::count).sum()) < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("SDK consumer did not finish: " + count + " of " + n);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      List<EndToEndReport.Part> parts = new ArrayList<>();
      long checksum = 0;
      for (Tally t : tallies) {
        long c = t.count();
        parts.add(new EndToEndReport.Part(t.meter, t.meter.stop("", c, bytesOf(c))));
        checksum += t.checksum;
      }
      String what = "consume SDK";
      Run run = EndToEndReport.combine(what, n, bytesOf(n), parts);
      check(what, topic, checksum, expectedAmounts(n));
      if (count != n) {
        throw new IllegalStateException(what + " on " + topic + " read " + count + ", not " + n);
      }
      return run;
    }
  }

  /** Value bytes of n records: the SDK writes the same Avro layout as the generated class. */
  private static long bytesOf(long n) {
    return n * frameBytes / DISTINCT;
  }
}
