package io.meshsdk.streams;

import io.meshsdk.Mesh;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.governance.GovernanceException;
import io.meshsdk.internal.MeshContexts;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.Rfc3339;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.runtime.internal.TopicProvisioner;
import io.meshsdk.runtime.internal.TopicProvisioner.TopicSpec;
import io.meshsdk.streams.internal.ProduceTimer;
import io.meshsdk.streams.internal.StreamsMeters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Data products in a Kafka Streams application: the topology of one application, built on the
 * application's {@link Mesh}, reads and writes products as Mesh's own clients do.
 *
 * <pre>{@code
 * MeshStreams streams = MeshStreams.of(mesh);                  // application.id = mesh's application
 * StreamsBuilder builder = new StreamsBuilder();
 * streams.stream(builder, PaymentReceived.class)               // product serde, lineage, meters
 *     .groupBy((k, p) -> p.currency(), Grouped.with(Serdes.String(), streams.serde(PaymentReceived.class)))
 *     .aggregate(...)
 *     .toStream()
 *     .to(streams.topic(RevenuePerCurrency.class), streams.produced(RevenuePerCurrency.class));
 * Topology topology = streams.build(builder);                  // governance, topics
 * KafkaStreams app = new KafkaStreams(topology, streams.properties());
 * }</pre>
 *
 * <ul>
 *   <li>{@link #stream} reads a product's topic with its serde and {@link #lineage()}, and counts
 *       what it reads: {@code mesh.consume} (the time a record takes through the topology, {@code
 *       outcome} {@code success}, {@code dead_letter} or {@code failure}) and {@code
 *       mesh.consume.freshness}, the group being the application id.
 *   <li>{@link #produced} and {@link #serde} give the {@link MeshStreamsSerde} of a product, which
 *       writes its headers and counts {@code mesh.produce.bytes} and {@code
 *       mesh.contract.violations}; the producer interceptor that {@link #properties()} installs
 *       times {@code mesh.produce} from send to the broker's answer.
 *   <li>{@link #build} evaluates the mesh's governance policy for every product the topology reads
 *       or writes, and creates the topics of the products it writes and the dead-letter topics of
 *       those it reads (as the mesh's provisioning mode says), before anything runs.
 *   <li>{@link #properties()} configures Kafka Streams: the mesh's Kafka settings, {@code
 *       application.id}, {@link MeshStreamsDeadLetters} as all three exception handlers (counting
 *       {@code mesh.dlq}) and the producer interceptor.
 * </ul>
 *
 * <p>{@link #lineage()} alone, with {@link MeshStreamsSerde#of}, serves a topology built without a
 * {@code Mesh}. Kafka Streams carries a record's headers along through stateless operations, and a
 * join or an aggregation writes the headers of the record that triggered it; so the parent a
 * written record names is the input record it came from, for a join the record on the side that
 * triggered it, and for an aggregate the last event that changed it (not every event that
 * contributed). See {@code docs/streams.md}.
 *
 * <p>Thread-safety: thread-safe. An instance belongs to the application that created it; {@link
 * #close()} it after the {@code KafkaStreams} it configured (the mesh stays open). The processors
 * it supplies belong to one stream task each.
 */
public final class MeshStreams implements AutoCloseable {
  /**
   * The header {@link #lineage()} writes and {@link MeshStreamsSerde} turns into {@link
   * MeshHeaders#PARENTS} when it writes a product record: {@link EventRef#toString()} of the input
   * event. Internal to a topology: a product record never carries it.
   */
  static final String PARENT = "mesh.streams.parent";

  /**
   * Configuration key that {@link #properties()} sets: the id through which the handlers, serdes
   * and producer interceptor Kafka Streams creates by class name find this instance's meters.
   */
  public static final String INSTANCE = StreamsMeters.INSTANCE;

  private final MeshContext ctx;
  private final String applicationId;
  private final StreamsMeters meters;
  private final String id = UUID.randomUUID().toString();
  private final Map<String, ProductContract<?>> reads = new LinkedHashMap<>();
  private final Map<String, ProductContract<?>> writes = new LinkedHashMap<>();
  private final Map<String, ProductContract<?>> uses = new LinkedHashMap<>();

  private MeshStreams(MeshContext ctx, String applicationId) {
    this.ctx = ctx;
    this.applicationId = applicationId;
    this.meters = new StreamsMeters(id, ctx.telemetry(), ctx.application(), applicationId);
  }

  /**
   * The Kafka Streams side of a mesh, for the application whose {@code application.id} is the
   * mesh's application: its Kafka settings, registry, governance, topic names and meters.
   *
   * @param mesh an open mesh built by {@code Mesh.builder()} (or the testkit's {@code TestMesh})
   * @return a new instance, to close after the application
   * @throws IllegalArgumentException if the mesh is closed or not built by Mesh SDK
   */
  public static MeshStreams of(Mesh mesh) {
    Objects.requireNonNull(mesh, "mesh");
    return of(mesh, mesh.application());
  }

  /**
   * The Kafka Streams side of a mesh, for one of several Streams applications of the mesh's
   * application: {@code applicationId} is its {@code application.id}, its consumer group (the
   * {@code group} of its meters and dead letters, as a {@code MeshConsumer}'s group); the events it
   * writes come from the mesh's application ({@code ce_source}).
   *
   * @param mesh an open mesh built by {@code Mesh.builder()} (or the testkit's {@code TestMesh})
   * @param applicationId the Streams application id
   * @return a new instance, to close after the application
   * @throws IllegalArgumentException if the mesh is closed or not built by Mesh SDK, or the id is
   *     blank
   */
  public static MeshStreams of(Mesh mesh, String applicationId) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(applicationId, "applicationId");
    if (applicationId.isBlank()) {
      throw new IllegalArgumentException("the application id is blank");
    }
    return new MeshStreams(
        MeshContexts.of(mesh)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        mesh + " is closed, or not a mesh built by Mesh.builder()")),
        applicationId.trim());
  }

  /**
   * The Streams application id: {@code application.id}, the group in meters and dead letters.
   *
   * @return the id
   */
  public String applicationId() {
    return applicationId;
  }

  /**
   * A new configuration for Kafka Streams: the mesh's Kafka settings ({@code bootstrap.servers},
   * security ...), {@code application.id}, {@link MeshStreamsDeadLetters} as deserialization,
   * processing and production exception handler, the producer interceptor that times {@code
   * mesh.produce}, and {@value #INSTANCE}. Add the application's own settings to it.
   *
   * @return a new, modifiable configuration
   */
  public Properties properties() {
    Properties p = new Properties();
    ctx.kafka().forEach(p::put);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        MeshStreamsDeadLetters.class.getName());
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        MeshStreamsDeadLetters.class.getName());
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        MeshStreamsDeadLetters.class.getName());
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG),
        ProduceTimer.class.getName());
    p.put(INSTANCE, id);
    p.put(StreamsConfig.producerPrefix(INSTANCE), id);
    return p;
  }

  /**
   * The topic of a product in this mesh (with the mesh's topic prefix).
   *
   * @param type the product class
   * @return the topic
   */
  public String topic(Class<?> type) {
    return ctx.topicOf(ProductContract.of(type));
  }

  /**
   * The serde of a product, for stores, repartitions and joins ({@code Grouped}, {@code
   * Materialized}, {@code Joined}): it is governed with the topology and counts what it writes to
   * the product's topic.
   *
   * @param type the product class
   * @param <T> the product type
   * @return the serde (one per call; it shares the mesh's registry, which it does not close)
   */
  public <T> MeshStreamsSerde<T> serde(Class<T> type) {
    ProductContract<T> c = ProductContract.of(type);
    note(uses, c);
    return MeshStreamsSerde.of(c, ctx.registry(), ctx.application(), meters);
  }

  /**
   * Reads a product's topic: its serde, {@link #lineage()} and the consumer meters.
   *
   * @param builder the topology's builder
   * @param type the product class
   * @param <T> the product type
   * @return the stream of the product's events, keyed by their string keys
   */
  public <T> KStream<String, T> stream(StreamsBuilder builder, Class<T> type) {
    ProductContract<T> c = ProductContract.of(type);
    note(reads, c);
    StreamsMeters.Consume m = meters.consume(c);
    return builder.stream(
            ctx.topicOf(c),
            Consumed.with(
                Serdes.String(), MeshStreamsSerde.of(c, ctx.registry(), ctx.application(), meters)))
        .processValues(() -> new Lineage<String, T>(m));
  }

  /**
   * Reads a {@code STATE} product's topic into a table (latest value per key, deletes remove the
   * key), through {@link #stream} so that lineage and meters are the same.
   *
   * @param builder the topology's builder
   * @param type the product class
   * @param <T> the product type
   * @return the table
   */
  public <T> KTable<String, T> table(StreamsBuilder builder, Class<T> type) {
    return stream(builder, type)
        .toTable(
            Materialized.<String, T, KeyValueStore<Bytes, byte[]>>with(
                Serdes.String(), serde(type)));
  }

  /**
   * How to write a product: string keys and the product's {@link MeshStreamsSerde}; use it with
   * {@link #topic(Class)}.
   *
   * @param type the product class
   * @param <T> the product type
   * @return the {@code Produced}
   */
  public <T> Produced<String, T> produced(Class<T> type) {
    ProductContract<T> c = ProductContract.of(type);
    note(writes, c);
    return Produced.with(
        Serdes.String(), MeshStreamsSerde.of(c, ctx.registry(), ctx.application(), meters));
  }

  /**
   * Builds the topology after checking what it reads and writes: the mesh's governance policy for
   * every product given to {@link #stream}, {@link #table}, {@link #serde} or {@link #produced};
   * then the topics of the products it writes, and the dead-letter topics ({@code {topic}.{
   * application.id}.dlq}) of those it reads, created or verified as the mesh's provisioning mode
   * says; and the mesh's OpenLineage events (when it sends them) name them as the application's
   * inputs and outputs.
   *
   * @param builder the topology's builder
   * @return the topology
   * @throws GovernanceException if a product breaks the governance policy (the first one found)
   * @throws io.meshsdk.errors.MeshConfigurationException if a topic differs from its contract in
   *     the mesh's verify mode
   * @throws io.meshsdk.errors.BrokerUnavailableException if topics cannot be created or checked
   */
  public Topology build(StreamsBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    List<ProductContract<?>> all = new ArrayList<>();
    List<TopicSpec> topics = new ArrayList<>();
    synchronized (this) {
      all.addAll(reads.values());
      all.addAll(writes.values());
      all.addAll(uses.values());
      writes.forEach((t, c) -> topics.add(TopicProvisioner.specOf(c, t)));
      reads.forEach(
          (t, c) ->
              topics.add(
                  new TopicSpec(
                      t + "." + applicationId + ".dlq",
                      c.partitions(),
                      "delete",
                      TopicProvisioner.DEAD_LETTER_RETENTION)));
    }
    for (ProductContract<?> c : all) {
      ctx.governance().enforce(c);
    }
    Topology topology = builder.build();
    if (!topics.isEmpty()) {
      ctx.provisioner().provision(topics);
    }
    // the mesh's OpenLineage events name what the application reads and writes, as for its clients
    synchronized (this) {
      writes.forEach((t, c) -> ctx.tracker().producing(c, t));
      reads.forEach(
          (t, c) -> ctx.tracker().consuming(c, t, applicationId, t + "." + applicationId + ".dlq"));
    }
    return topology;
  }

  private synchronized void note(Map<String, ProductContract<?>> where, ProductContract<?> c) {
    String topic = ctx.topicOf(c);
    where.putIfAbsent(topic, c);
    meters.product(c, topic);
  }

  /** Forgets this instance's meters (they stay in the registry); the mesh stays open. */
  @Override
  public void close() {
    meters.close();
  }

  @Override
  public String toString() {
    return "MeshStreams[" + applicationId + "]";
  }

  /**
   * A processor (for {@code KStream.processValues}) that notes on each record the event it was read
   * as: its {@code ce_type} and {@code ce_id} headers and its topic, partition and offset. Put it
   * right after the source, before any operation that makes new records. A record without Mesh's
   * headers (written by another client), or one processed outside a record's context (a
   * punctuation), gets no parent, and an earlier note is dropped, so a parent is never wrong.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @return the supplier
   */
  public static <K, V> FixedKeyProcessorSupplier<K, V, V> lineage() {
    return Lineage::new;
  }

  /** Notes the parent of every record it passes on, and counts it when given meters. */
  private static final class Lineage<K, V> implements FixedKeyProcessor<K, V, V> {
    private final StreamsMeters.@Nullable Consume meters;
    private @Nullable FixedKeyProcessorContext<K, V> context;

    Lineage() {
      this(null);
    }

    Lineage(StreamsMeters.@Nullable Consume meters) {
      this.meters = meters;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
      FixedKeyProcessorContext<K, V> ctx = context;
      if (ctx == null) {
        throw new IllegalStateException("MeshStreams' lineage processor used before init");
      }
      Headers headers = noted(record.headers(), ctx.recordMetadata());
      StreamsMeters.Consume m = meters;
      if (m == null) {
        ctx.forward(record.withHeaders(headers));
        return;
      }
      long start = m.start(eventTime(headers, record.timestamp()));
      boolean ok = false;
      try {
        ctx.forward(record.withHeaders(headers));
        ok = true;
      } finally {
        m.done(start, ok);
      }
    }
  }

  /** The event time: {@code ce_time}, or the record's timestamp when it has none or a bad one. */
  private static long eventTime(Headers headers, long timestamp) {
    Header time = headers.lastHeader(MeshHeaders.TIME);
    if (time != null && time.value() != null) {
      try {
        return Rfc3339.parse(time.value()).toEpochMilli();
      } catch (RuntimeException e) {
        // not a time: the record's timestamp stands for it
      }
    }
    return timestamp;
  }

  /** A copy of the headers with the parent note of the event they were read as, if any. */
  private static Headers noted(Headers in, Optional<RecordMetadata> where) {
    Headers headers = new RecordHeaders(in.toArray());
    headers.remove(PARENT);
    parentOf(headers, where)
        .ifPresent(p -> headers.add(PARENT, p.toString().getBytes(StandardCharsets.UTF_8)));
    return headers;
  }

  /** The event a record with these headers was read as, where it has Mesh's headers. */
  static Optional<EventRef> parentOf(Headers headers, Optional<RecordMetadata> where) {
    Header id = headers.lastHeader(MeshHeaders.ID);
    Header type = headers.lastHeader(MeshHeaders.TYPE);
    if (id == null || type == null || id.value() == null || type.value() == null) {
      return Optional.empty();
    }
    if (where.isEmpty()) {
      return Optional.empty();
    }
    RecordMetadata m = where.get();
    try {
      return Optional.of(
          new EventRef(
              new String(type.value(), StandardCharsets.UTF_8),
              new String(id.value(), StandardCharsets.UTF_8),
              m.topic(),
              m.partition(),
              m.offset()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a type with the reference's separators: not a Mesh event
    }
  }
}
