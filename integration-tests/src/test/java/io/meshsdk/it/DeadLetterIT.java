package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.FailedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Poison pills and failing handlers end in the dead-letter topic; the consumer goes on. */
class DeadLetterIT {
  @DataProduct(
      domain = "dlq",
      name = "payment-made",
      version = "1.0",
      owner = "team-pay",
      description = "A payment.")
  record PaymentMade(
      @Key @Doc("Id") String id,
      @Pii @Doc("Card holder") String holder,
      @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "dlq",
      name = "refund-made",
      version = "1.0",
      owner = "team-pay",
      description = "A refund.")
  record RefundMade(@Key @Doc("Id") String id, @Doc("Cents") long cents) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Mesh mesh = Broker.mesh("payments", registry).meterRegistry(meters).build();

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  @Test
  void everyPoisonPillKindAndAFailingHandlerAreDeadLetteredAndNothingIsLost() throws Exception {
    MeshProducer<PaymentMade> producer = mesh.producer(PaymentMade.class);
    String topic = producer.contract().topic();
    producer.send(new PaymentMade("p-1", "Ada Lovelace", 100)).get(30, TimeUnit.SECONDS);
    byte[] good =
        MeshSerializer.of(producer.contract(), registry)
            .serialize(topic, new PaymentMade("p-x", "Grace Hopper", 5));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
    byte[] refund =
        MeshSerializer.of(ProductContract.of(RefundMade.class), registry)
            .serialize("dlq.refund-made.v1", new RefundMade("r", 1));
    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      raw.send(
              new ProducerRecord<>(
                  topic,
                  "wrong-magic".getBytes(StandardCharsets.UTF_8),
                  new byte[] {7, 0, 0, 0, 1, 2}))
          .get();
      raw.send(
              new ProducerRecord<>(
                  topic,
                  "unknown-id".getBytes(StandardCharsets.UTF_8),
                  new byte[] {0, 0, 0, 0x7f, 0x11, 2}))
          .get();
      raw.send(new ProducerRecord<>(topic, "truncated".getBytes(StandardCharsets.UTF_8), truncated))
          .get();
      raw.send(new ProducerRecord<>(topic, "incompatible".getBytes(StandardCharsets.UTF_8), refund))
          .get();
      byte[] trailing = java.util.Arrays.copyOf(good, good.length + 2);
      raw.send(new ProducerRecord<>(topic, "trailing".getBytes(StandardCharsets.UTF_8), trailing))
          .get();
    }
    producer.send(new PaymentMade("p-fails", "Alan Turing", 300)).get(30, TimeUnit.SECONDS);
    producer.send(new PaymentMade("p-2", "Edsger Dijkstra", 200)).get(30, TimeUnit.SECONDS);

    Set<String> handled = ConcurrentHashMap.newKeySet();
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    MeshConsumer<PaymentMade> consumer =
        mesh.consumer(PaymentMade.class)
            .group("ledger")
            .maxAttempts(3)
            .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
            .handle(
                e -> {
                  calls.merge(e.value().id(), 1, Integer::sum);
                  if (e.value().id().equals("p-fails")) {
                    throw new IllegalStateException("ledger rejected " + e.value().holder());
                  }
                  handled.add(e.value().id());
                })
            .start();

