package io.meshsdk.connect;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;

/**
 * A real Kafka Connect worker (standalone, as {@code connect-standalone.sh} starts it) in the test
 * JVM, and a reader of what its connectors wrote.
 */
final class ConnectWorker implements AutoCloseable {
  private final String bootstrap;
  private final Connect<StandaloneHerder> connect;

  ConnectWorker(String bootstrap, Path dir) {
    this.bootstrap = bootstrap;
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrap);
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("offset.storage.file.filename", dir.resolve("offsets").toString());
    worker.put("offset.flush.interval.ms", "500");
    worker.put("listeners", "http://127.0.0.1:0");
    worker.put("plugin.discovery", "only_scan");
    this.connect = new ConnectStandalone().startConnect(worker);
  }

  /** Creates a connector and waits until the worker has taken it. */
  void put(String name, Map<String, String> config) throws Exception {
    Map<String, String> c = new HashMap<>(config);
    c.put("name", name);
    CompletableFuture<Object> done = new CompletableFuture<>();
    connect
        .herder()
        .putConnectorConfig(
            name,
            c,
            false,
            (error, created) -> {
              if (error != null) {
                done.completeExceptionally(error);
              } else {
                done.complete(created);
              }
            });
    done.get(60, TimeUnit.SECONDS);
  }

  /**
   * Every record of a topic from the beginning: at least {@code atLeast}, and everything up to the
   * end offsets as they are then, so that more than expected is seen too.
   */
  List<ConsumerRecord<byte[], byte[]>> read(String topic, int atLeast) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", bootstrap),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                List<PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                return found != null && !found.isEmpty();
              });
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(5))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= atLeast;
              });
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
              });
    }
    return out;
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
