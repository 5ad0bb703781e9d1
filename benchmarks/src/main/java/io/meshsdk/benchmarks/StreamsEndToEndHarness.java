package io.meshsdk.benchmarks;

import io.meshsdk.Mesh;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.streams.MeshStreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Kafka Streams on a real broker: one application reads {@code n} orders that a {@code
 * MeshProducer} would have written (Confluent framing, Mesh's headers) and writes each, with the
 * product's headers and its parent, to an output topic; timed from the application's {@code
 * RUNNING} state until the output holds all {@code n}. Variants, in alternating order per round, a
 * fresh application and output topic each time:
 *
 * <ul>
 *   <li>{@code mesh}: {@code MeshStreams} — the product serde (schema resolution, contract checked
 *       on write), {@code lineage()} with the consumer meters, {@code MeshStreamsSerde} writing the
 *       headers, the producer interceptor timing {@code mesh.produce}, into a {@code
 *       SimpleMeterRegistry};
 *   <li>{@code avro}: the same topology a team writes without Mesh — plain Avro serdes (generated
 *       class, {@code SpecificDatumReader}/{@code Writer}, the framing with a fixed id) and a
 *       processor writing the same headers by hand (the one of {@link StreamsTopologyBenchmark});
 *   <li>{@code bytes}: the ceiling — bytes passed through, no decoding, no headers written.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.meshsdk.benchmarks.StreamsEndToEndHarness [n] [rounds]} (defaults 200000 and 5, after {@code
 * -Dwarmup=1} round not counted: the first runs pay for the JIT); {@code -Dpartitions=N} (default
 * 2), {@code -Dbroker=inline} for a broker in this JVM (default: its own JVM).
 */
public final class StreamsEndToEndHarness {
  private static final List<String> VARIANTS = List.of("mesh", "avro", "bytes");

  private StreamsEndToEndHarness() {}

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
        "StreamsEndToEndHarness: %d records, %d rounds after %d of warm-up, %d partitions, broker"
            + " %s, java %s, %d cores%n",
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
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Map<String, List<Double>> results = new LinkedHashMap<>();
    VARIANTS.forEach(v -> results.put(v, new ArrayList<>()));
    try (broker;
        Mesh mesh =
            Mesh.builder()
                .application("bench")
                .bootstrapServers(bootstrap)
                .schemaRegistry(registry)
                .meterRegistry(meters)
                .build();
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      ProductContract<BenchOrder> contract = ProductContract.of(BenchOrder.class);
      String input = contract.topic();
      admin.createTopics(List.of(new NewTopic(input, partitions, (short) 1))).all().get();
      fill(
          bootstrap,
          input,
          n,
          MeshSerde.of(contract, registry).serializer().serialize(input, BenchOrder.sample()));
      System.out.printf(Locale.ROOT, "input: %d orders on %s%n", n, input);
      for (int round = -warmup; round < rounds; round++) {
        List<String> order = new ArrayList<>(VARIANTS);
        java.util.Collections.rotate(order, Math.max(round, 0));
        for (String variant : order) {
          String app = variant + "-" + round + "-" + UUID.randomUUID().toString().substring(0, 6);
          String output = "out." + app;
          admin.createTopics(List.of(new NewTopic(output, partitions, (short) 1))).all().get();
          double perSecond = run(mesh, admin, bootstrap, variant, app, input, output, n);
          if (round >= 0) {
            results.get(variant).add(perSecond);
          }
          System.out.printf(
              Locale.ROOT,
              "%s %-5s %,12.0f records/s%n",
              round < 0 ? "warm-up " : "round " + (round + 1),
              variant,
              perSecond);
        }
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-6s %14s %14s%n", "", "median rec/s", "vs avro");
    double avro = Harnesses.median(results.get("avro"));
    for (String v : VARIANTS) {
      double m = Harnesses.median(results.get(v));
      System.out.printf(Locale.ROOT, "%-6s %,14.0f %13.2fx%n", v, m, m / avro);
    }
  }

  private static void fill(String bootstrap, String topic, int n, byte[] value) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 262_144),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        producer.send(
            new ProducerRecord<>(
                topic, null, utf8("o-" + i), value, StreamsTopologyBenchmark.meshHeaders()));
      }
      producer.flush();
    }
  }

  private static double run(
      Mesh mesh,
      Admin admin,
      String bootstrap,
      String variant,
      String app,
      String input,
      String output,
      int n)
      throws Exception {
    Path state = Files.createTempDirectory("streams-bench");
    MeshStreams streams = null;
    Properties props;
    Topology topology;
    StreamsBuilder builder = new StreamsBuilder();
    switch (variant) {
      case "mesh" -> {
        streams = MeshStreams.of(mesh, app);
        props = streams.properties();
        streams.stream(builder, BenchOrder.class).to(output, streams.produced(BenchOrder.class));
        topology = streams.build(builder);
      }
      case "avro" -> {
        props = new Properties();
        StreamsTopologyBenchmark.AvroSerde serde = new StreamsTopologyBenchmark.AvroSerde();
        builder.stream(input, Consumed.with(Serdes.String(), serde))
            .processValues(() -> new StreamsTopologyBenchmark.HeaderWriter<String, AvroOrder>())
            .to(output, Produced.with(Serdes.String(), serde));
        topology = builder.build();
      }
      default -> {
        props = new Properties();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
            .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        topology = builder.build();
      }
    }
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.producerPrefix("linger.ms"), 5);
    CountDownLatch running = new CountDownLatch(1);
    long[] started = new long[1];
    try (KafkaStreams application = new KafkaStreams(topology, props)) {
      application.setStateListener(
          (now, before) -> {
            if (now == KafkaStreams.State.RUNNING && running.getCount() > 0) {
              started[0] = System.nanoTime();
              running.countDown();
            }
          });
      application.start();
      if (!running.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(variant + " did not reach RUNNING");
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      long written;
      do {
        Thread.sleep(20); // a measurement's poll interval, not a synchronisation
        written = Harnesses.endOffsets(admin, output);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(variant + " wrote " + written + " of " + n);
        }
      } while (written < n);
      long elapsed = System.nanoTime() - started[0];
      if (written != n) {
        throw new IllegalStateException(variant + " wrote " + written + ", not " + n);
      }
      application.close(Duration.ofSeconds(30));
      return n / (elapsed / 1e9);
    } finally {
      if (streams != null) {
        streams.close();
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
