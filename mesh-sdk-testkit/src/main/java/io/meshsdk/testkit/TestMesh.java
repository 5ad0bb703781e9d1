package io.meshsdk.testkit;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.InMemoryDataKeyStore;
import io.meshsdk.crypto.LocalKeyManagementService;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.internal.MeshContexts;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.migration.Migrations;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.ProductCodec;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.testkit.memory.InMemoryKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * A fully working {@link Mesh} for tests, wired to in-memory, embedded or external Kafka (see
 * {@link BrokerMode}), with a {@code SimpleMeterRegistry}, an in-memory OpenTelemetry exporter and
 * a fresh namespace; plus what tests need to look inside: the events {@link #published(Class)
 * published} to a product, a group's {@link #deadLetters(String) dead letters}, the {@link
 * #metrics() meters}, the {@link #traces() spans} and the {@link #ancestors(PublishedEvent)
 * lineage} of an event.
 *
 * <p>Producers, consumers and processors are the production ones, with the same serdes, headers,
 * governance and failure handling; only the clients underneath change. {@code @MeshTest} creates
 * one per test and closes it after; outside JUnit use {@link #builder()}.
 *
 * <pre>{@code
 * @MeshTest
 * class ShippingTest {
 *   @Test
 *   void shipsEveryOrder(TestMesh mesh) {
 *     mesh.consumer(OrderPlaced.class).group("shipping").handle(shipping::onOrder).start();
 *     mesh.producer(OrderPlaced.class).send(order("o-1"));
 *     assertThat(mesh.published(ShipmentRequested.class)).hasSize(1).first().hasKey("o-1");
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe, like {@code Mesh}. Ownership: the test mesh owns everything it
 * created (mesh, registry, meter registry, tracer provider, in-memory cluster) and closes it in
 * {@link #close()}; the shared embedded broker outlives it.
 */
public final class TestMesh implements Mesh {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private final BrokerMode mode;
  private final Mesh mesh;
  private final @Nullable InMemoryKafka kafka;
  private final RawTopics raw;
  private final SchemaRegistry registry;
  private final boolean ownsRegistry;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider;
  private final String topicPrefix;
  private final String bootstrapServers;
  private final Duration timeout;

  private TestMesh(Builder b) {
    this.mode = b.mode;
    this.timeout = b.timeout;
    int n = SEQUENCE.incrementAndGet();
    KafkaClientFactory clients;
    switch (mode) {
      case IN_MEMORY -> {
        this.kafka = new InMemoryKafka();
        clients = KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin);
        this.bootstrapServers = "in-memory:9092";
        this.topicPrefix = b.topicPrefix != null ? b.topicPrefix : "";
      }
      case EMBEDDED -> {
        this.kafka = null;
        clients = KafkaClientFactory.kafka();
        this.bootstrapServers = EmbeddedBroker.bootstrapServers();
        this.topicPrefix = b.topicPrefix != null ? b.topicPrefix : "t" + n + ".";
      }
      default -> {
        this.kafka = null;
        clients = KafkaClientFactory.kafka();
        this.bootstrapServers =
            setting(b.bootstrapServers, "mesh.test.bootstrap.servers")
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "EXTERNAL mode needs bootstrap servers: set @MeshTest(bootstrapServers"
                                + " = ...), the system property mesh.test.bootstrap.servers or"
                                + " the environment variable MESH_TEST_BOOTSTRAP_SERVERS"));
        this.topicPrefix = b.topicPrefix != null ? b.topicPrefix : "mt-" + RUN + "-" + n + ".";
      }
    }
    Optional<String> registryUrl =
        mode == BrokerMode.EXTERNAL
            ? setting(b.schemaRegistryUrl, "mesh.test.schema.registry.url")
            : Optional.ofNullable(b.schemaRegistryUrl);
    if (registryUrl.isPresent()) {
      this.registry = RestSchemaRegistry.builder(registryUrl.get().split("\\s*,\\s*")).build();
      this.ownsRegistry = true;
    } else {
      this.registry = new InMemorySchemaRegistry();
      this.ownsRegistry = false;
    }
    this.tracerProvider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    MeshBuilder mb =
        Mesh.builder()
            .application(b.application)
            .bootstrapServers(bootstrapServers)
            .schemaRegistry(registry)
            .meterRegistry(meters)
            .openTelemetry(otel)
            .governance(b.governance)
            .kafkaClientFactory(clients)
            .topicPrefix(topicPrefix)
            .closeTimeout(Duration.ofSeconds(10));
    if (b.encryption != null) {
      this.encryption = b.encryption;
      mb.fieldEncryption(b.encryption);
    } else if (TINK_PRESENT) {
      // products with encrypted fields work in tests out of the box: a throwaway key per test
      this.encryption =
          FieldEncryption.of(LocalKeyManagementService.generate(), new InMemoryDataKeyStore());
      mb.fieldEncryption(encryption);
    } else {
      this.encryption = null;
    }
    b.customizer.accept(mb);
    this.mesh = mb.build();
    MeshContexts.alias(this, mesh);
    this.raw = new RawTopics(kafka, clients, bootstrapServers, b.application, timeout);
  }

  /** The test mesh's field encryption (Tink on the class path), for reading what it published. */
  private final @Nullable FieldEncryption encryption;

  /** Whether Google Tink, which field encryption needs, is on the class path. */
  private static final boolean TINK_PRESENT = present("com.google.crypto.tink.Aead");

  private static boolean present(String className) {
    try {
      Class.forName(className, false, TestMesh.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static Optional<String> setting(@Nullable String given, String property) {
    if (given != null && !given.isBlank()) {
      return Optional.of(given);
    }
    String p = System.getProperty(property);
    if (p != null && !p.isBlank()) {
      return Optional.of(p);
    }
    String env = System.getenv(property.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(env);
  }

  /**
   * Starts a builder (for use outside the JUnit extension).
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- Mesh ----

  @Override
  public String application() {
    return mesh.application();
  }

  @Override
  public SchemaRegistry schemaRegistry() {
    return mesh.schemaRegistry();
  }

  @Override
  public <T> MeshProducer<T> producer(Class<T> type) {
    return mesh.producer(type);
  }

  @Override
  public <T> MeshProducer<T> producer(ProductContract<T> contract) {
    return mesh.producer(contract);
  }

  @Override
  public <T> DualProducer.Builder<T> dualProducer(Class<T> type) {
    return mesh.dualProducer(type);
  }

  @Override
  public Migrations migrations() {
    return mesh.migrations();
  }

  @Override
  public <T> MeshConsumer.Builder<T> consumer(Class<T> type) {
    return mesh.consumer(type);
  }

  @Override
  public <T> MeshConsumer.Builder<T> consumer(ProductContract<T> contract) {
    return mesh.consumer(contract);
  }

  /**
   * A share consumer: on the embedded broker only; the in-memory Kafka has no share groups, and its
   * {@code start()} says so.
   */
  @Override
  public <T> MeshShareConsumer.Builder<T> shareConsumer(Class<T> type) {
    return mesh.shareConsumer(type);
  }

  @Override
  public <I, O> MeshProcessor.Builder<I, O> processor(Class<I> input, Class<O> output) {
    return mesh.processor(input, output);
  }

  @Override
  public <S, O> MeshBridge.Builder<S, O> bridge(SourceFormat<S> source, Class<O> product) {
    return mesh.bridge(source, product);
  }

  @Override
  public <T> DeadLetters<T> deadLetters(Class<T> type, String group) {
    return mesh.deadLetters(type, group);
  }

  /**
   * Crypto-shredding in a test: deletes a data subject's key, as {@link Mesh#forgetSubject} does.
   * The test mesh encrypts with a throwaway key when Tink is on the class path, or with the field
   * encryption given to {@link Builder#fieldEncryption}.
   */
  @Override
  public boolean forgetSubject(Class<?> type, Object subject) {
    return mesh.forgetSubject(type, subject);
  }

  // ---- what tests look at ----

  /**
   * Where this mesh's Kafka runs.
   *
   * @return the mode
   */
  public BrokerMode mode() {
    return mode;
  }

  /**
   * The in-memory cluster (in {@link BrokerMode#IN_MEMORY} mode), for creating topics, reading
   * committed offsets or injecting send failures.
   *
   * @return the cluster, or empty in the other modes
   */
  public Optional<InMemoryKafka> inMemoryKafka() {
    return Optional.ofNullable(kafka);
  }

  /**
   * The bootstrap servers ({@code in-memory:9092} in in-memory mode).
   *
   * @return the servers
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The prefix of every product topic of this mesh (empty in in-memory mode, where the cluster is
   * fresh).
   *
   * @return the prefix
   */
  public String topicPrefix() {
    return topicPrefix;
  }

  /**
   * The topic of a product in this mesh.
   *
   * @param type the product class
   * @return the topic, with this mesh's prefix
   */
  public String topicOf(Class<?> type) {
    return topicPrefix + ProductContract.of(type).topic();
  }

  /**
   * How long assertions wait for asynchronous outcomes.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * The meters the mesh recorded (a {@code SimpleMeterRegistry}).
   *
   * @return the registry
   */
  public MeterRegistry metrics() {
    return meters;
  }

  /**
   * The spans the mesh recorded.
   *
   * @return a live view
   */
  public Traces traces() {
    return new Traces("the spans of " + application(), spans::getFinishedSpanItems, timeout);
  }

  /**
   * The events on a product's topic, decoded into the given class (which may be a reader of another
   * minor version). Each read decodes the whole topic; a record the class cannot read fails the
   * read with an {@code AssertionError} naming it (use {@link #records(String)} for raw records).
   *
   * @param type the product class
   * @param <T> the product type
   * @return a live view
   */
  public <T> PublishedEvents<T> published(Class<T> type) {
    ProductContract<T> contract = ProductContract.of(type);
    String topic = topicPrefix + contract.topic();
    FieldEncryption keys = encryption;
    MeshDeserializer<T> deserializer =
        keys == null
            ? MeshDeserializer.of(contract, registry)
            : MeshDeserializer.of(ProductCodec.of(contract, keys), registry);
    return new PublishedEvents<>(
        "the events published to " + topic,
        () -> {
          List<PublishedEvent<T>> events = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> r : records(topic)) {
            T value;
            try {
              value = deserializer.deserialize(topic, r.headers(), r.value());
            } catch (RuntimeException e) {
              throw new AssertionError(
                  r.topic()
                      + "-"
                      + r.partition()
                      + "@"
                      + r.offset()
                      + " is not a readable "
                      + type.getSimpleName()
                      + ": "
                      + e.getMessage(),
                  e);
            }
            events.add(
                new PublishedEvent<>(
                    value,
                    r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    RecordViews.headers(r),
                    RecordViews.lineage(r),
                    Instant.ofEpochMilli(r.timestamp()),
                    r.value() == null ? -1 : WireFormat.locate(r.value(), r.headers()).intId()));
          }
          return events;
        },
        timeout);
  }

  /**
   * The dead letters of a consumer group, over all products of this mesh.
   *
   * @param group the consumer group
   * @return a live view
   */
  public DeadLetterQueue deadLetters(String group) {
    Objects.requireNonNull(group, "group");
    String suffix = "." + group + ".dlq";
    return new DeadLetterQueue(
        "the dead letters of group " + group,
        () -> {
          List<DeadLetter> letters = new ArrayList<>();
          for (String topic : raw.topics()) {
            if (topic.startsWith(topicPrefix) && topic.endsWith(suffix)) {
              for (ConsumerRecord<byte[], byte[]> r : records(topic)) {
                letters.add(RecordViews.deadLetter(r));
              }
            }
          }
          return letters;
        },
        timeout);
  }

  /**
   * The ancestors of an event: its parents, their parents and so on, breadth first, each once, read
   * from the topics (a parent whose record is gone is listed but not followed).
   *
   * @param event the event
   * @return the ancestors, nearest first; the last ones are the roots
   */
  public List<EventRef> ancestors(PublishedEvent<?> event) {
    Objects.requireNonNull(event, "event");
    List<EventRef> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<EventRef> todo = new ArrayDeque<>(event.lineage().parents());
    Map<String, List<ConsumerRecord<byte[], byte[]>>> cache = new HashMap<>();
    while (!todo.isEmpty()) {
      EventRef ref = todo.removeFirst();
      if (!seen.add(ref.toString())) {
        continue;
      }
      result.add(ref);
      for (ConsumerRecord<byte[], byte[]> r : cache.computeIfAbsent(ref.topic(), this::records)) {
        if (r.partition() == ref.partition() && r.offset() == ref.offset()) {
          todo.addAll(RecordViews.lineage(r).parents());
        }
      }
    }
    return result;
  }

  /**
   * Every committed record of a topic, raw, partition by partition in offset order.
   *
   * @param topic the full topic name (see {@link #topicOf(Class)})
   * @return a snapshot (empty if the topic does not exist)
   */
  public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    return raw.records(topic);
  }

  /**
   * Writes a raw record to a topic, for example a poison pill that a consumer must dead-letter.
   *
   * @param topic the full topic name
   * @param key the key bytes, may be null
   * @param value the value bytes, may be null
   * @return where it was written, as {@code topic-partition@offset}
   */
  public String sendRaw(String topic, byte @Nullable [] key, byte @Nullable [] value) {
    return raw.send(topic, key, value);
  }

  /** Closes the mesh and everything the test mesh created. Idempotent. */
  @Override
  public void close() {
    MeshContexts.closed(this);
    try {
      mesh.close();
    } finally {
      raw.close();
      tracerProvider.close();
      meters.close();
      if (ownsRegistry) {
        try {
          registry.close();
        } catch (RuntimeException e) {
          // closing a registry client cannot lose test data
        }
      }
      if (kafka != null) {
        kafka.reset();
      }
    }
  }

  @Override
  public String toString() {
    return "TestMesh[" + mode + ", " + application() + ", prefix '" + topicPrefix + "']";
  }

  /** Configures a {@link TestMesh}. Not thread-safe. */
  public static final class Builder {
    private BrokerMode mode = BrokerMode.IN_MEMORY;
    private String application = "mesh-test";
    private @Nullable String bootstrapServers;
    private @Nullable String schemaRegistryUrl;
    private @Nullable String topicPrefix;
    private Duration timeout = Duration.ofSeconds(10);
    private GovernancePolicy governance = GovernancePolicy.standard();
    private Consumer<MeshBuilder> customizer = b -> {};
    private @Nullable FieldEncryption encryption;

    private Builder() {}

    /**
     * The field encryption of the test mesh (default: a throwaway key when Google Tink is on the
     * class path): its producers encrypt and its consumers and {@link TestMesh#published} decrypt
     * with it. Give your own to test with a key shared by several test meshes, or with a
     * key-management service of your own.
     *
     * @param encryption the key-management service and data key store
     * @return this builder
     */
    public Builder fieldEncryption(FieldEncryption encryption) {
      this.encryption = Objects.requireNonNull(encryption, "encryption");
      return this;
    }

    /**
     * Sets where Kafka runs (default {@link BrokerMode#IN_MEMORY}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(BrokerMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the application id (default {@code mesh-test}).
     *
     * @param application the id
     * @return this builder
     */
    public Builder application(String application) {
      this.application = Objects.requireNonNull(application, "application");
      return this;
    }

    /**
     * Sets the bootstrap servers of {@link BrokerMode#EXTERNAL} mode.
     *
     * @param servers {@code host:port,...}
     * @return this builder
     */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = Objects.requireNonNull(servers, "servers");
      return this;
    }

    /**
     * Sets the URL of a Confluent-compatible registry (default: a fresh in-memory registry).
     *
     * @param url the URL(s), comma-separated
     * @return this builder
     */
    public Builder schemaRegistryUrl(String url) {
      this.schemaRegistryUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Sets the topic prefix (default: none in memory, a fresh one per mesh otherwise).
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Builder topicPrefix(String prefix) {
      this.topicPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Sets how long assertions wait (default 10 s).
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the governance policy (default {@link GovernancePolicy#standard()}, as in production).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder governance(GovernancePolicy policy) {
      this.governance = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Adjusts the mesh builder before it is built (registration mode, Kafka properties, ...);
     * adjustments add up. Settings the test mesh owns (bootstrap servers, registry, meters,
     * tracing, client factory, topic prefix) should not be changed here.
     *
     * @param customizer the adjustment
     * @return this builder
     */
    public Builder configure(Consumer<MeshBuilder> customizer) {
      this.customizer = this.customizer.andThen(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /**
     * Builds the test mesh (in embedded mode this starts the shared broker if needed).
     *
     * @return the test mesh
     */
    public TestMesh build() {
      return new TestMesh(this);
    }
  }
}
