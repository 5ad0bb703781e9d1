package io.meshsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ErrorAction;
import io.meshsdk.consumer.Failure;
import io.meshsdk.consumer.FailureReason;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.processor.ProcessorOutputException;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendFailedException;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.memory.InMemoryKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime (producers, consumers with retries and dead letters, processors) on the in-memory
 * Kafka of {@code mesh-sdk-testkit-memory}, inside this module: behaviour that needs no broker is
 * tested where it is written. Every count is checked: what was produced was handled or
 * dead-lettered, nothing else.
 */
class RuntimeOnMemoryKafkaTest {

  @DataProduct(
      domain = "rt",
      name = "order",
      version = "1.0",
      owner = "team-rt",
      description = "An order.")
  public record Order(@Key @Doc("Id") String id, @Doc("Cents") @PositiveOrZero long cents) {}

  @DataProduct(
      domain = "rt",
      name = "invoice",
      version = "1.0",
      owner = "team-rt",
      description = "An invoice for an order.")
  public record Invoice(@Key @Doc("Order id") String orderId, @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "rt",
      name = "tier",
      version = "1.0",
      owner = "team-rt",
      kind = ProductKind.STATE,
      description = "A customer's tier.")
  public record Tier(@Key @Doc("Customer") String customer, @Doc("Tier") String tier) {}