    await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("p-2"));
    List<ConsumerRecord<byte[], byte[]>> dead =
        Broker.readAll(consumer.deadLetterTopic(), 6, false);

    assertThat(dead).hasSize(6);
    Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      byKey.put(new String(r.key(), StandardCharsets.UTF_8), r);
    }
    assertThat(header(byKey.get("wrong-magic"), MeshHeaders.DLQ_REASON))
        .isEqualTo("wrong_magic_byte");
    assertThat(header(byKey.get("unknown-id"), MeshHeaders.DLQ_REASON))
        .isEqualTo("unknown_schema_id");
    assertThat(header(byKey.get("truncated"), MeshHeaders.DLQ_REASON))
        .isIn("truncated", "corrupt_length");
    assertThat(header(byKey.get("incompatible"), MeshHeaders.DLQ_REASON))
        .isEqualTo("incompatible_writer_schema");
    assertThat(header(byKey.get("trailing"), MeshHeaders.DLQ_REASON)).isEqualTo("trailing_bytes");
    ConsumerRecord<byte[], byte[]> failed = byKey.get("p-fails");
    assertThat(header(failed, MeshHeaders.DLQ_REASON)).isEqualTo("handler");
    assertThat(header(failed, MeshHeaders.DLQ_EXCEPTION))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(header(failed, MeshHeaders.DLQ_MESSAGE)).isEqualTo("ledger rejected ***");
    assertThat(header(failed, MeshHeaders.DLQ_ATTEMPTS)).isEqualTo("3");
    assertThat(header(failed, MeshHeaders.DLQ_TOPIC)).isEqualTo(topic);
    assertThat(header(failed, MeshHeaders.DLQ_GROUP)).isEqualTo("ledger");
    assertThat(header(failed, MeshHeaders.DLQ_OFFSET)).isEqualTo("6");
    assertThat(header(failed, MeshHeaders.TYPE)).isEqualTo("dlq.payment-made.v1");
    assertThat(calls.get("p-fails")).isEqualTo(3);

    // the original bytes are kept unchanged
    assertThat(byKey.get("truncated").value()).isEqualTo(truncated);
    // produced = processed + dead-lettered
    assertThat(handled).containsExactlyInAnyOrder("p-1", "p-2");
    assertThat(handled.size() + dead.size()).isEqualTo(8);
    assertThat(meters.get(MeshMetrics.DLQ).tag("reason", "handler").counter().count()).isEqualTo(1);
    assertThat(meters.get(MeshMetrics.CONSUME).tag("outcome", "retry").timer().count())
        .isEqualTo(2);
    assertThat(consumer.isRunning()).isTrue();
  }

  @DataProduct(
      domain = "dlq",
      name = "invoice-sent",
      version = "1.0",
      owner = "team-pay",
      description = "An invoice.")
  record InvoiceSent(@Key @Doc("Id") String id) {}

  static final class Permanent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Permanent() {
      super("no such customer");
    }
  }

  @Test
  void nonRetriableFailuresSkipRetriesAndDeadLettersCanBeReplayed() throws Exception {
    MeshProducer<InvoiceSent> producer = mesh.producer(InvoiceSent.class);
    producer.send(new InvoiceSent("i-1")).get(30, TimeUnit.SECONDS);
    AtomicBoolean broken = new AtomicBoolean(true);
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    mesh.consumer(InvoiceSent.class)
        .group("mailer")
        .nonRetriable(Permanent.class)
        .handle(
            e -> {
              calls.merge(e.value().id(), 1, Integer::sum);
              if (broken.get()) {
                throw new Permanent();
              }
            })
        .start();
    String dlq = "dlq.invoice-sent.v1.mailer.dlq";
    assertThat(Broker.readAll(dlq, 1, false)).hasSize(1);
    assertThat(calls.get("i-1")).isEqualTo(1);

    // replayed while still broken: dead-lettered again, with one set of mesh.dlq.* headers, not two
    assertThat(mesh.deadLetters(InvoiceSent.class, "mailer").replay(Duration.ofSeconds(60)))
        .isEqualTo(1);
    List<ConsumerRecord<byte[], byte[]>> again = Broker.readAll(dlq, 2, false);
    assertThat(again).hasSize(2);
    int reasons = 0;
    for (Header h : again.get(1).headers().headers(MeshHeaders.DLQ_REASON)) {
      reasons++;
    }
    assertThat(reasons).isEqualTo(1);
    assertThat(header(again.get(1), MeshHeaders.DLQ_OFFSET)).isEqualTo("1");

    broken.set(false);
    assertThat(mesh.deadLetters(InvoiceSent.class, "mailer").replay(Duration.ofSeconds(60)))
        .isEqualTo(1);
    await().atMost(Duration.ofSeconds(60)).until(() -> calls.get("i-1") == 3);
    // the replayed record carries no dead-letter headers, and a second replay finds nothing new
    List<ConsumerRecord<byte[], byte[]>> log =
        Broker.readAll(producer.contract().topic(), 3, false);
    ConsumerRecord<byte[], byte[]> replayed = log.get(2);
    assertThat(replayed.headers().lastHeader(MeshHeaders.DLQ_REASON)).isNull();
    assertThat(header(replayed, MeshHeaders.ID)).isEqualTo(header(log.get(0), MeshHeaders.ID));
    assertThat(mesh.deadLetters(InvoiceSent.class, "mailer").replay(Duration.ofSeconds(30)))
        .isZero();
  }

  @DataProduct(
      domain = "dlq",
      name = "charge-made",
      version = "1.0",
      owner = "team-pay",
      description = "A charge.")
  record ChargeMade(@Key @Doc("Id") String id, @Pii @Doc("Card holder") String holder) {}

  @Test
  void deadLettersReplayThroughAHandlerWithoutTouchingTheProductTopic() throws Exception {
    MeshProducer<ChargeMade> producer = mesh.producer(ChargeMade.class);
    String topic = producer.contract().topic();
    producer.send(new ChargeMade("c-1", "Ada Lovelace")).get(30, TimeUnit.SECONDS);
    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      raw.send(
              new ProducerRecord<>(
                  topic, "poison".getBytes(StandardCharsets.UTF_8), new byte[] {7, 0, 0, 0, 1, 2}))
          .get();
    }
    producer.send(new ChargeMade("c-2", "Grace Hopper")).get(30, TimeUnit.SECONDS);
    Set<String> handled = ConcurrentHashMap.newKeySet();
    MeshConsumer<ChargeMade> consumer =
        mesh.consumer(ChargeMade.class)
            .group("billing")
            .nonRetriable(Permanent.class)
            .handle(
                e -> {
                  if (e.value().id().equals("c-2")) {
                    throw new Permanent();
                  }
                  handled.add(e.value().id());
                })
            .start();
    assertThat(Broker.readAll(consumer.deadLetterTopic(), 2, false)).hasSize(2);

    // the handler fails on the second dead letter: the replay stops there, having taken the first
    List<FailedEvent<ChargeMade>> seen = new ArrayList<>();
    DeadLetters<ChargeMade> deadLetters = mesh.deadLetters(ChargeMade.class, "billing");
    assertThatThrownBy(
            () ->
                deadLetters.replay(
                    e -> {
                      seen.add(e);
                      if (e.value().isPresent()) {
                        throw new IllegalStateException("still broken");
                      }
                    },
                    Duration.ofSeconds(60)))
        .isInstanceOf(MeshException.class)
        .hasMessageContaining("stopped at " + consumer.deadLetterTopic() + "-0@1")
        .hasMessageContaining("1 replayed before")
        .hasRootCauseMessage("still broken");
    assertThat(seen).hasSize(2);
    FailedEvent<ChargeMade> poison = seen.get(0);
    assertThat(poison.value()).isEmpty();
    assertThat(poison.decodingError()).hasValueSatisfying(m -> assertThat(m).contains("magic"));
    assertThat(poison.reason()).isEqualTo("wrong_magic_byte");
    assertThat(poison.key()).isEqualTo("poison");
    assertThat(poison.rawValue()).containsExactly(7, 0, 0, 0, 1, 2);
    assertThat(poison.originalTopic()).isEqualTo(topic);
    assertThat(poison.originalOffset()).isEqualTo(1);
    assertThat(poison.group()).isEqualTo("billing");

    // the next replay starts with the dead letter the handler failed on, and goes through
    List<FailedEvent<ChargeMade>> second = new ArrayList<>();
    assertThat(deadLetters.replay(second::add, Duration.ofSeconds(60))).isEqualTo(1);
    assertThat(second).hasSize(1);
    FailedEvent<ChargeMade> failed = second.get(0);
    assertThat(failed.value()).contains(new ChargeMade("c-2", "Grace Hopper"));
    assertThat(failed.decodingError()).isEmpty();
    assertThat(failed.reason()).isEqualTo("handler");
    assertThat(failed.exception()).hasValue(Permanent.class.getName());
    assertThat(failed.originalPartition()).isZero();
    assertThat(failed.originalOffset()).isEqualTo(2);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.deadLetterPosition()).isEqualTo(consumer.deadLetterTopic() + "-0@1");
    assertThat(failed.headers().lastHeader(MeshHeaders.ID)).isNotNull();
    assertThat(failed.headers().lastHeader(MeshHeaders.DLQ_REASON)).isNull();

    // nothing is left, and the product topic was never written to: other groups see no repeat
    assertThat(deadLetters.replay(e -> {}, Duration.ofSeconds(30))).isZero();
    assertThat(deadLetters.replay(Duration.ofSeconds(30))).isZero();
    assertThat(recordsIn(topic)).isEqualTo(3);
    assertThat(handled).containsExactly("c-1");
  }

  /** A plain producer, for records no mesh producer would write. */
  private static KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", Broker.shared().bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static long recordsIn(String topic) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", Broker.shared().bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return c.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @DataProduct(
      domain = "dlq",
      name = "audit-logged",
      version = "1.0",
      owner = "team-pay",
      description = "An audit line.")
  record AuditLogged(@Key @Doc("Id") String id) {}

  @Test
  void anErrorHandlerCanSkipOrStop() throws Exception {
    MeshProducer<AuditLogged> producer = mesh.producer(AuditLogged.class);
    for (String id : List.of("a-1", "skip-me", "a-2", "stop-here", "a-3")) {
      producer.send(new AuditLogged(id)).get(30, TimeUnit.SECONDS);
    }
    Set<String> handled = ConcurrentHashMap.newKeySet();
    MeshConsumer<AuditLogged> consumer =
        mesh.consumer(AuditLogged.class)
            .group("auditor")
            .errorHandler(
                f ->
                    f.error().getMessage().equals("skip")
                        ? io.meshsdk.consumer.ErrorAction.SKIP
                        : io.meshsdk.consumer.ErrorAction.STOP)
            .handle(
                e -> {
                  if (e.value().id().equals("skip-me")) {
                    throw new IllegalArgumentException("skip");
                  }
                  if (e.value().id().equals("stop-here")) {
                    throw new IllegalArgumentException("stop");
                  }
                  handled.add(e.value().id());
                })
            .start();

    assertThat(consumer.awaitTermination(Duration.ofSeconds(60))).isTrue();
    assertThat(consumer.isRunning()).isFalse();
    assertThat(consumer.failure()).get().extracting(Throwable::getMessage).isEqualTo("stop");
    assertThat(handled).containsExactlyInAnyOrder("a-1", "a-2");
    assertThat(meters.get(MeshMetrics.CONSUME).tag("outcome", "skip").timer().count()).isEqualTo(1);

    // the record it stopped at was not committed: the group starts there again
    List<String> resumed = new java.util.concurrent.CopyOnWriteArrayList<>();
    mesh.consumer(AuditLogged.class)
        .group("auditor")
        .handle(e -> resumed.add(e.value().id()))
        .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> resumed.size() == 2);
    assertThat(resumed).containsExactly("stop-here", "a-3");
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    assertThat(h).as("header %s", name).isNotNull();
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
