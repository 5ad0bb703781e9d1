package io.meshsdk.testkit;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.testkit.memory.InMemoryKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka Streams topology run in Kafka's {@link TopologyTestDriver} against a {@link TestMesh}'s
 * in-memory Kafka: tested in milliseconds, with the same assertions as any Mesh test. What the
 * mesh's producers write to the topology's source topics goes through the topology on {@link
 * #process()}, and what the topology writes (products, dead letters) lands in the in-memory topics,
 * where {@code mesh.published(...)}, {@code mesh.deadLetters(...)}, {@code mesh.ancestors(...)} and
 * {@code mesh.metrics()} see it.
 *
 * <pre>{@code
 * @MeshTest
 * class RevenueTest {
 *   @Test
 *   void sumsPerCurrency(TestMesh mesh) {
 *     MeshStreams streams = MeshStreams.of(mesh);
 *     try (TestTopology topology =
 *         TestTopology.of(mesh, Revenue.topology(streams), streams.properties())) {
 *       mesh.producer(PaymentReceived.class).send(payment("p-1", "EUR", 10));
 *       topology.process();
 *       assertThat(mesh.published(RevenuePerCurrency.class)).hasSize(1);
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Needs {@code kafka-streams} and {@code kafka-streams-test-utils} on the test class path (the
 * testkit does not bring them). The driver reads every topic as one partition; the positions it
 * reports (the parents in {@code ce_meshparents}, {@code mesh.dlq.partition} and {@code
 * mesh.dlq.offset}) are translated back to the partition and offset each record has in the
 * in-memory topic, so lineage and dead letters name real positions. The driver's wall clock moves
 * only with {@link #advanceTime(Duration)}.
 *
 * <p>Thread-safety: not thread-safe; one test thread. Ownership: it owns the driver and closes it
 * in {@link #close()}; the mesh stays open.
 */
public final class TestTopology implements AutoCloseable {
  private final TopologyTestDriver driver;
  private final InMemoryKafka kafka;
  private final Producer<byte[], byte[]> producer;
  private final String applicationId;
  private final List<String> sources;
  private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
  private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new HashMap<>();

  /** Per source topic, the in-memory position of each record by the driver's offset. */
  private final Map<String, List<long[]>> positions = new HashMap<>();

  private TestTopology(TestMesh mesh, Topology topology, Properties properties) {
    this.kafka =
        mesh.inMemoryKafka()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "TestTopology runs on the in-memory Kafka of @MeshTest; with broker ="
                            + " EMBEDDED run the topology in KafkaStreams against"
                            + " mesh.bootstrapServers()"));
    Properties p = new Properties();
    p.putAll(properties);
    this.applicationId =
        Objects.requireNonNull(
                p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                "the properties need " + StreamsConfig.APPLICATION_ID_CONFIG)
            .trim();
    this.sources = sourceTopics(topology, applicationId);
    this.driver = new TopologyTestDriver(topology, p, Instant.now());
    this.producer = kafka.producer(Map.of());
  }

  /**
   * Runs a topology in a driver wired to the mesh's in-memory Kafka.
   *
   * @param mesh a test mesh in {@link BrokerMode#IN_MEMORY} mode
   * @param topology the topology
   * @param properties its Kafka Streams configuration (for example {@code
   *     MeshStreams.properties()}); {@code application.id} is required
   * @return the running topology; close it
   * @throws IllegalStateException if the mesh is not in memory
   */
  public static TestTopology of(TestMesh mesh, Topology topology, Properties properties) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(properties, "properties");
    return new TestTopology(mesh, topology, properties);
  }

  /**
   * Pipes every record written to the topology's source topics since the last call (in order of
   * partition, then offset, per topic) through the topology, then writes what the topology output
   * to the in-memory topics.
   *
   * @return how many records were piped
   */
  public int process() {
    int n = 0;
    for (String topic : sources) {
      List<ConsumerRecord<byte[], byte[]>> fresh = fresh(topic, kafka.records(topic));
      if (fresh.isEmpty()) {
        continue;
      }
      TestInputTopic<byte[], byte[]> in =
          inputs.computeIfAbsent(
              topic,
              t ->
                  driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
      for (ConsumerRecord<byte[], byte[]> r : fresh) {
        positions
            .computeIfAbsent(topic, t -> new ArrayList<>())
            .add(new long[] {r.partition(), r.offset()});
        in.pipeInput(
            new TestRecord<>(
                r.key(),
                r.value(),
                new RecordHeaders(r.headers().toArray()),
                Instant.ofEpochMilli(r.timestamp())));
        n++;
      }
    }
    drain();
    return n;
  }

  private final Map<String, Set<String>> seen = new HashMap<>();

  /**
   * The records of a topic not piped yet, by timestamp (the in-memory topic lists them partition by
   * partition), each partition in offset order.
   */
  private List<ConsumerRecord<byte[], byte[]>> fresh(
      String topic, List<ConsumerRecord<byte[], byte[]>> all) {
    Set<String> done = seen.computeIfAbsent(topic, t -> new HashSet<>());
    List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : all) {
      if (done.add(r.partition() + "@" + r.offset())) {
        fresh.add(r);
      }
    }
    fresh.sort(
        Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
            .thenComparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    return fresh;
  }

  /**
   * Moves the driver's wall clock (punctuations, suppression, windows closing) and writes what the
   * topology output meanwhile to the in-memory topics.
   *
   * @param by how far
   */
  public void advanceTime(Duration by) {
    driver.advanceWallClockTime(by);
    drain();
  }

  /**
   * The driver, for what this class does not cover (state stores, for one).
   *
   * @return the driver
   */
  public TopologyTestDriver driver() {
    return driver;
  }

  /** Copies what the topology wrote to its (non-internal) output topics into in-memory Kafka. */
  private void drain() {
    for (String topic : new TreeSet<>(driver.producedTopicNames())) {
      if (internal(topic, applicationId)) {
        continue;
      }
      TestOutputTopic<byte[], byte[]> out =
          outputs.computeIfAbsent(
              topic,
              t ->
                  driver.createOutputTopic(
                      t, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
      for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
        Instant time = r.getRecordTime();
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                time == null ? null : time.toEpochMilli(),
                r.key(),
                r.value(),
                translated(r.headers())));
      }
    }
    producer.flush();
  }

  /** The headers with the driver's positions replaced by the in-memory topics' own. */
  private Headers translated(Headers in) {
    RecordHeaders out = new RecordHeaders();
    @Nullable String dlqTopic = text(in.lastHeader(MeshHeaders.DLQ_TOPIC));
    @Nullable String dlqOffset = text(in.lastHeader(MeshHeaders.DLQ_OFFSET));
    long[] dlqAt = dlqTopic == null || dlqOffset == null ? null : position(dlqTopic, dlqOffset);
    // a dead letter keeps the failed record's own headers, whose parents are real positions
    boolean written = in.lastHeader(MeshHeaders.DLQ_REASON) == null;
    for (Header h : in) {
      String key = h.key();
      if (written && key.equals(MeshHeaders.PARENTS) && h.value() != null) {
        out.add(key, parents(new String(h.value(), StandardCharsets.UTF_8)));
      } else if (dlqAt != null && key.equals(MeshHeaders.DLQ_PARTITION)) {
        out.add(key, Long.toString(dlqAt[0]).getBytes(StandardCharsets.UTF_8));
      } else if (dlqAt != null && key.equals(MeshHeaders.DLQ_OFFSET)) {
        out.add(key, Long.toString(dlqAt[1]).getBytes(StandardCharsets.UTF_8));
      } else {
        out.add(h);
      }
    }
    return out;
  }

  private byte[] parents(String header) {
    List<String> refs = new ArrayList<>();
    for (String one : header.split(",")) {
      EventRef ref;
      try {
        ref = EventRef.parse(one);
      } catch (RuntimeException e) {
        refs.add(one); // not a reference: left as it is, for the test to see
        continue;
      }
      long[] at = ref.partition() == 0 ? position(ref.topic(), ref.offset()) : null;
      refs.add(
          at == null
              ? one
              : new EventRef(ref.type(), ref.id(), ref.topic(), (int) at[0], at[1]).toString());
    }
    return String.join(",", refs).getBytes(StandardCharsets.UTF_8);
  }

  private long @Nullable [] position(String topic, String offset) {
    try {
      return position(topic, Long.parseLong(offset));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The in-memory position of the record the driver read at this offset of a source topic. */
  private long @Nullable [] position(String topic, long driverOffset) {
    List<long[]> p = positions.get(topic);
    return p == null || driverOffset < 0 || driverOffset >= p.size()
        ? null
        : p.get((int) driverOffset);
  }

  private static @Nullable String text(@Nullable Header h) {
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Kafka Streams' own topics: {@code {application.id}-...-repartition|changelog}. */
  private static boolean internal(String topic, String applicationId) {
    return topic.startsWith(applicationId + "-")
        && (topic.endsWith("-repartition") || topic.endsWith("-changelog"));
  }

  /** The topics the topology reads that are not its own internal ones. */
  private static List<String> sourceTopics(Topology topology, String applicationId) {
    Set<String> topics = new LinkedHashSet<>();
    for (TopologyDescription.Subtopology s : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : s.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          for (String t : source.topicSet()) {
            if (!t.endsWith("-repartition") && !t.endsWith("-changelog")) {
              topics.add(t);
            }
          }
        }
      }
    }
    for (TopologyDescription.GlobalStore g : topology.describe().globalStores()) {
      topics.addAll(g.source().topicSet());
    }
    topics.removeIf(t -> internal(t, applicationId));
    return List.copyOf(topics);
  }

  /** Closes the driver (its state stores); the mesh stays open. */
  @Override
  public void close() {
    try {
      driver.close();
    } finally {
      producer.close();
    }
  }

  @Override
  public String toString() {
    return "TestTopology[" + applicationId + ", sources " + sources + "]";
  }
}
