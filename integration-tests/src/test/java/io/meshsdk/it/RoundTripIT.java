package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.validation.constraints.Positive;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoundTripIT {
  @DataProduct(
      domain = "roundtrip",
      name = "order-placed",
      version = "1.2",
      owner = "team-orders",
      description = "An order.")
  record OrderPlaced(
      @Key @Doc("Order id") String orderId,
      @Pii @Doc("E-mail") String email,
      @Positive @Doc("Cents") long amountCents) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    mesh = Broker.mesh("checkout", registry).meterRegistry(meters).openTelemetry(otel).build();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  @Test
  void producesAndConsumesWithHeadersLineageMetricsAndTraces() throws Exception {
    MeshProducer<OrderPlaced> producer = mesh.producer(OrderPlaced.class);
    Instant eventTime = Instant.parse("2026-11-25T10:00:00Z");
    SendResult sent =
        producer
            .send(
                new OrderPlaced("o-1", "ada@example.com", 4200),
                io.meshsdk.producer.SendOptions.builder().eventTime(eventTime).build())
            .get(30, TimeUnit.SECONDS);
    assertThat(sent.topic()).isEqualTo("roundtrip.order-placed.v1");
    assertThat(sent.schemaId()).isEqualTo(registry.latest("roundtrip.order-placed.v1-value").id());

    List<ConsumedEvent<OrderPlaced>> received = new CopyOnWriteArrayList<>();
    mesh.consumer(OrderPlaced.class).group("billing").handle(received::add).start();

    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
    ConsumedEvent<OrderPlaced> event = received.get(0);
    assertThat(event.value()).isEqualTo(new OrderPlaced("o-1", "ada@example.com", 4200));
    assertThat(event.key()).isEqualTo("o-1");
    assertThat(event.eventId()).isEqualTo(sent.eventId());
    assertThat(event.eventTime()).isEqualTo(eventTime);
    assertThat(event.writerVersion()).contains("1.2");
    assertThat(event.offset()).isEqualTo(sent.offset());
    assertThat(event.lineage().self().id()).isEqualTo(sent.eventId());
    assertThat(event.lineage().self().type()).isEqualTo("roundtrip.order-placed.v1");
    assertThat(event.lineage().isDerived()).isFalse();

    // metrics
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(
                      meters
                          .get(MeshMetrics.PRODUCE)
                          .tag("outcome", "success")
                          .tag("product", "roundtrip.order-placed")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      meters
                          .get(MeshMetrics.CONSUME)
                          .tag("outcome", "success")
                          .tag("group", "billing")
                          .timer()
                          .count())
                  .isEqualTo(1);
            });
    assertThat(meters.get(MeshMetrics.PRODUCE_BYTES).summary().totalAmount()).isGreaterThan(5);
    assertThat(meters.get(MeshMetrics.CONSUME_FRESHNESS).timer().totalTime(TimeUnit.SECONDS))
        .isGreaterThan(60);
    assertThat(meters.find("kafka.producer.record.send.total").meters()).isNotEmpty();

    // traces: the consumer's process span is a child of the producer's publish span
    await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().size() >= 2);
    SpanData publish = span(SpanKind.PRODUCER);
    SpanData process = span(SpanKind.CONSUMER);
    assertThat(publish.getName()).isEqualTo("publish roundtrip.order-placed.v1");
    assertThat(process.getName()).isEqualTo("process roundtrip.order-placed.v1");
    assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
    assertThat(process.getTraceId()).isEqualTo(publish.getTraceId());
    assertThat(publish.getAttributes().asMap().toString())
        .contains("messaging.system=kafka")
        .contains("messaging.kafka.message.key=o-1");
    assertThat(process.getAttributes().asMap().toString())
        .contains("messaging.consumer.group.name=billing");
  }

  @Test
  void recordsAreValidCloudEventsWithOneTraceparent() throws Exception {
    MeshProducer<OrderPlaced> producer = mesh.producer(OrderPlaced.class);
    SendResult sent =
        producer.send(new OrderPlaced("o-2", "b@example.com", 1)).get(30, TimeUnit.SECONDS);

    ConsumerRecord<byte[], byte[]> raw =
        Broker.readAll(sent.topic(), 1, false).stream()
            .filter(r -> r.offset() == sent.offset())
            .findFirst()
            .orElseThrow();
    try (CloudEventDeserializer ce = new CloudEventDeserializer()) {
      ce.configure(Map.of(), false);
      CloudEvent event = ce.deserialize(sent.topic(), raw.headers(), raw.value());
      assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
      assertThat(event.getId()).isEqualTo(sent.eventId());
      assertThat(event.getType()).isEqualTo("roundtrip.order-placed.v1");
      assertThat(event.getSource().toString()).isEqualTo("/mesh/checkout");
      assertThat(event.getTime().toInstant()).isEqualTo(sent.eventTime());
      assertThat(event.getDataContentType()).isEqualTo("application/avro");
      assertThat(event.getDataSchema().toString()).isEqualTo("urn:mesh:schema:" + sent.schemaId());
      assertThat(event.getExtension("meshversion")).isEqualTo("1.2");
      assertThat(event.getData().toBytes()).isEqualTo(raw.value());
    }
    int traceparents = 0;
    for (Header h : raw.headers().headers(MeshHeaders.TRACEPARENT)) {
      traceparents++;
      assertThat(new String(h.value(), StandardCharsets.UTF_8)).startsWith("00-");
    }
    assertThat(traceparents).isEqualTo(1);
  }

  @Test
  void aContractViolationSendsNothingAndIsCounted() {
    MeshProducer<OrderPlaced> producer = mesh.producer(OrderPlaced.class);
    assertThatThrownBy(() -> producer.send(new OrderPlaced("o-3", "secret@example.com", -1)))
        .isInstanceOf(ContractViolationException.class)
        .hasMessageContaining("amountCents")
        .hasMessageNotContaining("secret@example.com");
    assertThat(meters.get(MeshMetrics.CONTRACT_VIOLATIONS).counter().count()).isEqualTo(1);
    assertThat(meters.get(MeshMetrics.PRODUCE).tag("outcome", "success").timer().count()).isZero();
  }

  @Test
  void keepsATraceparentTheCallerSetAndReportsLag() throws Exception {
    MeshProducer<OrderPlaced> producer = mesh.producer(OrderPlaced.class);
    String given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    SendResult sent =
        producer
            .send(
                new OrderPlaced("o-4", "c@example.com", 7),
                io.meshsdk.producer.SendOptions.builder().header("traceparent", given).build())
            .get(30, TimeUnit.SECONDS);
    ConsumerRecord<byte[], byte[]> raw =
        Broker.readAll(sent.topic(), 1, false).stream()
            .filter(r -> r.offset() == sent.offset())
            .findFirst()
            .orElseThrow();
    List<String> traceparents = new java.util.ArrayList<>();
    for (Header h : raw.headers().headers(MeshHeaders.TRACEPARENT)) {
      traceparents.add(new String(h.value(), StandardCharsets.UTF_8));
    }
    assertThat(traceparents).containsExactly(given);

    List<ConsumedEvent<OrderPlaced>> received = new CopyOnWriteArrayList<>();
    mesh.consumer(OrderPlaced.class).group("lag-watch").handle(received::add).start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> received.stream().anyMatch(e -> e.offset() == sent.offset()));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get(MeshMetrics.CONSUME_LAG)
                            .tag("group", "lag-watch")
                            .gauge()
                            .value())
                    .isZero());
  }

  @Test
  void aBrokenTracerNeverReachesUserCode() throws Exception {
    io.opentelemetry.api.trace.Tracer broken =
        new io.opentelemetry.api.trace.Tracer() {
          @Override
          public io.opentelemetry.api.trace.SpanBuilder spanBuilder(String name) {
            throw new IllegalStateException("exporter down");
          }
        };
    io.opentelemetry.api.OpenTelemetry otel =
        new io.opentelemetry.api.OpenTelemetry() {
          @Override
          public io.opentelemetry.api.trace.TracerProvider getTracerProvider() {
            return new io.opentelemetry.api.trace.TracerProvider() {
              @Override
              public io.opentelemetry.api.trace.Tracer get(String name) {
                return broken;
              }

              @Override
              public io.opentelemetry.api.trace.Tracer get(String name, String version) {
                return broken;
              }
            };
          }

          @Override
          public ContextPropagators getPropagators() {
            return ContextPropagators.noop();
          }
        };
    try (Mesh fragile = Broker.mesh("fragile", registry).openTelemetry(otel).build()) {
      SendResult sent =
          fragile
              .producer(BrokenTracing.class)
              .send(new BrokenTracing("b-1"))
              .get(30, TimeUnit.SECONDS);
      List<ConsumedEvent<BrokenTracing>> received = new CopyOnWriteArrayList<>();
      fragile.consumer(BrokenTracing.class).group("fragile").handle(received::add).start();
      await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
      assertThat(received.get(0).eventId()).isEqualTo(sent.eventId());
    }
  }

  @DataProduct(
      domain = "roundtrip",
      name = "broken-tracing",
      version = "1.0",
      owner = "team-obs",
      description = "A probe.")
  record BrokenTracing(@Key @Doc("Id") String id) {}

  private SpanData span(SpanKind kind) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == kind)
        .findFirst()
        .orElseThrow();
  }
}
