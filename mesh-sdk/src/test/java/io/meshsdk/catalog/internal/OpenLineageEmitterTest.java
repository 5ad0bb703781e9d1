package io.meshsdk.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.consumer.ErrorAction;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.memory.InMemoryKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.constraints.PositiveOrZero;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A mesh on the in-memory Kafka sends its OpenLineage run events: to an HTTP endpoint (a JDK {@code
 * HttpServer}), a Kafka topic and the log; every event received validates against OpenLineage's
 * schemas. An unreachable endpoint costs no record.
 */
class OpenLineageEmitterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "ol-test";

  @DataProduct(
      domain = "ol",
      name = "order",
      version = "1.0",
      owner = "team-ol",
      description = "An order.")
  public record Order(@Key @Doc("Id") String id, @Doc("Cents") @PositiveOrZero long cents) {}

  @DataProduct(
      domain = "ol",
      name = "invoice",
      version = "1.0",
      owner = "team-ol",
      description = "An invoice.")
  public record Invoice(@Key @Doc("Order id") String orderId, @Doc("Cents") long cents) {}

  private final InMemoryKafka kafka = new InMemoryKafka();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private Mesh mesh;

  @AfterEach
  void stop() {
    if (mesh != null) {
      mesh.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private String startEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/lineage",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(JSON.readTree(body));
            authorizations.add(
                String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(201, -1);
          }
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private Mesh mesh(Map<String, String> lineage) {
    Map<String, Object> properties = new HashMap<>(lineage);
    return Mesh.builder()
        .application(APP)
        .bootstrapServers("in-memory:9092")
        .schemaRegistry(new InMemorySchemaRegistry())
        .meterRegistry(meters)
        .kafkaClientFactory(KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin))
        .properties(properties)
        .build();
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.get("eventType").asText()).toList();
  }

  private static JsonNode dataset(JsonNode event, String side, String topic) {
    for (JsonNode d : event.get(side)) {
      if (d.get("name").asText().equals(topic)) {
        return d;
      }
    }
    return JSON.missingNode();
  }

  private static void assertValid(List<JsonNode> events) {
    for (JsonNode e : events) {
      assertThat(OpenLineageSchemas.allErrors(e)).as(e.toPrettyString()).isEmpty();
    }
  }

  private double events(String outcome) {
    return meters
        .get(MeshMetrics.OPENLINEAGE_EVENTS)
        .tag(MeshMetrics.TAG_OUTCOME, outcome)
        .counter()
        .count();
  }

  @Test
  void aMeshSendsStartRunningSnapshotsWithItsFiguresAndCompleteOverHttp() throws Exception {
    String url = startEndpoint();
    mesh =
        mesh(
            Map.of(
                MeshBuilder.OPENLINEAGE_TRANSPORT, "http",
                MeshBuilder.OPENLINEAGE_URL, url,
                MeshBuilder.OPENLINEAGE_API_KEY, "s3cret-key",
                MeshBuilder.OPENLINEAGE_NAMESPACE, "test-env",
                MeshBuilder.OPENLINEAGE_INTERVAL_MS, "100"));
    assertThat(mesh.toString()).doesNotContain("s3cret-key");

    MeshProducer<Order> orders = mesh.producer(Order.class);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
    JsonNode start = received.get(0);
    assertThat(start.get("eventType").asText()).isEqualTo("START");
    assertThat(start.at("/job/namespace").asText()).isEqualTo("test-env");
    assertThat(start.at("/job/name").asText()).isEqualTo(APP);
    assertThat(start.at("/job/facets/jobType/processingType").asText()).isEqualTo("STREAMING");
    assertThat(dataset(start, "outputs", orders.topic()).get("namespace").asText())
        .isEqualTo("kafka://in-memory:9092");

    for (int i = 0; i < 5; i++) {
      orders.send(new Order("o-" + i, 100)).join();
    }
    assertThatThrownBy(() -> orders.send(new Order("bad", -1)))
        .isInstanceOf(ContractViolationException.class);
    // a record no reader can decode: dead-lettered as a contract violation of the input
    var unused =
        kafka
            .producer(Map.of())
            .send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    orders.topic(),
                    "poison".getBytes(StandardCharsets.UTF_8),
                    new byte[] {0, 0, 0}));
    List<String> handled = new CopyOnWriteArrayList<>();
    MeshConsumer<Order> billing =
        mesh.consumer(Order.class)
            .group("billing")
            .startFrom(StartPosition.earliest())
            .errorHandler(f -> ErrorAction.DEAD_LETTER)
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
        .until(() -> handled.size() == 4 && kafka.records(billing.deadLetterTopic()).size() == 2);

    // a snapshot with every dataset and the figures as they are now
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                received.stream()
                    .anyMatch(
                        e ->
                            e.get("eventType").asText().equals("RUNNING")
                                && dataset(e, "inputs", orders.topic())
                                        .at("/inputFacets/inputStatistics/rowCount")
                                        .asLong()
                                    == 6));
    JsonNode snapshot =
        received.stream()
            .filter(
                e ->
                    dataset(e, "inputs", orders.topic())
                            .at("/inputFacets/inputStatistics/rowCount")
                            .asLong()
                        == 6)
            .reduce((a, b) -> b)
            .orElseThrow();
    JsonNode output = dataset(snapshot, "outputs", orders.topic());
    assertThat(output.at("/outputFacets/outputStatistics/rowCount").asLong()).isEqualTo(5);
    assertThat(output.at("/outputFacets/meshsdk_dataQuality/contractViolations").asLong())
        .isEqualTo(1);
    JsonNode input = dataset(snapshot, "inputs", orders.topic());
    // 4 handled, 1 refused by the handler, 1 undecodable: 6 read, 2 dead letters, 1 violation
    assertThat(input.at("/inputFacets/meshsdk_dataQuality/deadLetters").asLong()).isEqualTo(2);
    assertThat(input.at("/inputFacets/meshsdk_dataQuality/contractViolations").asLong())
        .isEqualTo(1);
    assertThat(input.at("/inputFacets/dataQualityAssertions/assertions"))
        .extracting(a -> a.get("success").asBoolean())
        .containsExactly(false, false);
    JsonNode deadLetters = dataset(snapshot, "outputs", billing.deadLetterTopic());
    assertThat(deadLetters.at("/outputFacets/outputStatistics/rowCount").asLong()).isEqualTo(2);
    assertThat(input.at("/facets/schema/fields").findValuesAsText("name")).contains("id", "cents");

    mesh.close();
    List<JsonNode> all = List.copyOf(received);
    assertThat(types(all)).first().isEqualTo("START");
    assertThat(types(all)).last().isEqualTo("COMPLETE");
    assertThat(types(all).subList(1, all.size() - 1)).containsOnly("RUNNING").isNotEmpty();
    assertThat(all)
        .extracting(e -> e.at("/run/runId").asText())
        .containsOnly(all.get(0).at("/run/runId").asText());
    assertThat(all.get(0).at("/run/runId").asText().charAt(14)).isEqualTo('7'); // UUID v7
    assertThat(authorizations).containsOnly("Bearer s3cret-key");
    assertValid(all);
    // the final event carries the figures of the clients before they closed
    assertThat(
            dataset(all.get(all.size() - 1), "outputs", orders.topic())
                .at("/outputFacets/outputStatistics/rowCount")
                .asLong())
        .isEqualTo(5);
    assertThat(events("failed")).isZero();
    assertThat(events("sent")).isEqualTo(all.size());
  }

  @Test
  void aProcessorsInputAndOutputAreListedAndAConsumerThatStopsOnAFailureFailsTheRun()
      throws Exception {
    String url = startEndpoint();
    mesh =
        mesh(
            Map.of(
                MeshBuilder.OPENLINEAGE_TRANSPORT, "http",
                MeshBuilder.OPENLINEAGE_URL, url + "/",
                MeshBuilder.OPENLINEAGE_INTERVAL_MS, "60000"));
    mesh.processor(Order.class, Invoice.class)
        .group("invoicing")
        .process(
            (e, out) -> {
              var unused = out.send(new Invoice(e.value().id(), e.value().cents()));
            })
        .start();
    MeshProducer<Order> orders = mesh.producer(Order.class);
    MeshConsumer<Order> consumer =
        mesh.consumer(Order.class)
            .group("auditing")
            .startFrom(StartPosition.earliest())
            .errorHandler(f -> ErrorAction.STOP)
            .handle(
                e -> {
                  throw new IllegalStateException("cannot audit " + e.value().id());
                })
            .start();
    orders.send(new Order("o-1", 100)).join();

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> types(received).contains("FAIL"));
    assertThat(consumer.failure()).isPresent();
    mesh.close();
    List<JsonNode> all = List.copyOf(received);
    assertThat(types(all)).first().isEqualTo("START");
    assertThat(types(all)).last().isEqualTo("FAIL"); // the run ended there: no COMPLETE
    assertThat(types(all)).doesNotContain("COMPLETE");
    JsonNode fail = all.get(all.size() - 1);
    String message = fail.at("/run/facets/errorMessage/message").asText();
    assertThat(message).contains("auditing", orders.topic(), "IllegalStateException");
    assertThat(message).doesNotContain("o-1"); // a handler's message may quote the record
    // the processor reads the orders and writes the invoices; the job namespace defaults to the
    // datasets' namespace
    assertThat(fail.at("/job/namespace").asText()).isEqualTo("kafka://in-memory:9092");
    assertThat(fail.get("inputs").findValuesAsText("name")).contains(orders.topic());
    assertThat(fail.get("outputs").findValuesAsText("name"))
        .contains(orders.topic(), "ol.invoice.v1", consumer.deadLetterTopic());
    assertValid(all);
  }

  @Test
  void anUnreachableEndpointIsLoggedOnceAndCostsNoRecord() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    int n = 200;
    try (CapturedLog log = new CapturedLog()) {
      mesh =
          mesh(
              Map.of(
                  MeshBuilder.OPENLINEAGE_TRANSPORT, "http",
                  MeshBuilder.OPENLINEAGE_URL, "http://user:pa55word@127.0.0.1:" + closedPort,
                  MeshBuilder.OPENLINEAGE_API_KEY, "s3cret-key",
                  MeshBuilder.OPENLINEAGE_INTERVAL_MS, "20"));
      MeshProducer<Order> orders = mesh.producer(Order.class);
      List<String> handled = new CopyOnWriteArrayList<>();
      mesh.consumer(Order.class)
          .group("billing")
          .startFrom(StartPosition.earliest())
          .handle(e -> handled.add(e.value().id()))
          .start();
      for (int i = 0; i < n; i++) {
        orders.send(new Order("o-" + i, i)).join();
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == n);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events("failed") >= 3);
      assertThat(handled).doesNotHaveDuplicates().hasSize(n);
      assertThat(kafka.records(orders.topic())).hasSize(n);
      mesh.close();

      List<String> warnings = log.lines("OpenLineage events cannot be sent");
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0))
          .contains(APP, "127.0.0.1:" + closedPort)
          .doesNotContain("pa55word")
          .doesNotContain("s3cret-key");
      assertThat(log.lines("pa55word")).isEmpty();
      assertThat(log.lines("s3cret-key")).isEmpty();
    }
    assertThat(events("sent")).isZero();
  }

  @Test
  void theKafkaTransportWritesEachEventToItsTopicKeyedByTheJob() {
    mesh =
        mesh(
            Map.of(
                MeshBuilder.OPENLINEAGE_TRANSPORT, "kafka",
                MeshBuilder.OPENLINEAGE_TOPIC, "openlineage.events",
                MeshBuilder.OPENLINEAGE_NAMESPACE, "test-env"));
    MeshProducer<Order> orders = mesh.producer(Order.class);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !kafka.records("openlineage.events").isEmpty());
    mesh.close();

    List<ConsumerRecord<byte[], byte[]>> records = kafka.records("openlineage.events");
    List<JsonNode> events = records.stream().map(r -> read(r.value())).toList();
    assertThat(types(events)).containsExactly("START", "COMPLETE");
    assertThat(records)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsOnly("test-env/" + APP);
    assertThat(events.get(0).get("outputs").findValuesAsText("name")).contains(orders.topic());
    assertValid(events);
  }

  @Test
  void theLogTransportWritesOneLinePerEvent() {
    try (CapturedLog log = new CapturedLog()) {
      mesh = mesh(Map.of(MeshBuilder.OPENLINEAGE_TRANSPORT, "LOG"));
      MeshProducer<Order> orders = mesh.producer(Order.class);
      mesh.close();

      List<JsonNode> events =
          log.lines(OpenLineageEmitter.EVENT_LOGGER + " - ").stream()
              .filter(l -> l.contains(APP))
              .map(l -> read(l.substring(l.indexOf(" - {") + 3)))
              .toList();
      assertThat(types(events)).containsExactly("START", "COMPLETE");
      assertThat(events.get(1).get("outputs").findValuesAsText("name")).contains(orders.topic());
      assertValid(events);
    }
  }

  @Test
  void withoutATransportNothingIsSentAndNoThreadStarts() {
    mesh = mesh(Map.of());
    mesh.producer(Order.class).send(new Order("o-1", 1)).join();
    mesh.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("mesh-openlineage-" + APP));
    assertThat(meters.find(MeshMetrics.OPENLINEAGE_EVENTS).counters()).isEmpty();
  }

  private static JsonNode read(byte[] json) {
    return read(new String(json, StandardCharsets.UTF_8));
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
