package io.meshsdk.streams.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Meters;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The product meters of one Kafka Streams application built with {@code MeshStreams}: the same
 * names and tags as a {@code MeshProducer}'s and a {@code MeshConsumer}'s (the group is the Streams
 * {@code application.id}). Kafka Streams creates the handlers, the serdes configured by class name
 * and the producer interceptor itself, by class name; they find the meters through the id that
 * {@code MeshStreams.properties()} puts in the configuration ({@link #INSTANCE}).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class StreamsMeters {
  /** Configuration key: the id of the {@code MeshStreams} whose meters a component reports to. */
  public static final String INSTANCE = "mesh.streams.instance";

  private static final Map<String, StreamsMeters> OPEN = new ConcurrentHashMap<>();

  /** Set by the dead-letter handler on the stream thread, read by the consuming processor. */
  private static final ThreadLocal<boolean[]> DEAD_LETTERED =
      ThreadLocal.withInitial(() -> new boolean[1]);

  private final String id;
  private final Telemetry telemetry;
  private final String application;
  private final String group;
  private final Map<String, Produce> byOutputTopic = new ConcurrentHashMap<>();
  private final Map<String, Produce> byProduct = new ConcurrentHashMap<>();
  private final Map<String, Consume> consumeByProduct = new ConcurrentHashMap<>();
  private final Map<String, ProductContract<?>> byTopic = new ConcurrentHashMap<>();
  private final Map<String, ProductContract<?>> byEventType = new ConcurrentHashMap<>();
  private final Map<String, Counter> dlq = new ConcurrentHashMap<>();

  /**
   * Meters of an application, found by {@link #find(Object)} until {@link #close()}.
   *
   * @param id the instance id
   * @param telemetry the mesh's telemetry
   * @param application the mesh's application (tag {@code application})
   * @param group the Streams {@code application.id} (tag {@code group} of what it reads)
   */
  public StreamsMeters(String id, Telemetry telemetry, String application, String group) {
    this.id = id;
    this.telemetry = telemetry;
    this.application = application;
    this.group = group;
    OPEN.put(id, this);
  }

  /**
   * The meters of the instance a configuration value names.
   *
   * @param instance the value of {@link #INSTANCE}, may be null
   * @return the meters, empty when there is no such open instance
   */
  public static Optional<StreamsMeters> find(@Nullable Object instance) {
    return instance == null ? Optional.empty() : Optional.ofNullable(OPEN.get(instance.toString()));
  }

  /**
   * The mesh's application, the source of the events the application writes.
   *
   * @return the application
   */
  public String application() {
    return application;
  }

  /**
   * Makes a product known: records of its topic or its event type are counted under it.
   *
   * @param contract the product
   * @param topic its topic
   */
  public void product(ProductContract<?> contract, String topic) {
    byTopic.putIfAbsent(topic, contract);
    byEventType.putIfAbsent(contract.eventType(), contract);
  }

  /**
   * The meters of writing a product.
   *
   * @param contract the product
   * @return its meters
   */
  public Produce produce(ProductContract<?> contract) {
    return byProduct.computeIfAbsent(
        contract.id() + "@" + contract.version(), k -> new Produce(tags(contract)));
  }

  /**
   * The meters of reading a product.
   *
   * @param contract the product
   * @return its meters
   */
  public Consume consume(ProductContract<?> contract) {
    return consumeByProduct.computeIfAbsent(
        contract.id() + "@" + contract.version(),
        k -> new Consume(tags(contract).and(MeshMetrics.TAG_GROUP, group)));
  }

  /**
   * The meters of the product a serde of this application writes to a topic.
   *
   * @param topic the record's topic
   * @return its meters; empty for Kafka Streams' own topics and others no product serde wrote to
   */
  public Optional<Produce> written(String topic) {
    return byOutputTopic.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(byOutputTopic.get(topic));
  }

  /**
   * Counts a dead letter ({@value MeshMetrics#DLQ}) under the product of its topic, or of its
   * {@code ce_type} header (a repartitioned record), or {@code unknown}.
   *
   * @param topic the topic the failed record was read from
   * @param headers its headers
   * @param reason the reason, as in {@code mesh.dlq.reason}
   */
  public void deadLettered(String topic, Headers headers, String reason) {
    DEAD_LETTERED.get()[0] = true;
    ProductContract<?> c = byTopic.get(topic);
    if (c == null) {
      Header type = headers.lastHeader(MeshHeaders.TYPE);
      if (type != null && type.value() != null) {
        c = byEventType.get(new String(type.value(), StandardCharsets.UTF_8));
      }
    }
    String product = c == null ? "unknown" : c.id();
    String version = c == null ? "unknown" : c.version().toString();
    Telemetry.safely(
        () ->
            dlq.computeIfAbsent(
                    product + "@" + version + "/" + reason,
                    k ->
                        Counter.builder(MeshMetrics.DLQ)
                            .tags(
                                Tags.of(
                                    MeshMetrics.TAG_APPLICATION, application,
                                    MeshMetrics.TAG_PRODUCT, product,
                                    MeshMetrics.TAG_VERSION, version,
                                    MeshMetrics.TAG_GROUP, group,
                                    MeshMetrics.TAG_REASON, reason))
                            .register(telemetry.meters()))
                .increment());
  }

  private Tags tags(ProductContract<?> contract) {
    return Tags.of(
        MeshMetrics.TAG_APPLICATION, application,
        MeshMetrics.TAG_PRODUCT, contract.id(),
        MeshMetrics.TAG_VERSION, contract.version().toString());
  }

  /** Forgets the instance; its meters stay in the registry, as a record of what happened. */
  public void close() {
    OPEN.remove(id, this);
  }

  /** The meters of writing one product. */
  public final class Produce {
    private final Timer success;
    private final Timer failure;
    private final DistributionSummary bytes;
    private final Counter violations;

    private Produce(Tags tags) {
      MeterRegistry r = telemetry.meters();
      this.success = Meters.timer(r, MeshMetrics.PRODUCE, tags, "success");
      this.failure = Meters.timer(r, MeshMetrics.PRODUCE, tags, "failure");
      this.bytes =
          DistributionSummary.builder(MeshMetrics.PRODUCE_BYTES)
              .baseUnit("bytes")
              .tags(tags)
              .register(r);
      this.violations = Counter.builder(MeshMetrics.CONTRACT_VIOLATIONS).tags(tags).register(r);
    }

    /**
     * A record encoded for a product topic (not one of Kafka Streams' own), whose records the
     * producer interceptor then times.
     *
     * @param topic the topic
     * @param value the encoded value; null for a tombstone
     */
    public void writing(String topic, byte @Nullable [] value) {
      if (!byOutputTopic.containsKey(topic)) {
        byOutputTopic.putIfAbsent(topic, this);
      }
      if (value != null) {
        int size = value.length;
        Telemetry.safely(() -> bytes.record(size));
      }
    }

    /** A value refused: it broke the contract. */
    public void violation() {
      Telemetry.safely(violations::increment);
    }

    /**
     * A record acknowledged, or refused, by the broker.
     *
     * @param startNanos when it was sent
     * @param ok whether it was written
     */
    public void sent(long startNanos, boolean ok) {
      Meters.recordSince(ok ? success : failure, startNanos);
    }
  }

  /** The meters of reading one product. */
  public final class Consume {
    private final Timer success;
    private final Timer deadLetter;
    private final Timer failure;
    private final Timer freshness;

    private Consume(Tags tags) {
      MeterRegistry r = telemetry.meters();
      this.success = Meters.timer(r, MeshMetrics.CONSUME, tags, "success");
      this.deadLetter = Meters.timer(r, MeshMetrics.CONSUME, tags, "dead_letter");
      this.failure = Meters.timer(r, MeshMetrics.CONSUME, tags, "failure");
      this.freshness = Timer.builder(MeshMetrics.CONSUME_FRESHNESS).tags(tags).register(r);
    }

    /**
     * A record is about to go through the topology.
     *
     * @param eventTimeMillis its event time
     * @return the start, for {@link #done(long, boolean)}
     */
    public long start(long eventTimeMillis) {
      long age = Math.max(0, System.currentTimeMillis() - eventTimeMillis);
      Telemetry.safely(() -> freshness.record(age, TimeUnit.MILLISECONDS));
      DEAD_LETTERED.get()[0] = false;
      return System.nanoTime();
    }

    /**
     * The record went through the topology: dead-lettered if a handler of this application sent it
     * to a dead-letter topic on the way (on this thread, since {@link #start(long)}).
     *
     * @param startNanos from {@link #start(long)}
     * @param ok false when the topology threw
     */
    public void done(long startNanos, boolean ok) {
      boolean[] flag = DEAD_LETTERED.get();
      Timer t = !ok ? failure : flag[0] ? deadLetter : success;
      flag[0] = false;
      Meters.recordSince(t, startNanos);
    }
  }
}
