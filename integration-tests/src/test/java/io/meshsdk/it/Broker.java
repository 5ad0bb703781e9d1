package io.meshsdk.it;

import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Helpers shared by the integration tests: the shared broker, meshes, reading topics raw. */
final class Broker {
  private Broker() {}

  static EmbeddedKafkaBroker shared() {
    return EmbeddedKafkaBroker.shared();
  }

  static MeshBuilder mesh(String application, InMemorySchemaRegistry registry) {
    return Mesh.builder()
        .application(application)
        .bootstrapServers(shared().bootstrapServers())
        .schemaRegistry(registry)
        .closeTimeout(Duration.ofSeconds(10));
  }

  /** A mesh on the shared broker and the shared real registry, its topics under a prefix. */
  static MeshBuilder meshOnRegistry(String application, String topicPrefix) {
    return Mesh.builder()
        .properties(
            java.util.Map.of(
                "mesh.application",
                application,
                "bootstrap.servers",
                shared().bootstrapServers(),
                "schema.registry.url",
                ApicurioRegistry.shared().url(),
                "mesh.topic.prefix",
                topicPrefix,
                "mesh.close.timeout.ms",
                "10000"));
  }

  /** Every record of a topic from the beginning, waiting until at least {@code atLeast} arrived. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, int atLeast, boolean readCommitted) {
    return readAll(
        shared().bootstrapServers(), topic, atLeast, readCommitted, Duration.ofSeconds(60));
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, int atLeast, boolean readCommitted, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> result = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "isolation.level",
                readCommitted ? "read_committed" : "read_uncommitted"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(5))) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = Map.of();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          result.add(r);
        }
        if (result.size() >= atLeast) {
          end = consumer.endOffsets(partitions);
          boolean atEnd = true;
          for (TopicPartition tp : partitions) {
            atEnd &= consumer.position(tp) >= end.get(tp);
          }
          if (atEnd) {
            break;
          }
        }
      }
    }
    return result;
  }

  /**
   * Sets configurations of a (share) group and waits until the broker reports them: a read right
   * after the change may still see the defaults.
   */
  static void setGroupConfig(String group, Map<String, String> config) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    List<AlterConfigOp> ops = new ArrayList<>();
    config.forEach(
        (k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", shared().bootstrapServers()))) {
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Config now = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                return config.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(now.get(e.getKey()).value()));
              });
    }
  }
}
