package io.meshsdk.testkit.memory;

import io.meshsdk.testkit.memory.InMemoryKafka.Topic;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.jspecify.annotations.Nullable;

/**
 * The admin client of {@link InMemoryKafka}, behind a dynamic proxy of {@code Admin}: it answers
 * {@code createTopics}, {@code describeTopics}, {@code describeConfigs}, {@code listTopics} names
 * and {@code close}; every other method throws {@code UnsupportedOperationException}.
 */
final class InMemoryAdmin implements InvocationHandler {
  private final InMemoryKafka kafka;

  InMemoryAdmin(InMemoryKafka kafka) {
    this.kafka = kafka;
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "createTopics":
        return createTopics(castCollection(args[0]));
      case "describeTopics":
        Object arg = args[0];
        Collection<String> names =
            arg instanceof TopicCollection.TopicNameCollection c
                ? c.topicNames()
                : castCollection(arg);
        return describeTopics(names);
      case "describeConfigs":
        return describeConfigs(castCollection(args[0]));
      case "close":
        return null;
      case "toString":
        return "InMemoryAdmin[" + kafka + "]";
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      default:
        throw InMemoryKafka.unsupported("Admin." + method.getName());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Collection<T> castCollection(Object o) {
    return (Collection<T>) o;
  }

  private CreateTopicsResult createTopics(Collection<NewTopic> topics) {
    Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> results =
        new LinkedHashMap<>();
    for (NewTopic t : topics) {
      KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> f = new KafkaFutureImpl<>();
      try {
        kafka.createTopic(
            t.name(), t.numPartitions() > 0 ? t.numPartitions() : 1, configsOf(t.configs()));
        f.complete(null);
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
      results.put(t.name(), f);
    }
    return new CreateTopicsResult(results) {};
  }

  private static Map<String, String> configsOf(Map<String, String> configs) {
    return configs == null ? Map.of() : configs;
  }

  private DescribeTopicsResult describeTopics(Collection<String> names) {
    Map<String, KafkaFuture<TopicDescription>> results = new LinkedHashMap<>();
    kafka.lock.lock();
    try {
      for (String name : names) {
        KafkaFutureImpl<TopicDescription> f = new KafkaFutureImpl<>();
        Topic t = kafka.topic(name);
        if (t == null) {
          f.completeExceptionally(
              new UnknownTopicOrPartitionException("topic " + name + " does not exist"));
        } else {
          List<TopicPartitionInfo> partitions = new ArrayList<>();
          for (int p = 0; p < t.partitions.size(); p++) {
            partitions.add(
                new TopicPartitionInfo(
                    p,
                    InMemoryKafka.NODE,
                    List.of(InMemoryKafka.NODE),
                    List.of(InMemoryKafka.NODE)));
          }
          f.complete(new TopicDescription(name, false, partitions));
        }
        results.put(name, f);
      }
    } finally {
      kafka.lock.unlock();
    }
    return new DescribeTopicsResult(null, results) {};
  }

  private DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources) {
    Map<ConfigResource, KafkaFuture<Config>> results = new HashMap<>();
    kafka.lock.lock();
    try {
      for (ConfigResource r : resources) {
        KafkaFutureImpl<Config> f = new KafkaFutureImpl<>();
        Topic t = r.type() == ConfigResource.Type.TOPIC ? kafka.topic(r.name()) : null;
        if (t == null) {
          f.completeExceptionally(
              new UnknownTopicOrPartitionException("topic " + r.name() + " does not exist"));
        } else {
          List<ConfigEntry> entries = new ArrayList<>();
          t.configs.forEach((k, v) -> entries.add(new ConfigEntry(k, v)));
          f.complete(new Config(entries));
        }
        results.put(r, f);
      }
    } finally {
      kafka.lock.unlock();
    }
    return new DescribeConfigsResult(results) {};
  }
}