  private final InMemoryKafka kafka = new InMemoryKafka();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Mesh mesh =
      Mesh.builder()
          .application("runtime-test")
          .bootstrapServers("in-memory:9092")
          .schemaRegistry(new InMemorySchemaRegistry())
          .meterRegistry(meters)
          .kafkaClientFactory(KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin))
          .build();

  @AfterEach
  void close() {
    mesh.close();
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void aSentEventIsStoredWithItsKeyCloudEventsHeadersAndSchemaId() {
    MeshProducer<Order> producer = mesh.producer(Order.class);
    SendResult sent = producer.send(new Order("o-1", 700)).join();

    List<ConsumerRecord<byte[], byte[]>> records = kafka.records(producer.topic());
    assertThat(records).hasSize(1);
    ConsumerRecord<byte[], byte[]> r = records.get(0);
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("o-1");
    assertThat(r.value()[0]).isZero(); // Confluent framing: magic byte, then the schema id
    assertThat(sent.topic()).isEqualTo(producer.topic());
    assertThat(sent.offset()).isZero();
    assertThat(header(r, "ce_id")).isEqualTo(sent.eventId());
    assertThat(header(r, "ce_type")).isEqualTo("rt.order.v1");
    assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
    assertThat(r.timestamp()).isEqualTo(sent.eventTime().toEpochMilli());
    assertThat(mesh.schemaRegistry().latest(producer.topic() + "-value").id())
        .isEqualTo(sent.schemaId());
    assertThat(meters.get(MeshMetrics.PRODUCE).tag("outcome", "success").timer().count())
        .isEqualTo(1);
  }

  @Test
  void aValueThatBreaksTheContractIsRefusedAndNothingIsSent() {
    MeshProducer<Order> producer = mesh.producer(Order.class);
    // refused before anything is sent, on the caller's thread
    assertThatThrownBy(() -> producer.send(new Order("o-1", -5)))
        .isInstanceOf(ContractViolationException.class)
        .hasMessageContaining("cents");
    assertThat(kafka.records(producer.topic())).isEmpty();
  }

  @Test
  void aBrokerErrorFailsTheSendWithANamedException() {
    MeshProducer<Order> producer = mesh.producer(Order.class);
    kafka.failNextSends(producer.topic(), 1, () -> new NotLeaderOrFollowerException("gone"));
    assertThatThrownBy(() -> producer.send(new Order("o-1", 1)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(SendFailedException.class);
    assertThat(producer.send(new Order("o-2", 1)).join().offset()).isZero();
    assertThat(kafka.records(producer.topic())).hasSize(1);
  }

  @Test
  void deletingAKeyOfAStateProductWritesATombstone() {
    MeshProducer<Tier> tiers = mesh.producer(Tier.class);
    tiers.send(new Tier("c-1", "gold")).join();
    tiers.delete("c-1").join();
    List<ConsumerRecord<byte[], byte[]>> records = kafka.records(tiers.topic());
    assertThat(records).hasSize(2);
    assertThat(records.get(1).value()).isNull();
    assertThat(new String(records.get(1).key(), StandardCharsets.UTF_8)).isEqualTo("c-1");
  }

  @Test
  void failuresAreRetriedThenDeadLetteredAndEveryRecordIsAccountedFor() {
    MeshProducer<Order> producer = mesh.producer(Order.class);
    for (int i = 0; i < 10; i++) {
      producer.send(new Order("o-" + i, i)).join();
    }
    String topic = producer.topic();
    kafka
        .producer(Map.of())
        .send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic, "poison".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0}));
    List<String> handled = new CopyOnWriteArrayList<>();
    List<Failure> failures = new CopyOnWriteArrayList<>();
    MeshConsumer<Order> consumer =
        mesh.consumer(Order.class)
            .group("billing")
            .startFrom(StartPosition.earliest())
            .maxAttempts(3)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .errorHandler(
                f -> {
                  failures.add(f);
                  return f.retriable() && f.attempts() < 3
                      ? ErrorAction.RETRY
                      : ErrorAction.DEAD_LETTER;
                })
            .handle(
                e -> {
                  if (e.value().id().equals("o-3")) {
                    throw new IllegalStateException("o-3 is refused");
                  }
                  handled.add(e.value().id());
                })
            .start();

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kafka.records(consumer.deadLetterTopic()).size() == 2 && handled.size() == 9);
    // 11 produced = 9 handled + 2 dead-lettered; nothing handled twice
    assertThat(handled).doesNotHaveDuplicates().hasSize(9).doesNotContain("o-3");
    List<ConsumerRecord<byte[], byte[]>> dead = kafka.records(consumer.deadLetterTopic());
    assertThat(dead)
        .extracting(r -> header(r, MeshHeaders.DLQ_REASON))
        .containsExactlyInAnyOrder(FailureReason.TRUNCATED.code(), FailureReason.HANDLER.code());
    // the handler failure was tried three times, the undecodable record once
    assertThat(failures)
        .filteredOn(f -> f.reason() == FailureReason.HANDLER)
        .extracting(Failure::attempts)
        .containsExactly(1, 2, 3);
    assertThat(failures)
        .filteredOn(f -> f.reason() == FailureReason.TRUNCATED)
        .singleElement()
        .satisfies(f -> assertThat(f.retriable()).isFalse());
    assertThat(meters.get(MeshMetrics.DLQ).tag("reason", "handler").counter().count()).isOne();
    consumer.close();
  }

  @Test
  void aProcessorOutputTheBrokerDidNotTakeIsAProcessorOutputExceptionAndIsRetried() {
    MeshProducer<Order> orders = mesh.producer(Order.class);
    orders.send(new Order("o-1", 100)).join();
    MeshProducer<Invoice> invoices = mesh.producer(Invoice.class); // creates the output topic
    kafka.failNextSends(invoices.topic(), 1, () -> new NotLeaderOrFollowerException("gone"));
    List<Failure> failures = new CopyOnWriteArrayList<>();
    MeshProcessor<Order, Invoice> processor =
        mesh.processor(Order.class, Invoice.class)
            .group("invoicing")
            .startFrom(StartPosition.earliest())
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .errorHandler(
                f -> {
                  failures.add(f);
                  return f.attempts() < 3 ? ErrorAction.RETRY : ErrorAction.DEAD_LETTER;
                })
            .process((e, out) -> out.send(new Invoice(e.value().id(), e.value().cents())))
            .start();

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kafka.records(invoices.topic()).size() == 1);
    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.error()).isInstanceOf(ProcessorOutputException.class);
              assertThat(f.reason()).isEqualTo(FailureReason.HANDLER);
              assertThat(f.retriable()).isTrue();
            });
    // produced once, with the order as its parent
    ConsumerRecord<byte[], byte[]> invoice = kafka.records(invoices.topic()).get(0);
    String orderId = header(kafka.records(orders.topic()).get(0), "ce_id");
    assertThat(header(invoice, "ce_meshparents")).contains(orderId);
    assertThat(kafka.records(processor.input().deadLetterTopic())).isEmpty();
    processor.close();
  }
}
