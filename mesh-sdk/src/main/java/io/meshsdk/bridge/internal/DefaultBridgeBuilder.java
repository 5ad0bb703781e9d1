package io.meshsdk.bridge.internal;

import io.meshsdk.bridge.BridgeFunction;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.consumer.internal.DefaultConsumerBuilder;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.runtime.internal.MeshContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Builds bridges. */
public final class DefaultBridgeBuilder<S, O> implements MeshBridge.Builder<S, O> {
  private final MeshContext ctx;
  private final SourceFormat<S> format;
  private final ProductContract<O> contract;
  private final Consumer<AutoCloseable> registrar;
  private @Nullable String topic;
  private @Nullable String group;
  private @Nullable String sourceType;
  private StartPosition start = StartPosition.committedOrEarliest();
  private boolean exactlyOnce;
  private @Nullable BridgeFunction<S, O> mapping;

  public DefaultBridgeBuilder(
      MeshContext ctx,
      SourceFormat<S> format,
      ProductContract<O> contract,
      Consumer<AutoCloseable> registrar) {
    this.ctx = ctx;
    this.format = Objects.requireNonNull(format, "format");
    this.contract = Objects.requireNonNull(contract, "contract");
    this.registrar = registrar;
  }

  @Override
  public DefaultBridgeBuilder<S, O> from(String topic) {
    this.topic = DefaultConsumerBuilder.checkTopic(topic, "legacy topic");
    return this;
  }

  @Override
  public DefaultBridgeBuilder<S, O> group(String group) {
    this.group = DefaultConsumerBuilder.checkGroup(group);
    return this;
  }

  @Override
  public DefaultBridgeBuilder<S, O> startFrom(StartPosition position) {
    this.start = Objects.requireNonNull(position, "position");
    return this;
  }

  @Override
  public DefaultBridgeBuilder<S, O> sourceType(String type) {
    Objects.requireNonNull(type, "type");
    if (type.isBlank() || type.indexOf(';') >= 0 || type.indexOf(',') >= 0) {
      throw new IllegalArgumentException(
          "source type '" + type + "' must be non-blank, without ';' or ','");
    }
    this.sourceType = type;
    return this;
  }

  @Override
  public DefaultBridgeBuilder<S, O> exactlyOnce() {
    this.exactlyOnce = true;
    return this;
  }

  @Override
  public DefaultBridgeBuilder<S, O> map(BridgeFunction<S, O> mapping) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    return this;
  }

  @Override
  public KafkaBridge<S, O> start() {
    List<String> problems = new ArrayList<>();
    if (topic == null) {
      problems.add("the legacy topic is not set: .from(\"legacy.topic\")");
    }
    if (group == null) {
      problems.add("the consumer group is not set: .group(\"my-bridge\")");
    }
    if (mapping == null) {
      problems.add("the mapping is not set: .map(record -> new Product(...))");
    }
    String name = format.name();
    if (sourceType == null
        && (name == null || name.isBlank() || name.indexOf(';') >= 0 || name.indexOf(',') >= 0)) {
      problems.add(
          "the source format's name '"
              + name
              + "' cannot name the legacy parent; set .sourceType(\"legacy.system.format\")");
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(
          "bridge to " + contract.id() + " cannot start", problems);
    }
    String source = Objects.requireNonNull(topic);
    String g = Objects.requireNonNull(group);
    DefaultConsumerBuilder.checkTopic(source + "." + g + ".dlq", "dead-letter topic");
    KafkaBridge<S, O> bridge =
        new KafkaBridge<>(
            ctx,
            contract,
            format,
            Objects.requireNonNull(mapping),
            source,
            g,
            sourceType != null ? sourceType : "legacy." + name,
            start,
            exactlyOnce);
    registrar.accept(bridge);
    try {
      return bridge.start();
    } catch (RuntimeException e) {
      bridge.close();
      throw e;
    }
  }
}
