package io.meshsdk.internal;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.internal.DefaultConsumerBuilder;
import io.meshsdk.consumer.internal.KafkaDeadLetters;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.migration.Migrations;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.processor.internal.DefaultProcessor;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.internal.DefaultDualProducer;
import io.meshsdk.producer.internal.KafkaMeshProducer;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.runtime.internal.TopicProvisioner;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The mesh: shared context, and the clients it created, closed consumers first. */
public final class DefaultMesh implements Mesh {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMesh.class);

  private final MeshContext ctx;
  private final List<AutoCloseable> consumers = new ArrayList<>();
  private final List<AutoCloseable> producers = new ArrayList<>();
  private volatile boolean closed;
  private final boolean ownsRegistry;

  public DefaultMesh(
      String application,
      Map<String, Object> kafka,
      SchemaRegistry registry,
      String schemaLocation,
      @Nullable MeterRegistry meterRegistry,
      OpenTelemetry openTelemetry,
      GovernancePolicy governance,
      RegistrationMode registration,
      ProvisioningMode provisioning,
      @Nullable Short replicationFactor,
      Duration closeTimeout,
      boolean ownsRegistry,
      KafkaClientFactory clients,
      String topicPrefix,
      Migrations migrations,
      HeaderProfile headerProfile) {
    this.ownsRegistry = ownsRegistry;
    Telemetry telemetry =
        new Telemetry(
            meterRegistry != null ? meterRegistry : new CompositeMeterRegistry(),
            openTelemetry,
            meterRegistry != null);
    this.ctx =
        new MeshContext(
            application,
            kafka,
            registry,
            schemaLocation,
            registration,
            provisioning,
            new TopicProvisioner(provisioning, kafka, replicationFactor, clients),
            governance,
            telemetry,
            closeTimeout,
            clients,
            topicPrefix,
            migrations,
            headerProfile);
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
  public <I, O> MeshProcessor.Builder<I, O> processor(Class<I> input, Class<O> output) {
    requireOpen();
    return new DefaultProcessor.Builder<>(
        ctx, ProductContract.of(input), ProductContract.of(output), p -> register(consumers, p));
  }

  @Override
  public <T> DeadLetters<T> deadLetters(Class<T> type, String group) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(group, "group");
    ProductContract<T> contract = ProductContract.of(type);
    return new KafkaDeadLetters<>(ctx, contract, ctx.topicOf(contract) + "." + group + ".dlq");
  }

  private synchronized void register(List<AutoCloseable> list, AutoCloseable client) {
    if (closed) {
      closeQuietly(client);
      throw new IllegalStateException("the mesh of " + ctx.application() + " is closed");
    }
    list.add(client);
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
      toClose.addAll(consumers);
      toClose.addAll(producers);
    }
    for (AutoCloseable c : toClose) {
      closeQuietly(c);
    }
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
