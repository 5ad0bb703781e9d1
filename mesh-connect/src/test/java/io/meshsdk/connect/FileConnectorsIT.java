package io.meshsdk.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Kafka Connect worker in the test JVM (connect-runtime, standalone) with Kafka's own file
 * connectors, on the embedded broker: lines of a file become a product through {@link
 * MeshConverter}, and a file sink reads the product back. Counted end to end: lines in the file =
 * products + the converter's dead letters; records in the product topic = rows the sink wrote +
 * Connect's dead letters.
 */
class FileConnectorsIT {
  @DataProduct(
      domain = "files",
      name = "order-line",
      version = "1.0",
      owner = "team-orders",
      description = "An order line, from the nightly CSV export.")
  public record OrderLine(
      @Key @Doc("Order id") String orderId,
      @Positive @Doc("Total in cents") long amountCents,
      @NotBlank @Doc("Currency") String currency) {}

  /** The export's lines, {@code id,cents,currency}, onto the product. */
  public static final class CsvOrderLines implements ConnectMapping<OrderLine> {
    @Override
    public OrderLine toProduct(String topic, @Nullable Schema schema, Object value) {
      String[] parts = value.toString().split(",", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException(parts.length + " columns, not 3");
      }
      return new OrderLine(parts[0].trim(), Long.parseLong(parts[1].trim()), parts[2].trim());
    }
  }

  private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
  private final String registry = "connect-it-" + UUID.randomUUID();
  private final String prefix = "c" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private final String topic = prefix + ProductContract.of(OrderLine.class).topic();
  private @Nullable ConnectWorker connect;

  @AfterEach
  void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void linesOfAFileBecomeAProductThatAFileSinkReadsBackCountedEndToEnd(@TempDir Path dir)
      throws Exception {
    // 60 lines: every 12th is not CSV, every 17th has a negative total
    List<String> lines = new ArrayList<>();
    int unmappable = 0;
    int violations = 0;
    for (int i = 0; i < 60; i++) {
      if (i % 12 == 5) {
        lines.add("garbage line " + i);
        unmappable++;
      } else if (i % 17 == 3) {
        lines.add("o-" + i + ",-" + i + ",EUR");
        violations++;
      } else {
        lines.add("o-" + i + "," + (100 + i) + ",EUR");
      }
    }
    int good = lines.size() - unmappable - violations;
    Path input = dir.resolve("orders.csv");
    Files.write(input, lines);
    Path output = dir.resolve("sink.txt");
    String converterDlq = topic + ".connect.dlq";
    String sinkDlq = topic + ".sink.dlq";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }

    // the worker's metrics reporter would add its registry here
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(meters);
    ConnectWorker worker = new ConnectWorker(broker.bootstrapServers(), dir);
    connect = worker;
    Map<String, String> source = new HashMap<>(converter());
    source.put("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector");
    source.put("tasks.max", "1");
    source.put("file", input.toString());
    source.put("topic", topic);
    source.put("value.converter.mesh.connect.mapping", CsvOrderLines.class.getName());
    source.put("value.converter.mesh.connect.dead.letter.topic", converterDlq);
    source.put("value.converter.bootstrap.servers", broker.bootstrapServers());
    source.put("transforms", "position");
    source.put("transforms.position.type", MeshSourcePosition.class.getName());
    // the converter dead-letters what it refuses, then Connect skips it
    source.put("errors.tolerance", "all");
    worker.put("orders-file", source);

