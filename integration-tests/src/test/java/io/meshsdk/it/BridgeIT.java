package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.constraints.Positive;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bridges on the real broker: legacy topics in each source format become products, with counts
 * (records in the legacy topic = products + dead letters, none lost, duplicates measured), lineage
 * back to the legacy offsets, and the dead letters' original bytes.
 */
class BridgeIT {
  @DataProduct(
      domain = "onboarding",
      name = "order-placed",
      version = "1.0",
      owner = "team-orders",
      description = "An order, bridged from the legacy order topic.")
  record OrderPlaced(
      @Key @Doc("Order id") String orderId,
      @Positive @Doc("Total in cents") long amountCents,
      @Doc("ISO currency") String currency) {}

  @DataProduct(
      domain = "onboarding",
      name = "customer",
      version = "1.0",
      owner = "team-crm",
      kind = ProductKind.STATE,
      description = "A customer's latest profile, bridged from the CRM topic.")
  record Customer(@Key @Doc("Customer id") String id, @Doc("Name") String name) {}

  /** The legacy topic's JSON, as the old system wrote it. */
  record LegacyOrder(String id, double amount, String cur) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final String prefix = "b" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final Mesh mesh =
      Broker.mesh("onboarding", registry).topicPrefix(prefix).meterRegistry(meters).build();

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static OrderPlaced toProduct(LegacyOrder o) {
    return new OrderPlaced(o.id(), Math.round(o.amount() * 100), o.cur());
  }

