package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.KafkaKeys;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.runtime.internal.TopicProvisioner;
import io.meshsdk.runtime.internal.TopicProvisioner.TopicSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Collects and validates a share consumer's settings, enforces governance, starts it. */
public final class DefaultShareConsumerBuilder<T> implements MeshShareConsumer.Builder<T> {
  /** Share consumer keys Mesh sets itself, on top of those of every client. */
  private static final Set<String> OWNED = Set.of("share.acknowledgement.mode");

  private final MeshContext ctx;
  private final ProductContract<T> contract;
  private final Consumer<AutoCloseable> registrar;
  private @Nullable String group;
  private @Nullable EventHandler<T> handler;
  private int members = 1;
  private int maxAttempts = 3;
  private final List<Class<? extends Throwable>> nonRetriable = new ArrayList<>();
  private @Nullable String deadLetterTopic;
  private String autoOffsetReset = "earliest";
  private boolean startExplicit;
  private final Map<String, Object> kafka = new HashMap<>();

  public DefaultShareConsumerBuilder(
      MeshContext ctx, ProductContract<T> contract, Consumer<AutoCloseable> registrar) {
    this.ctx = ctx;
    this.contract = Objects.requireNonNull(contract, "contract");
    this.registrar = registrar;
  }

  @Override
  public DefaultShareConsumerBuilder<T> group(String group) {
    this.group = DefaultConsumerBuilder.checkGroup(group);
    return this;
  }

  @Override
  public DefaultShareConsumerBuilder<T> handle(EventHandler<T> handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public DefaultShareConsumerBuilder<T> concurrency(int members) {
    if (members < 1 || members > DefaultConsumerBuilder.MAX_PARALLELISM) {
      throw new IllegalArgumentException(
          "share consumer concurrency must be 1 to "
              + DefaultConsumerBuilder.MAX_PARALLELISM
              + ", got "
              + members);
    }
    this.members = members;
    return this;
  }

  @Override
  public DefaultShareConsumerBuilder<T> maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    return this;
  }

  @Override
  public DefaultShareConsumerBuilder<T> nonRetriable(Class<? extends Throwable> type) {
    nonRetriable.add(Objects.requireNonNull(type, "type"));
    return this;
  }

  @Override
  public DefaultShareConsumerBuilder<T> deadLetterTopic(String topic) {
    this.deadLetterTopic = DefaultConsumerBuilder.checkTopic(topic, "dead-letter topic");
    return this;
  }

  @Override
  public DefaultShareConsumerBuilder<T> startFrom(StartPosition position) {
    Objects.requireNonNull(position, "position");
    this.startExplicit = true;
    this.autoOffsetReset =
        switch (position.kind()) {
          case EARLIEST, COMMITTED_OR_EARLIEST -> "earliest";
          case LATEST, COMMITTED_OR_LATEST -> "latest";
          default ->
              throw new IllegalArgumentException(
                  "a share group starts at the earliest or the latest offset, not at "
                      + position
                      + " (share.auto.offset.reset)");
        };
    return this;
  }

  @Override
  public DefaultShareConsumerBuilder<T> kafkaProperty(String key, Object value) {
    KafkaKeys.requirePassable(key);
    if (OWNED.contains(key)) {
      throw new MeshConfigurationException(
          "Kafka property '"
              + key
              + "' is set by Mesh SDK for share consumers (explicit acknowledgement of every"
              + " record) and cannot be passed through");
    }
    if (Clients.SHARE_REFUSED.contains(key)) {
      throw new MeshConfigurationException(
          "Kafka property '"
              + key
              + "' cannot be set on a share consumer: in a share group the group's configuration"
              + " decides it (share.auto.offset.reset, share.isolation.level,"
              + " share.session.timeout.ms, share.heartbeat.interval.ms; startFrom(...) sets the"
              + " first)");
    }
    kafka.put(key, Objects.requireNonNull(value, "value"));
    return this;
  }

  @Override
  public MeshShareConsumer<T> start() {
    List<String> problems = new ArrayList<>();
    if (group == null) {
      problems.add("a share group is required: .group(\"...\")");
    }
    if (handler == null) {
      problems.add("a handler is required: .handle(event -> ...)");
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(
          "share consumer of " + contract.id() + " cannot start", problems);
    }
    String g = Objects.requireNonNull(group);
    ctx.governance().enforce(contract);
    String topic = ctx.topicOf(contract);
    String dlq =
        deadLetterTopic != null
            ? deadLetterTopic
            : DefaultConsumerBuilder.checkTopic(topic + "." + g + ".dlq", "dead-letter topic");
    if (ctx.provisioning() == ProvisioningMode.VERIFY) {
      TopicSpec own = TopicProvisioner.specOf(contract, topic);
      ctx.provisioner()
          .provision(List.of(own, new TopicSpec(dlq, own.partitions(), "delete", null)));
    }
    KafkaMeshShareConsumer<T> consumer =
        new KafkaMeshShareConsumer<>(
            ctx,
            new KafkaMeshShareConsumer.Settings<>(
                contract,
                g,
                topic,
                dlq,
                members,
                maxAttempts,
                List.copyOf(nonRetriable),
                Objects.requireNonNull(handler),
                Map.copyOf(kafka),
                autoOffsetReset,
                startExplicit));
    registrar.accept(consumer);
    try {
      return consumer.start();
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }
}
