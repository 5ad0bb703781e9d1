package io.meshsdk.benchmarks;

import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** What the end-to-end harnesses on a broker share: the broker, end offsets, medians. */
final class Harnesses {
  private Harnesses() {}

  /** A broker and its address; closing it stops the broker. */
  record Broker(String bootstrapServers, AutoCloseable process) {}

  /**
   * A broker in its own JVM (1 GiB heap), so its threads, heap and garbage are not the harness's;
   * or, with {@code inline}, in this JVM.
   */
  static Broker start(boolean inline) throws IOException {
    if (inline) {
      EmbeddedKafkaBroker b = EmbeddedKafkaBroker.create().start();
      return new Broker(b.bootstrapServers(), b);
    }
    BrokerProcess b = BrokerProcess.start(List.of("-Xms1g", "-Xmx1g"), Map.of());
    return new Broker(b.bootstrapServers(), b);
  }

  /** The sum of a topic's end offsets; 0 while the topic does not exist. */
  static long endOffsets(Admin admin, String topic) throws Exception {
    Map<String, TopicDescription> found;
    try {
      found = admin.describeTopics(List.of(topic)).allTopicNames().get();
    } catch (ExecutionException e) {
      return 0;
    }
    int partitions = found.get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
    for (int p = 0; p < partitions; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(specs).all().get().values().stream().mapToLong(o -> o.offset()).sum();
  }

  /** The median (of an even count, the mean of the middle two). */
  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
