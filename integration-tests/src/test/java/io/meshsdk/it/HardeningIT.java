package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.DeadLetterException;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.WireFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults on the real broker: hostile records, dead letters that do not fit their topic or cannot be
 * written at all, a record that always fails in exactly-once mode, PII in failure messages. Each
 * counts what was produced, handled, dead-lettered and lost.
 */
class HardeningIT {
  @DataProduct(
      domain = "hardening",
      name = "parcel-scanned",
      version = "1.0",
      owner = "team-hub",
      description = "A parcel scanned at a hub.")
  record ParcelScanned(@Key @Doc("Id") String id, @Doc("Hub") String hub) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Mesh mesh;
  private final String prefix = "h" + System.nanoTime() % 100_000 + ".";

  HardeningIT() {
    mesh = Broker.mesh("hub", registry).meterRegistry(meters).topicPrefix(prefix).build();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers",
            Broker.shared().bootstrapServers(),
            "max.request.size",
            4 * 1024 * 1024),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()));
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  // ---- hostile writer schemas -------------------------------------------------------------

  /** The reader's fields, then one writer-only field the reader skips. */
  private static Schema writerWith(String extraType) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"attacker.Scan\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"hub\",\"type\":\"string\"},"
                + "{\"name\":\"extra\",\"type\":"
                + extraType
                + "}]}");
  }

  private static final String TREE =
      "{\"type\":\"record\",\"name\":\"Tree\",\"fields\":"
          + "[{\"name\":\"kids\",\"type\":{\"type\":\"array\",\"items\":\"Tree\"}}]}";

  private static void varint(ByteArrayOutputStream out, long v) {
    long n = (v << 1) ^ (v >> 63);
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(out, b.length);
    out.writeBytes(b);
  }

  private static byte[] framed(int id, ByteArrayOutputStream body) {
    byte[] b = body.toByteArray();
    byte[] out = new byte[WireFormat.HEADER_SIZE + b.length];
    WireFormat.writeHeader(id, out, 0);
    System.arraycopy(b, 0, out, WireFormat.HEADER_SIZE, b.length);
    return out;
  }

  /** A tree 10,000 levels deep with one kid per level: about 20 KB. */
  private static byte[] deepTree(int id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    string(out, "evil-tree");
    string(out, "nowhere");
    for (int i = 1; i < 10_000; i++) {
      varint(out, 1);
    }
    for (int i = 0; i < 10_000; i++) {
      varint(out, 0);
    }
    return framed(id, out);
  }

  /** 65 KB of blocks announcing 8,000 empty elements each: about 260 million in all. */
  private static byte[] emptyElements(int id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    string(out, "evil-nulls");
    string(out, "nowhere");
    while (out.size() < 65_000) {
      varint(out, 8_000);
    }
    varint(out, 0);
    return framed(id, out);
  }

  @Test
  void hostileRecordsAreDeadLetteredAndTheGroupGoesOnWithNothingLost() throws Exception {
    MeshProducer<ParcelScanned> producer = mesh.producer(ParcelScanned.class);
    String topic = producer.topic();
    int tree = registry.register("anyone-value", writerWith(TREE)).id();
    int nulls =
        registry
            .register("anyone-else-value", writerWith("{\"type\":\"array\",\"items\":\"null\"}"))
            .id();
    for (int i = 0; i < 50; i++) {
      producer.send(new ParcelScanned("p-" + i, "hub-1")).get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      raw.send(new ProducerRecord<>(topic, "evil-tree".getBytes(), deepTree(tree))).get();
      raw.send(new ProducerRecord<>(topic, "evil-nulls".getBytes(), emptyElements(nulls))).get();
    }
    for (int i = 50; i < 100; i++) {
      producer.send(new ParcelScanned("p-" + i, "hub-1")).get(30, TimeUnit.SECONDS);
    }

    Set<String> handled = ConcurrentHashMap.newKeySet();
    MeshConsumer<ParcelScanned> consumer =
        mesh.consumer(ParcelScanned.class)
            .group("sorting")
            .handle(e -> handled.add(e.value().id()))
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 100);
    List<ConsumerRecord<byte[], byte[]>> dead =
        Broker.readAll(consumer.deadLetterTopic(), 2, false);

    assertThat(dead).hasSize(2);
    assertThat(dead)
        .allSatisfy(r -> assertThat(header(r, MeshHeaders.DLQ_REASON)).isEqualTo("limit_exceeded"));
    assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
    assertThat(consumer.failure()).isEmpty();
    // produced 102 = handled 100 + dead-lettered 2; lost 0
    assertThat(handled.size() + dead.size()).isEqualTo(102);
    System.out.printf(
        "fault run, poison pills: produced=102 handled=%d dead-lettered=%d lost=%d%n",
        handled.size(), dead.size(), 102 - handled.size() - dead.size());

    // everything was committed: a consumer that starts in the group gets only what is new
    consumer.close();
    Set<String> again = ConcurrentHashMap.newKeySet();
    mesh.consumer(ParcelScanned.class)
        .group("sorting")
        .handle(e -> again.add(e.value().id()))
        .start();
    producer.send(new ParcelScanned("p-new", "hub-1")).get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> again.contains("p-new"));
    assertThat(again).containsExactly("p-new");
  }

  // ---- a registry that refuses ------------------------------------------------------------

  /**
   * A registry that refuses the consumer's credentials (until they are rotated) is not a reason to
   * dead-letter good records: they wait like in an outage. The registry is the in-memory one behind
   * a switch that answers {@code UNAUTHORIZED}; {@code RegistryOutageIT} stops a real server.
   */
  @Test
  void recordsWaitWhileTheRegistryRefusesTheCredentials() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean refusing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    io.meshsdk.registry.SchemaRegistry guarded =
        (io.meshsdk.registry.SchemaRegistry)
            java.lang.reflect.Proxy.newProxyInstance(
                io.meshsdk.registry.SchemaRegistry.class.getClassLoader(),
                new Class<?>[] {io.meshsdk.registry.SchemaRegistry.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("schemaById") && refusing.get()) {
                    throw new io.meshsdk.registry.SchemaRegistryException(
                        io.meshsdk.registry.SchemaRegistryException.Kind.UNAUTHORIZED,
                        "GET /schemas/ids/" + args[0] + " answered 401");
                  }
                  try {
                    return method.invoke(registry, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    try (Mesh refused =
        Broker.mesh("vault", new InMemorySchemaRegistry())
            .schemaRegistry(guarded)
            .meterRegistry(meters)
            .topicPrefix(prefix)
            .build()) {
      MeshProducer<ParcelScanned> producer = refused.producer(ParcelScanned.class);
      for (int i = 0; i < 5; i++) {
        producer.send(new ParcelScanned("p-" + i, "hub-9")).get(30, TimeUnit.SECONDS);
      }
      List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
      MeshConsumer<ParcelScanned> consumer =
          refused
              .consumer(ParcelScanned.class)
              .group("vault")
              .handle(e -> handled.add(e.value().id()))
              .start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> consumer.state() == MeshConsumer.State.WAITING_FOR_REGISTRY);
      assertThat(handled).isEmpty();

      refusing.set(false); // the credentials are rotated
      await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 5);
      assertThat(handled).containsExactly("p-0", "p-1", "p-2", "p-3", "p-4");
      assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
      assertThat(
              Broker.readAll(
                  Broker.shared().bootstrapServers(),
                  consumer.deadLetterTopic(),
                  0,
                  false,
                  Duration.ofSeconds(5)))
          .isEmpty();
    }
  }

  // ---- dead letters that do not fit ------------------------------------------------------

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    b[0] = 7; // not the magic byte: a poison pill
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /**
   * A value close to the broker's limit fits its topic but not, with the error headers added, the
   * dead-letter topic: the dead letter leaves out the value and says so.
   */
  @Test
  void aDeadLetterTooLargeForTheProducerLeavesOutTheValue() throws Exception {
    MeshProducer<ParcelScanned> producer = mesh.producer(ParcelScanned.class);
    byte[] huge = random(1_048_400); // fits the broker alone, not with the error headers
    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      raw.send(new ProducerRecord<>(producer.topic(), "huge".getBytes(), huge)).get();
    }
    producer.send(new ParcelScanned("after", "hub-2")).get(30, TimeUnit.SECONDS);

    Set<String> handled = ConcurrentHashMap.newKeySet();
    MeshConsumer<ParcelScanned> consumer =
        mesh.consumer(ParcelScanned.class)
            .group("sizing")
            .handle(e -> handled.add(e.value().id()))
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("after"));
    List<ConsumerRecord<byte[], byte[]>> dead =
        Broker.readAll(consumer.deadLetterTopic(), 1, false);

    assertThat(dead)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value()).isNull();
              assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("huge");
              assertThat(header(r, MeshHeaders.DLQ_OMITTED)).isEqualTo("value");
              assertThat(header(r, MeshHeaders.DLQ_VALUE_SIZE)).isEqualTo("1048400");
              assertThat(header(r, MeshHeaders.DLQ_VALUE_SHA256)).isEqualTo(sha256(huge));
              assertThat(header(r, MeshHeaders.DLQ_REASON)).isEqualTo("wrong_magic_byte");
            });
    assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
    System.out.printf(
        "fault run, oversize: produced=2 handled=%d dead-lettered=%d lost=%d%n",
        handled.size(), dead.size(), 2 - handled.size() - dead.size());
  }

  private static void createTopic(String topic, int maxMessageBytes) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("max.message.bytes", Integer.toString(maxMessageBytes)))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private void limitTopic(String topic, int maxMessageBytes) throws Exception {
    try (Admin admin = admin()) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, topic),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", Integer.toString(maxMessageBytes)),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** The broker refuses the dead letter as too large: the smaller copy goes instead. */
  @Test
  void aDeadLetterTheBrokerRefusesAsTooLargeIsWrittenAgainWithoutItsValue() throws Exception {
    MeshProducer<ParcelScanned> producer = mesh.producer(ParcelScanned.class);
    byte[] big = random(50_000);
    String dlq = producer.topic() + ".narrow.dlq";
    createTopic(dlq, 20_000); // before the first dead letter, which would create it

    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      raw.send(new ProducerRecord<>(producer.topic(), "big".getBytes(), big)).get();
    }
    producer.send(new ParcelScanned("after", "hub-3")).get(30, TimeUnit.SECONDS);

    Set<String> handled = ConcurrentHashMap.newKeySet();
    MeshConsumer<ParcelScanned> consumer =
        mesh.consumer(ParcelScanned.class)
            .group("narrow")
            .handle(e -> handled.add(e.value().id()))
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("after"));

    assertThat(Broker.readAll(dlq, 1, false))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value()).isNull();
              assertThat(header(r, MeshHeaders.DLQ_OMITTED)).isEqualTo("value");
              assertThat(header(r, MeshHeaders.DLQ_VALUE_SHA256)).isEqualTo(sha256(big));
            });
    assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
  }

  /**
   * Not even a dead letter without value, key and headers fits: the consumer stops with the record
   * unconsumed instead of retrying forever, and once the topic is fixed a consumer of the group
   * dead-letters it and goes on.
   */
  @Test
  void aDeadLetterThatCannotBeWrittenStopsTheConsumerWithTheRecordKept() throws Exception {
    MeshProducer<ParcelScanned> producer = mesh.producer(ParcelScanned.class);
    String dlq = producer.topic() + ".tiny.dlq";
    createTopic(dlq, 100);
    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      raw.send(new ProducerRecord<>(producer.topic(), "poison".getBytes(), random(100))).get();
    }
    producer.send(new ParcelScanned("after", "hub-4")).get(30, TimeUnit.SECONDS);

    Set<String> handled = ConcurrentHashMap.newKeySet();
    MeshConsumer<ParcelScanned> consumer =
        mesh.consumer(ParcelScanned.class)
            .group("tiny")
            .handle(e -> handled.add(e.value().id()))
            .start();
    assertThat(consumer.awaitTermination(Duration.ofSeconds(60))).isTrue();

    assertThat(consumer.state()).isEqualTo(MeshConsumer.State.FAILED);
    assertThat(consumer.failure())
        .get()
        .isInstanceOfSatisfying(
            DeadLetterException.class,
            e -> {
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.getMessage()).contains(producer.topic() + "-0@0").contains(dlq);
            });
    assertThat(handled).isEmpty(); // it stopped at the poison pill, in order

    limitTopic(dlq, 1_000_000);
    MeshConsumer<ParcelScanned> fixed =
        mesh.consumer(ParcelScanned.class)
            .group("tiny")
            .handle(e -> handled.add(e.value().id()))
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("after"));
    assertThat(Broker.readAll(dlq, 1, false)).hasSize(1);
    assertThat(fixed.state()).isEqualTo(MeshConsumer.State.RUNNING);
  }

  // ---- exactly once --------------------------------------------------------------------

  @DataProduct(
      domain = "hardening",
      name = "parcel-routed",
      version = "1.0",
      owner = "team-hub",
      description = "A parcel routed.")
  record ParcelRouted(@Key @Doc("Id") String id, @Doc("Route") String route) {}

  /**
   * A record that always fails behind records that pass, in one exactly-once batch: each abort
   * replays the batch from its start, and the failing record's attempts must survive that.
   */
  @Test
  void anAlwaysFailingRecordIsDeadLetteredAfterMaxAttemptsInExactlyOnceMode() throws Exception {
    MeshProducer<ParcelScanned> producer = mesh.producer(ParcelScanned.class);
    for (int i = 0; i < 10; i++) {
      producer.send(new ParcelScanned("p-" + i, "hub-5"));
    }
    producer.flush();
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    MeshProcessor<ParcelScanned, ParcelRouted> processor =
        mesh.processor(ParcelScanned.class, ParcelRouted.class)
            .group("routing")
            .exactlyOnce()
            .maxAttempts(3)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .process(
                (e, out) -> {
                  calls.computeIfAbsent(e.value().id(), k -> new AtomicInteger()).incrementAndGet();
                  if (e.value().id().equals("p-5")) {
                    throw new IllegalStateException("no route");
                  }
                  out.send(new ParcelRouted(e.value().id(), "r-" + e.value().id()));
                })
            .start();

    List<ConsumerRecord<byte[], byte[]>> outputs = Broker.readAll(processor.outputTopic(), 9, true);
    List<ConsumerRecord<byte[], byte[]>> dead =
        Broker.readAll(processor.input().deadLetterTopic(), 1, true);

    assertThat(outputs).hasSize(9);
    assertThat(outputs.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).distinct())
        .hasSize(9)
        .doesNotContain("p-5");
    assertThat(dead)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("p-5");
              assertThat(header(r, MeshHeaders.DLQ_ATTEMPTS)).isEqualTo("3");
            });
    assertThat(calls.get("p-5").get()).isEqualTo(3);
    assertThat(processor.input().state()).isEqualTo(MeshConsumer.State.RUNNING);
  }

  // ---- PII ---------------------------------------------------------------------------

  record Address(@Doc("Street") @Pii String street, @Doc("City") String city) {}

  @DataProduct(
      domain = "hardening",
      name = "parcel-delivered",
      version = "1.0",
      owner = "team-hub",
      description = "A parcel delivered.")
  record ParcelDelivered(
      @Key @Doc("Id") String id,
      @Pii @Doc("Initials") String initials,
      @Pii @Doc("Phones") List<String> phones,
      @Doc("Destination") Address destination) {}

  @Test
  void piiValuesNeverReachDeadLettersOrSpansWhereverTheySit() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk =
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        Mesh traced =
            Broker.mesh("couriers", registry).openTelemetry(sdk).topicPrefix(prefix).build()) {
      MeshProducer<ParcelDelivered> producer = traced.producer(ParcelDelivered.class);
      producer
          .send(
              new ParcelDelivered(
                  "short",
                  "AZ",
                  List.of("+44-7700-900123"),
                  new Address("221B Bakerstreet", "London")))
          .get(30, TimeUnit.SECONDS);
      producer
          .send(
              new ParcelDelivered(
                  "long",
                  "Ada Lovelace",
                  List.of("+44-7700-900123"),
                  new Address("221B Bakerstreet", "London")))
          .get(30, TimeUnit.SECONDS);
      MeshConsumer<ParcelDelivered> consumer =
          traced
              .consumer(ParcelDelivered.class)
              .group("couriers")
              .maxAttempts(1)
              .handle(
                  e -> {
                    ParcelDelivered p = e.value();
                    throw new IllegalStateException(
                        "cannot ship to "
                            + p.initials()
                            + " / "
                            + p.phones()
                            + " / "
                            + p.destination().street()
                            + " in "
                            + p.destination().city());
                  })
              .start();
      List<ConsumerRecord<byte[], byte[]>> dead =
          Broker.readAll(consumer.deadLetterTopic(), 2, false);

      Map<String, String> messages = new ConcurrentHashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        messages.put(
            new String(r.key(), StandardCharsets.UTF_8), header(r, MeshHeaders.DLQ_MESSAGE));
      }
      assertThat(messages.get("long")).isEqualTo("cannot ship to *** / [***] / *** in London");
      assertThat(messages.get("short"))
          .doesNotContain("AZ", "7700", "Bakerstreet")
          .contains("withheld");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  spans.getFinishedSpanItems().stream()
                          .flatMap(s -> s.getEvents().stream())
                          .filter(ev -> ev.getName().equals("exception"))
                          .count()
                      >= 2);
      for (var span : spans.getFinishedSpanItems()) {
        assertThat(span.getAttributes().toString()).doesNotContain("7700", "Bakerstreet", "Ada");
        for (EventData ev : span.getEvents()) {
          assertThat(ev.getAttributes().toString())
              .doesNotContain("7700", "Bakerstreet", "Lovelace", " AZ ");
          assertThat(ev.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")))
              .isNull();
        }
      }
    }
  }
}