  /** Every 17th record is not JSON, every 23rd has a negative amount: both dead-lettered. */
  private static byte[] legacyJson(int i) {
    if (i % 17 == 5) {
      return ("{\"id\": \"o-" + i + "\", \"amount\": ").getBytes(StandardCharsets.UTF_8);
    }
    double amount = i % 23 == 7 ? -1.5 : 10 + i;
    return ("{\"id\":\"o-" + i + "\",\"amount\":" + amount + ",\"cur\":\"EUR\",\"legacyFlag\":1}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static boolean unmappable(int i) {
    return i % 17 == 5;
  }

  private static boolean violates(int i) {
    return !unmappable(i) && i % 23 == 7;
  }

  @Test
  void aJsonTopicsHistoryBecomesAProductWithLineageAndBadRecordsDeadLettered() throws Exception {
    String legacy = legacyTopic(3);
    int total = 300;
    Map<Integer, String> positions = writeLegacy(legacy, 0, total, BridgeIT::legacyJson);
    List<ConsumedEvent<OrderPlaced>> received = new CopyOnWriteArrayList<>();
    mesh.consumer(OrderPlaced.class)
        .group("reader")
        .startFrom(StartPosition.earliest())
        .handle(received::add)
        .start();

    MeshBridge<LegacyOrder, OrderPlaced> bridge =
        mesh.bridge(SourceFormat.json(LegacyOrder.class), OrderPlaced.class)
            .from(legacy)
            .group("orders-bridge")
            .map(r -> toProduct(r.value()))
            .start();

    int bad = 0;
    int violations = 0;
    for (int i = 0; i < total; i++) {
      bad += unmappable(i) || violates(i) ? 1 : 0;
      violations += violates(i) ? 1 : 0;
    }
    int good = total - bad;
    List<ConsumerRecord<byte[], byte[]>> dlq = Broker.readAll(bridge.deadLetterTopic(), bad, false);
    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= good);
    // produced = bridged + dead-lettered, nothing lost, nothing twice
    assertThat(received).hasSize(good);
    assertThat(dlq).hasSize(bad);
    assertThat(received.stream().map(ConsumedEvent::eventId).distinct()).hasSize(good);
    Set<Integer> seen = new HashSet<>();
    for (ConsumedEvent<OrderPlaced> e : received) {
      int i = Integer.parseInt(e.value().orderId().substring(2));
      assertThat(seen.add(i)).isTrue();
      assertThat(unmappable(i) || violates(i)).isFalse();
      assertThat(e.value().amountCents()).isEqualTo((10 + i) * 100L);
      // the legacy record is the event's parent: its position, and the source's type
      List<EventRef> parents = e.lineage().parents();
      assertThat(parents).hasSize(1);
      EventRef parent = parents.get(0);
      assertThat(parent.isExternal()).isTrue();
      assertThat(parent.type()).isEqualTo("legacy.json");
      assertThat(parent.topic()).isEqualTo(legacy);
      assertThat(parent.partition() + "@" + parent.offset()).isEqualTo(positions.get(i));
      assertThat(parent.id()).isEqualTo(legacy + "-" + positions.get(i));
    }
    for (ConsumerRecord<byte[], byte[]> d : dlq) {
      String reason = header(d, MeshHeaders.DLQ_REASON);
      int i = Integer.parseInt(header(d, "legacy-index"));
      // the original bytes, headers and position
      assertThat(d.value()).isEqualTo(legacyJson(i));
      assertThat(header(d, MeshHeaders.DLQ_TOPIC)).isEqualTo(legacy);
      assertThat(header(d, MeshHeaders.DLQ_PARTITION) + "@" + header(d, MeshHeaders.DLQ_OFFSET))
          .isEqualTo(positions.get(i));
      assertThat(reason).isEqualTo(violates(i) ? "contract_violation" : "unmappable");
    }
    assertThat(count("mapped")).isEqualTo(good);
    assertThat(count("unmappable")).isEqualTo(bad - violations);
    assertThat(count("contract_violation")).isEqualTo(violations);
    assertThat(meters.find(MeshMetrics.DLQ).tag("reason", "contract_violation").counter().count())
        .isEqualTo(violations);

    // restarted in the same group, the bridge goes on from its commit: the new records only
    bridge.close();
    assertThat(bridge.isRunning()).isFalse();
    assertThat(bridge.failure()).isEmpty();
    writeLegacy(legacy, total, 60, i -> legacyJson(1000 + i));
    mesh.bridge(SourceFormat.json(LegacyOrder.class), OrderPlaced.class)
        .from(legacy)
        .group("orders-bridge")
        .map(r -> toProduct(r.value()))
        .start();
    int more = 0;
    for (int i = 1000; i < 1060; i++) {
      more += unmappable(i) || violates(i) ? 0 : 1;
    }
    int expected = good + more;
    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= expected);
    assertThat(Broker.readAll(bridge.deadLetterTopic(), bad + 60 - more, false))
        .hasSize(bad + 60 - more);
    assertThat(received).hasSize(expected);
    assertThat(received.stream().map(ConsumedEvent::eventId).distinct()).hasSize(expected);
  }

  @Test
  void exactlyOnceBridgingWritesEachRecordOnceForReadCommittedReaders() throws Exception {
    String legacy = legacyTopic(2);
    int total = 200;
    writeLegacy(legacy, 0, total, BridgeIT::legacyJson);
    MeshBridge<LegacyOrder, OrderPlaced> bridge =
        mesh.bridge(SourceFormat.json(LegacyOrder.class), OrderPlaced.class)
            .from(legacy)
            .group("eos-bridge")
            .exactlyOnce()
            .map(r -> toProduct(r.value()))
            .start();
    int bad = 0;
    for (int i = 0; i < total; i++) {
      bad += unmappable(i) || violates(i) ? 1 : 0;
    }
    List<ConsumerRecord<byte[], byte[]>> products =
        Broker.readAll(bridge.outputTopic(), total - bad, true);
    List<ConsumerRecord<byte[], byte[]>> dlq = Broker.readAll(bridge.deadLetterTopic(), bad, true);
    assertThat(products).hasSize(total - bad);
    assertThat(dlq).hasSize(bad);
    assertThat(products.stream().map(r -> header(r, MeshHeaders.ID)).distinct())
        .hasSize(total - bad);
    // the dead letters went through the transaction too: committed, with the original bytes
    for (ConsumerRecord<byte[], byte[]> d : dlq) {
      assertThat(d.value()).isEqualTo(legacyJson(Integer.parseInt(header(d, "legacy-index"))));
    }
    bridge.close();
    assertThat(bridge.failure()).isEmpty();
  }

  @Test
  void aBridgedRecordKeepsItsIdWhenBridgedAgain() throws Exception {
    // a second group over the same history (a re-run, a restart before a commit) writes the same
    // event ids, so consumers that deduplicate drop the copies
    String legacy = legacyTopic(1);
    writeLegacy(
        legacy,
        0,
        10,
        i ->
            ("{\"id\":\"o-" + i + "\",\"amount\":" + (1 + i) + ",\"cur\":\"EUR\"}")
                .getBytes(StandardCharsets.UTF_8));
    MeshBridge<LegacyOrder, OrderPlaced> first =
        mesh.bridge(SourceFormat.json(LegacyOrder.class), OrderPlaced.class)
            .from(legacy)
            .group("run-1")
            .map(r -> toProduct(r.value()))
            .start();
    List<ConsumerRecord<byte[], byte[]>> once = Broker.readAll(first.outputTopic(), 10, false);
    first.close();
    mesh.bridge(SourceFormat.json(LegacyOrder.class), OrderPlaced.class)
        .from(legacy)
        .group("run-2")
        .map(r -> toProduct(r.value()))
        .start();
    List<ConsumerRecord<byte[], byte[]>> twice = Broker.readAll(first.outputTopic(), 20, false);
    assertThat(twice).hasSize(20);
    Map<String, Long> copies = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : twice) {
      copies.merge(header(r, MeshHeaders.ID), 1L, Long::sum);
    }
    assertThat(copies).hasSize(10).allSatisfy((id, n) -> assertThat(n).isEqualTo(2L));
    assertThat(once.stream().map(r -> header(r, MeshHeaders.ID))).allMatch(copies::containsKey);
  }

  @Test
  void avroWithAKnownWriterSchemaAndConfluentFramedAvroWithAForeignSchemaAreBridged()
      throws Exception {
    Schema foreign =
        SchemaBuilder.record("Purchase")
            .namespace("com.legacy")
            .fields()
            .requiredString("ref")
            .requiredLong("cents")
            .endRecord();
    String plain = legacyTopic(1);
    String framed = legacyTopic(1);
    int id = registry.register("legacy-purchases-value", foreign).id();
    writeLegacy(plain, 0, 40, i -> avro(foreign, "p-" + i, i % 10 == 3 ? -5 : 100 + i));
    writeLegacy(
        framed,
        0,
        40,
        i -> {
          if (i % 10 == 4) {
            return new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2}; // an id no registry has
          }
          byte[] body = avro(foreign, "f-" + i, 100 + i);
          byte[] out = new byte[body.length + 5];
          WireFormat.writeHeader(id, out, 0);
          System.arraycopy(body, 0, out, 5, body.length);
          return out;
        });
    MeshBridge<GenericRecord, OrderPlaced> fromPlain =
        mesh.bridge(SourceFormat.avro(foreign), OrderPlaced.class)
            .from(plain)
            .group("avro-bridge")
            .sourceType("legacy.shop.avro")
            .map(r -> purchase(r.value()))
            .start();
    MeshBridge<GenericRecord, OrderPlaced> fromFramed =
        mesh.bridge(SourceFormat.confluentAvro(registry), OrderPlaced.class)
            .from(framed)
            .group("framed-bridge")
            .map(r -> purchase(r.value()))
            .start();
    List<ConsumerRecord<byte[], byte[]>> products =
        Broker.readAll(fromPlain.outputTopic(), 72, false);
    assertThat(products).hasSize(72); // 36 + 36
    List<ConsumerRecord<byte[], byte[]>> plainDlq =
        Broker.readAll(fromPlain.deadLetterTopic(), 4, false);
    List<ConsumerRecord<byte[], byte[]>> framedDlq =
        Broker.readAll(fromFramed.deadLetterTopic(), 4, false);
    assertThat(plainDlq)
        .hasSize(4)
        .allSatisfy(
            d -> assertThat(header(d, MeshHeaders.DLQ_REASON)).isEqualTo("contract_violation"));
    assertThat(framedDlq)
        .hasSize(4)
        .allSatisfy(
            d -> {
              assertThat(header(d, MeshHeaders.DLQ_REASON)).isEqualTo("unmappable");
              assertThat(header(d, MeshHeaders.DLQ_MESSAGE)).contains("schema id");
            });
    assertThat(products.stream().map(r -> header(r, MeshHeaders.PARENTS)))
        .filteredOn(p -> p.startsWith("legacy.shop.avro;"))
        .hasSize(36);
    assertThat(products.stream().map(r -> header(r, MeshHeaders.PARENTS)))
        .filteredOn(p -> p.startsWith("legacy.confluent-avro;"))
        .hasSize(36);
  }

  @Test
  void jsonWithAJsonSchemaIsCheckedBeforeItIsMapped() throws Exception {
    String schema =
        """
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "type": "object", "required": ["id", "amount", "cur"],
         "properties": {"id": {"type": "string"}, "amount": {"type": "number", "minimum": 0},
                        "cur": {"type": "string", "pattern": "^[A-Z]{3}$"}}}
        """;
    String legacy = legacyTopic(1);
    writeLegacy(
        legacy,
        0,
        30,
        i -> {
          String json = "{\"id\":\"j-" + i + "\",\"amount\":" + (1 + i) + ",\"cur\":\"USD\"}";
          if (i % 10 == 1) {
            json = "{\"id\":\"j-" + i + "\",\"amount\":5,\"cur\":\"dollars\"}"; // breaks it
          }
          byte[] text = json.getBytes(StandardCharsets.UTF_8);
          if (i % 2 == 0) {
            return text;
          }
          byte[] framed = new byte[text.length + 5]; // Confluent's JSON Schema serializer
          WireFormat.writeHeader(42, framed, 0);
          System.arraycopy(text, 0, framed, 5, text.length);
          return framed;
        });
    MeshBridge<LegacyOrder, OrderPlaced> bridge =
        mesh.bridge(SourceFormat.jsonSchema(LegacyOrder.class, schema), OrderPlaced.class)
            .from(legacy)
            .group("schema-bridge")
            .map(r -> toProduct(r.value()))
            .start();
    assertThat(Broker.readAll(bridge.outputTopic(), 27, false)).hasSize(27);
    List<ConsumerRecord<byte[], byte[]>> dlq = Broker.readAll(bridge.deadLetterTopic(), 3, false);
    assertThat(dlq)
        .hasSize(3)
        .allSatisfy(
            d ->
                assertThat(header(d, MeshHeaders.DLQ_MESSAGE))
                    .contains("cur")
                    .contains("fails 'pattern'")
                    .doesNotContain("dollars")); // the validator's place and rule, not the value
  }

  @Test
  void textRecordsBecomeAStateProductAndTombstonesDeleteTheKey() throws Exception {
    String legacy = legacyTopic(1);
    try (KafkaProducer<byte[], byte[]> p = rawProducer()) {
      for (int i = 0; i < 20; i++) {
        p.send(new ProducerRecord<>(legacy, bytes("c-" + i), bytes("c-" + i + ";Name " + i)));
      }
      p.send(new ProducerRecord<>(legacy, bytes("c-3"), null));
      p.send(new ProducerRecord<>(legacy, bytes("c-4"), null));
      p.send(new ProducerRecord<>(legacy, bytes("c-5"), new byte[] {(byte) 0xC3, 0x28})); // bad
      p.send(new ProducerRecord<>(legacy, null, null)); // a tombstone of nothing
      p.flush();
    }
    MeshBridge<String, Customer> bridge =
        mesh.bridge(SourceFormat.string(), Customer.class)
            .from(legacy)
            .group("crm-bridge")
            .map(
                r -> {
                  String[] parts = r.value().split(";", -1);
                  return new Customer(parts[0], parts[1]);
                })
            .start();
    List<ConsumerRecord<byte[], byte[]>> out = Broker.readAll(bridge.outputTopic(), 22, false);
    assertThat(out).hasSize(22);
    assertThat(out.stream().filter(r -> r.value() == null).map(r -> text(r.key())))
        .containsExactly("c-3", "c-4");
    assertThat(Broker.readAll(bridge.deadLetterTopic(), 2, false)).hasSize(2);
    assertThat(count("deleted")).isEqualTo(2);
    assertThat(count("mapped")).isEqualTo(20);
  }

  @Test
  void aRegistryOutageMakesTheBridgeWaitNotDeadLetter() throws Exception {
    Schema foreign =
        SchemaBuilder.record("Purchase")
            .namespace("com.legacy")
            .fields()
            .requiredString("ref")
            .requiredLong("cents")
            .endRecord();
    int id = registry.register("outage-purchases-value", foreign).id();
    String legacy = legacyTopic(1);
    writeLegacy(
        legacy,
        0,
        25,
        i -> {
          byte[] body = avro(foreign, "w-" + i, 100 + i);
          byte[] out = new byte[body.length + 5];
          WireFormat.writeHeader(id, out, 0);
          System.arraycopy(body, 0, out, 5, body.length);
          return out;
        });
    // the edge faulted by hand: the foreign team's registry, down until told otherwise
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger refused = new AtomicInteger();
    SchemaRegistry flaky =
        (SchemaRegistry)
            Proxy.newProxyInstance(
                SchemaRegistry.class.getClassLoader(),
                new Class<?>[] {SchemaRegistry.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("schemaById") && down.get()) {
                    refused.incrementAndGet();
                    throw new SchemaRegistryException(
                        SchemaRegistryException.Kind.UNAVAILABLE, "connection refused");
                  }
                  try {
                    return method.invoke(registry, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    MeshBridge<GenericRecord, OrderPlaced> bridge =
        mesh.bridge(SourceFormat.confluentAvro(flaky), OrderPlaced.class)
            .from(legacy)
            .group("outage-bridge")
            .map(r -> purchase(r.value()))
            .start();
    await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= 3);
    assertThat(count("mapped")).isZero();
    assertThat(count("unmappable")).isZero();
    down.set(false);
    assertThat(Broker.readAll(bridge.outputTopic(), 25, false)).hasSize(25);
    assertThat(count("unmappable")).isZero();
    assertThat(bridge.isRunning()).isTrue();
  }

  @Test
  void deadLettersReplayedToTheLegacyTopicAreBridgedOnceTheMappingIsFixed() throws Exception {
    String legacy = legacyTopic(1);
    writeLegacy(legacy, 0, 6, BridgeIT::legacyJson); // index 5 is not JSON
    AtomicBoolean fixed = new AtomicBoolean();
    MeshBridge<com.fasterxml.jackson.databind.JsonNode, OrderPlaced> bridge =
        mesh.bridge(SourceFormat.json(), OrderPlaced.class)
            .from(legacy)
            .group("replay-bridge")
            .map(
                r -> {
                  if (r.value().path("id").asText().equals("o-3") && !fixed.get()) {
                    throw new IllegalStateException("o-3 refused until the mapping is fixed");
                  }
                  return new OrderPlaced(
                      r.value().path("id").asText(),
                      Math.round(r.value().path("amount").asDouble() * 100),
                      r.value().path("cur").asText());
                })
            .start();
    assertThat(Broker.readAll(bridge.outputTopic(), 4, false)).hasSize(4);
    assertThat(Broker.readAll(bridge.deadLetterTopic(), 2, false)).hasSize(2);

    fixed.set(true);
    long replayed = bridge.deadLetters().replay(Duration.ofSeconds(30));

    // both go back to the legacy topic: o-3 is bridged now, the line that is not JSON fails again
    assertThat(replayed).isEqualTo(2);
    assertThat(Broker.readAll(bridge.outputTopic(), 5, false)).hasSize(5);
    assertThat(Broker.readAll(bridge.deadLetterTopic(), 3, false)).hasSize(3);
    assertThat(count("mapped")).isEqualTo(5);
  }

  @Test
  void misconfiguredBridgesAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(
            () -> mesh.bridge(SourceFormat.string(), Customer.class).from("legacy.x").start())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("consumer group is not set")
        .hasMessageContaining("mapping is not set");
    assertThatThrownBy(
            () ->
                mesh.bridge(SourceFormat.string(), Customer.class)
                    .from("no.such.legacy.topic." + UUID.randomUUID())
                    .group("g")
                    .map(r -> new Customer(r.value(), r.value()))
                    .start())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> mesh.bridge(SourceFormat.string(), Customer.class).from("bad topic"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mesh.bridge(SourceFormat.string(), Customer.class).sourceType("a;b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceFormat.jsonSchema(LegacyOrder.class, "{not a schema"))
        .isInstanceOf(MeshConfigurationException.class);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static OrderPlaced purchase(GenericRecord r) {
    return new OrderPlaced(r.get("ref").toString(), (Long) r.get("cents"), "EUR");
  }

  private static byte[] avro(Schema schema, String ref, long cents) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("ref", ref);
    r.put("cents", cents);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
      enc.flush();
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private double count(String outcome) {
    var c = meters.find("mesh.bridge.records").tag("outcome", outcome).counters();
    return c.stream().mapToDouble(x -> x.count()).sum();
  }

  private String legacyTopic(int partitions) throws Exception {
    String topic = prefix + "legacy-" + UUID.randomUUID().toString().substring(0, 6);
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    return topic;
  }

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", Broker.shared().bootstrapServers(), "linger.ms", 5),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /**
   * Writes {@code count} legacy records keyed by their index, each with a {@code legacy-index}
   * header; returns where each index went ({@code partition@offset}).
   */
  private static Map<Integer, String> writeLegacy(
      String topic, int from, int count, java.util.function.IntFunction<byte[]> value)
      throws Exception {
    Map<Integer, String> positions = new HashMap<>();
    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
        new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> p = rawProducer()) {
      for (int i = 0; i < count; i++) {
        int n = from + i;
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(topic, bytes("k-" + n), value.apply(n));
        r.headers().add("legacy-index", bytes(Integer.toString(n)));
        sent.add(p.send(r));
      }
      p.flush();
      for (int i = 0; i < count; i++) {
        var m = sent.get(i).get();
        positions.put(from + i, m.partition() + "@" + m.offset());
      }
    }
    return positions;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
