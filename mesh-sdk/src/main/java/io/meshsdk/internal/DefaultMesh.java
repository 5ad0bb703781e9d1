package io.meshsdk.internal;

import io.meshsdk.Mesh;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.bridge.internal.DefaultBridgeBuilder;
import io.meshsdk.catalog.internal.OpenLineageEmitter;
import io.meshsdk.catalog.internal.OpenLineageSettings;
import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.consumer.internal.DefaultConsumerBuilder;
import io.meshsdk.consumer.internal.DefaultShareConsumerBuilder;
import io.meshsdk.consumer.internal.KafkaDeadLetters;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.internal.EnvelopeCipher;
import io.meshsdk.crypto.internal.FieldCipher;
import io.meshsdk.migration.Migrations;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.processor.internal.DefaultProcessor;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.internal.DefaultDualProducer;
import io.meshsdk.producer.internal.KafkaMeshProducer;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.runtime.internal.ClientTracker;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.runtime.internal.SharedProducer;
import io.meshsdk.runtime.internal.TopicProvisioner;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh: shared context, and the clients it created and that are still open, closed consumers
 * first. A client that closes is forgotten at once ({@link ClientTracker}), so creating and closing
 * clients on demand does not accumulate them. The clients also tell it the topics they read and
 * write and when one stops on a failure, which its {@link OpenLineageEmitter} reports.
 */
