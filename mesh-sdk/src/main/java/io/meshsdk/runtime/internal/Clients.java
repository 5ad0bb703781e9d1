package io.meshsdk.runtime.internal;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;

/**
 * Creates the Kafka clients of producers, consumers and processors: the SDK's defaults, then the
 * application's passthrough properties (only those the client knows, so no "unused config"
 * warnings), then what the SDK must own; the mesh's {@code KafkaClientFactory} creates them. Binds
 * Kafka's client metrics (of Apache Kafka's own clients) to the meter registry.
 */
public final class Clients {
  private static final Set<String> PRODUCER_KEYS = KafkaKeys.PRODUCER;
  private static final Set<String> CONSUMER_KEYS = KafkaKeys.CONSUMER;
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /**
   * Consumer keys Kafka's share consumer refuses ({@code ConfigException: ... cannot be set when
   * using a share group}): in a share group the group's configuration decides them.
   */
  public static final Set<String> SHARE_REFUSED =
      Set.of(
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
          ConsumerConfig.GROUP_PROTOCOL_CONFIG,
          ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

  private Clients() {}

  /**
   * A {@code client.id} unique in this JVM: the base and a sequence number, so that two clients
   * never share an id (Kafka registers its metrics and JMX beans per id, and brokers quota by it).
   */
  public static String clientId(String base) {
    return base + "-" + SEQUENCE.incrementAndGet();
  }

  /**
   * Creates a Kafka client, turning the client's refusal of its configuration into a {@link
   * MeshConfigurationException} naming the bootstrap servers and the client.
   */
  static <C> C create(String what, Map<String, Object> config, Supplier<C> factory) {
    try {
      return factory.get();
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new MeshConfigurationException(
          "cannot create the Kafka "
              + what
              + " for bootstrap servers "
              + config.get("bootstrap.servers")
              + ": "
              + cause.getMessage());
    }
  }

  /** A byte-array producer; transactional when an id is given. */
  public static Producer<byte[], byte[]> producer(
      MeshContext ctx, String clientId, @Nullable String transactionalId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"); // every client reads it; see runtime.md
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    copyKnown(ctx.kafka(), PRODUCER_KEYS, config);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    if (transactionalId != null) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }
    return create("producer", config, () -> ctx.clients().producer(config));
  }

  /** A byte-array consumer in a group, committing manually. */
  public static Consumer<byte[], byte[]> consumer(
      MeshContext ctx,
      String clientId,
      String group,
      String autoOffsetReset,
      boolean readCommitted,
      Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // never show aborted output of transactional producers (processors, dual publishing)
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // a subscription must never create a product's topic with the broker's defaults
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    copyKnown(ctx.kafka(), CONSUMER_KEYS, config);
    copyKnown(extra, CONSUMER_KEYS, config);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
    if (readCommitted) {
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    return create("consumer", config, () -> ctx.clients().consumer(config));
  }

  /**
   * A byte-array member of a share group, acknowledging each record explicitly, taking at most 50
   * records per poll unless told otherwise. The mesh's consumer keys that a share consumer refuses
   * ({@link #SHARE_REFUSED}: the group's configuration decides them) are left out; the share
   * consumer's own builder refuses them.
   */
  public static ShareConsumer<byte[], byte[]> shareConsumer(
      MeshContext ctx, String clientId, String group, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>();
    // each member takes at most 50 records per poll, so that members share a partition's records
    // evenly (Kafka's default acquire mode follows producer batches, up to twice the limit)
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
    copyKnown(ctx.kafka(), CONSUMER_KEYS, config);
    // the mesh's consumer settings may hold keys for consumer groups only
    config.keySet().removeIf(SHARE_REFUSED::contains);
    copyKnown(extra, CONSUMER_KEYS, config);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    return create("share consumer", config, () -> ctx.clients().shareConsumer(config));
  }

  private static void copyKnown(
      Map<String, Object> from, Set<String> known, Map<String, Object> to) {
    for (Map.Entry<String, Object> e : from.entrySet()) {
      if (KafkaKeys.knownTo(known, e.getKey())) {
        to.put(e.getKey(), e.getValue());
      }
    }
  }

  /** Binds Kafka's client metrics when a registry was given; the result unbinds them. */
  public static AutoCloseable bindMetrics(Telemetry telemetry, Object client, String application) {
    if (!telemetry.metricsEnabled()
        || !(client instanceof KafkaProducer<?, ?> || client instanceof KafkaConsumer<?, ?>)) {
      return () -> {};
    }
    List<Tag> tags = List.of(Tag.of("application", application));
    KafkaClientMetrics metrics;
    if (client instanceof Producer<?, ?> p) {
      metrics = new KafkaClientMetrics(p, tags);
    } else {
      metrics = new KafkaClientMetrics((Consumer<?, ?>) client, tags);
    }
    Telemetry.safely(() -> metrics.bindTo(telemetry.meters()));
    return metrics::close;
  }
}