    List<ConsumerRecord<byte[], byte[]>> products = worker.read(topic, good);
    List<ConsumerRecord<byte[], byte[]>> dead = worker.read(converterDlq, unmappable + violations);
    // lines in the file = records in the product + dead letters, nothing lost, nothing twice
    assertThat(products).hasSize(good);
    assertThat(dead).hasSize(unmappable + violations);
    assertThat(products.size() + dead.size()).isEqualTo(lines.size());
    MeshDeserializer<OrderLine> decode =
        MeshDeserializer.of(
            ProductContract.of(OrderLine.class), InMemorySchemaRegistry.named(registry));
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : products) {
      OrderLine line = decode.deserialize(topic, r.headers(), r.value());
      int i = Integer.parseInt(line.orderId().substring(2));
      assertThat(line).isEqualTo(new OrderLine("o-" + i, 100 + i, "EUR"));
      assertThat(r.key()).isNull(); // the file source writes no keys
      // the file and the position after the line: where the record came from
      EventRef parent = Lineage.parseParents(header(r, MeshHeaders.PARENTS)).get(0);
      assertThat(parent.type()).isEqualTo("connect.orders-file");
      assertThat(parent.topic()).isEqualTo("orders-file");
      assertThat(parent.partition()).isZero(); // task 0
      assertThat(parent.id()).startsWith("filename=" + input + "@position=");
      assertThat(parent.offset()).isPositive();
      assertThat(header(r, MeshHeaders.TYPE)).isEqualTo("files.order-line.v1");
      assertThat(ids.add(header(r, MeshHeaders.ID))).isTrue();
    }
    Map<String, Long> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> d : dead) {
      reasons.merge(header(d, MeshHeaders.DLQ_REASON), 1L, Long::sum);
      assertThat(lines)
          .contains(new String(d.value(), StandardCharsets.UTF_8)); // the line as it was
      assertThat(header(d, "mesh.connect.connector")).isEqualTo("orders-file");
    }
    assertThat(reasons)
        .containsEntry("unmappable", (long) unmappable)
        .containsEntry("contract_violation", (long) violations);

    // records that are no product: raw bytes, and a product breaking the contract
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic, "not avro at all".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
      byte[] broken =
          MeshSerializer.builder(
                  ProductContract.of(OrderLine.class), InMemorySchemaRegistry.named(registry))
              .checkContract(false)
              .build()
              .serialize(topic, new OrderLine("o-bad", -1, "EUR"));
      raw.send(new ProducerRecord<>(topic, broken)).get(30, TimeUnit.SECONDS);
    }
    Map<String, String> sink = new HashMap<>(converter());
    sink.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
    sink.put("tasks.max", "1");
    sink.put("topics", topic);
    sink.put("file", output.toString());
    sink.put("errors.tolerance", "all");
    sink.put("errors.deadletterqueue.topic.name", sinkDlq);
    sink.put("errors.deadletterqueue.topic.replication.factor", "1");
    sink.put("errors.deadletterqueue.context.headers.enable", "true");
    worker.put("orders-sink", sink);

    List<ConsumerRecord<byte[], byte[]>> refused = worker.read(sinkDlq, 2);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(output) && Files.readAllLines(output).size() >= good);
    List<String> rows = Files.readAllLines(output);
    // records in the product topic = rows out of the sink + Connect's dead letters
    assertThat(rows).hasSize(good);
    assertThat(refused).hasSize(2);
    assertThat(rows.size() + refused.size()).isEqualTo(good + 2);
    assertThat(rows).allSatisfy(r -> assertThat(r).startsWith("Struct{orderId=o-"));
    assertThat(refused)
        .extracting(r -> header(r, "__connect.errors.exception.message"))
        .anySatisfy(m -> assertThat(m).contains("contract_violation"));
    // and the converter's counts say the same
    java.util.function.ToDoubleFunction<String> count =
        outcome ->
            meters
                .find("mesh.connect.records")
                .tag("topic", topic)
                .tag("outcome", outcome)
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    assertThat(count.applyAsDouble("mapped")).isEqualTo(good);
    assertThat(count.applyAsDouble("unmappable")).isEqualTo(unmappable);
    assertThat(count.applyAsDouble("contract_violation")).isEqualTo(violations);
    assertThat(count.applyAsDouble("read")).isEqualTo(good);
    assertThat(count.applyAsDouble("refused")).isEqualTo(2);
    io.micrometer.core.instrument.Metrics.removeRegistry(meters);
  }

  private Map<String, String> converter() {
    return Map.of(
        "key.converter",
        "org.apache.kafka.connect.storage.StringConverter",
        "value.converter",
        MeshConverter.class.getName(),
        "value.converter.mesh.product.class",
        OrderLine.class.getName(),
        "value.converter.schema.registry.url",
        "mock://" + registry,
        "value.converter.mesh.application",
        "orders-connect");
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