public final class DefaultMesh implements Mesh, ClientTracker {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMesh.class);

  private final MeshContext ctx;
  private final SharedProducer sharedProducer = new SharedProducer();
  private final Set<AutoCloseable> consumers = new LinkedHashSet<>();
  private final Set<AutoCloseable> producers = new LinkedHashSet<>();
  private volatile boolean closed;
  private final boolean ownsRegistry;
  private final OpenLineageEmitter lineage;

  /**
   * A mesh from validated settings.
   *
   * @param settings filled by {@code MeshBuilder}, with a registry
   */
  public DefaultMesh(MeshSettings settings) {
    this.ownsRegistry = settings.ownsRegistry;
    Telemetry telemetry =
        new Telemetry(
            meterRegistry(settings), settings.openTelemetry, settings.meterRegistry != null);
    this.ctx =
        new MeshContext(
            settings.application,
            settings.kafka,
            Objects.requireNonNull(settings.registry, "registry"),
            settings.schemaLocation,
            settings.registration,
            settings.provisioning,
            new TopicProvisioner(
                settings.provisioning,
                settings.kafka,
                settings.replicationFactor,
                settings.clientFactory,
                settings.startupTimeout,
                settings.closeTimeout,
                telemetry),
            settings.governance,
            telemetry,
            settings.closeTimeout,
            settings.clientFactory,
            settings.topicPrefix,
            settings.migrations,
            settings.headerProfile,
            settings.decodeLimits,
            settings.startupTimeout,
            settings.topicWait,
            sharedProducer,
            this,
            settings.fieldEncryption == null
                ? FieldCipher.NONE
                : EnvelopeCipher.create(settings.fieldEncryption));
    String bootstrap = String.valueOf(settings.kafka.get("bootstrap.servers"));
    this.lineage =
        OpenLineageEmitter.create(
            settings.openLineage, settings.application, bootstrap, telemetry, ctx::producer);
    MeshContexts.opened(this, ctx);
  }

  /**
   * The registry given; without one, no-op meters, except with OpenLineage events on: then a
   * private simple registry, so that the contract violations and dead letters they report are
   * counted (records are still not timed: that needs a registry given).
   */
  private static MeterRegistry meterRegistry(MeshSettings settings) {
    if (settings.meterRegistry != null) {
      return settings.meterRegistry;
    }
    CompositeMeterRegistry none = new CompositeMeterRegistry();
    if (settings.openLineage.transport() != OpenLineageSettings.Transport.NONE) {
      none.add(new SimpleMeterRegistry());
    }
    return none;
  }

  @Override
  public String application() {
    return ctx.application();
  }

  @Override
  public SchemaRegistry schemaRegistry() {
    return ctx.registry();
  }

  @Override
  public <T> MeshProducer<T> producer(Class<T> type) {
    return producer(ProductContract.of(type));
  }

  @Override
  public <T> MeshProducer<T> producer(ProductContract<T> contract) {
    requireOpen();
    KafkaMeshProducer<T> producer = new KafkaMeshProducer<>(ctx, contract, null);
    register(producers, producer);
    return producer;
  }

  @Override
  public <T> DualProducer.Builder<T> dualProducer(Class<T> type) {
    requireOpen();
    return new DefaultDualProducer.Builder<>(
        ctx, ProductContract.of(type), p -> register(producers, p));
  }

  @Override
  public Migrations migrations() {
    return ctx.migrations();
  }

  @Override
  public <T> MeshConsumer.Builder<T> consumer(Class<T> type) {
    return consumer(ProductContract.of(type));
  }

  @Override
  public <T> MeshConsumer.Builder<T> consumer(ProductContract<T> contract) {
    requireOpen();
    return new DefaultConsumerBuilder<>(ctx, contract, c -> register(consumers, c));
  }

  @Override
  public <T> MeshShareConsumer.Builder<T> shareConsumer(Class<T> type) {
    requireOpen();
    return new DefaultShareConsumerBuilder<>(
        ctx, ProductContract.of(type), c -> register(consumers, c));
  }

  @Override
  public <I, O> MeshProcessor.Builder<I, O> processor(Class<I> input, Class<O> output) {
    requireOpen();
    return new DefaultProcessor.Builder<>(
        ctx, ProductContract.of(input), ProductContract.of(output), p -> register(consumers, p));
  }

  @Override
  public <S, O> MeshBridge.Builder<S, O> bridge(SourceFormat<S> source, Class<O> product) {
    requireOpen();
    return new DefaultBridgeBuilder<>(
        ctx, source, ProductContract.of(product), b -> register(consumers, b));
  }

  @Override
  public <T> DeadLetters<T> deadLetters(Class<T> type, String group) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(group, "group");
    ProductContract<T> contract = ProductContract.of(type);
    return new KafkaDeadLetters<>(ctx, contract, ctx.topicOf(contract) + "." + group + ".dlq");
  }

  @Override
  public boolean forgetSubject(Class<?> type, Object subject) {
    Objects.requireNonNull(subject, "subject");
    ProductContract<?> contract = ProductContract.of(Objects.requireNonNull(type, "type"));
    if (!contract.hasDataSubject()) {
      throw new IllegalArgumentException(
          contract.id() + " names no @DataSubject field: its encrypted fields share one key");
    }
    if (!(ctx.fieldCipher() instanceof EnvelopeCipher cipher)) {
      throw new IllegalStateException(
          "the mesh of " + ctx.application() + " has no field encryption (docs/security.md)");
    }
    boolean deleted = cipher.forgetSubject(contract.id(), subject.toString());
    LOG.info(
        "{}: a data subject's key {}", contract.id(), deleted ? "deleted" : "was already gone");
    return deleted;
  }

  private synchronized void register(Set<AutoCloseable> set, AutoCloseable client) {
    if (closed) {
      closeQuietly(client);
      throw new IllegalStateException("the mesh of " + ctx.application() + " is closed");
    }
    set.add(client);
  }

  /** A client closed on its own (or was closed by the mesh): forget it. */
  @Override
  public synchronized void closed(AutoCloseable client) {
    if (!consumers.remove(client)) {
      producers.remove(client);
    }
  }

  // lineage is telemetry: it never fails the creation of a client or a consumer's shutdown

  @Override
  public void producing(ProductContract<?> contract, String topic) {
    Telemetry.safely(() -> lineage.producing(contract, topic));
  }

  @Override
  public void consuming(
      ProductContract<?> contract, String topic, String group, String deadLetterTopic) {
    Telemetry.safely(() -> lineage.consuming(contract, topic, group, deadLetterTopic));
  }

  @Override
  public void failed(AutoCloseable client, String description) {
    Telemetry.safely(() -> lineage.failed(description));
  }

  /** How many clients the mesh holds now (for tests of what it retains). */
  public synchronized int openClients() {
    return consumers.size() + producers.size();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the mesh of " + ctx.application() + " is closed");
    }
  }

  @Override
  public void close() {
    List<AutoCloseable> toClose = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      MeshContexts.closed(this);
      // consumers first: their last commits and dead letters go out through the producers
      toClose.addAll(consumers);
      toClose.addAll(producers);
    }
    lineage.closing(); // the final event's figures, before closing the clients removes their meters
    for (AutoCloseable c : toClose) {
      closeQuietly(c);
    }
    closeQuietly(lineage); // before the shared producer, which its kafka transport writes through
    sharedProducer.close(ctx.closeTimeout());
    closeQuietly(ctx.provisioner());
    if (ownsRegistry) {
      closeQuietly(ctx.registry());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c, e.toString());
    }
  }

  @Override
  public String toString() {
    return "Mesh[" + ctx.application() + ", " + ctx.kafka().get("bootstrap.servers") + "]";
  }
}
