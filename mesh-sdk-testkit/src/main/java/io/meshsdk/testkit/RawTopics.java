package io.meshsdk.testkit;

import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.testkit.memory.InMemoryKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A test mesh's raw access to its Kafka: reading whole topics ({@code read_committed}), listing
 * topics, writing raw records. In memory it asks the cluster directly; otherwise it keeps one
 * reader and one producer, created on first use. Thread-safe; closed with the test mesh.
 */
final class RawTopics implements AutoCloseable {
  private final @Nullable InMemoryKafka kafka;
  private final KafkaClientFactory clients;
  private final String bootstrapServers;
  private final String application;
  private final Duration timeout;
  private @Nullable Consumer<byte[], byte[]> reader;
  private @Nullable Producer<byte[], byte[]> rawProducer;

  RawTopics(
      @Nullable InMemoryKafka kafka,
      KafkaClientFactory clients,
      String bootstrapServers,
      String application,
      Duration timeout) {
    this.kafka = kafka;
    this.clients = clients;
    this.bootstrapServers = bootstrapServers;
    this.application = application;
    this.timeout = timeout;
  }

  List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (kafka != null) {
      return kafka.records(topic);
    }
    synchronized (this) {
      var c = reader();
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : c.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      if (partitions.isEmpty()) {
        return List.of();
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
      partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!caughtUp(c, end)) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("could not read " + topic + " to its end within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          List<ConsumerRecord<byte[], byte[]>> records = byPartition.get(tp);
          if (records != null && r.offset() < end.getOrDefault(tp, 0L)) {
            records.add(r);
          }
        }
      }
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
      byPartition.values().forEach(all::addAll);
      return all;
    }
  }

  synchronized String send(String topic, byte @Nullable [] key, byte @Nullable [] value) {
    Objects.requireNonNull(topic, "topic");
    if (rawProducer == null) {
      Map<String, Object> config = new HashMap<>();
      config.put("bootstrap.servers", bootstrapServers);
      config.put("client.id", application + "-testkit-raw");
      rawProducer = clients.producer(config);
    }
    try {
      var m =
          rawProducer
              .send(new ProducerRecord<>(topic, key, value))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return m.topic() + "-" + m.partition() + "@" + m.offset();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("sending a raw record to " + topic + " failed: " + e, e);
    }
  }

  List<String> topics() {
    if (kafka != null) {
      return kafka.topics();
    }
    synchronized (this) {
      return List.copyOf(reader().listTopics(timeout).keySet());
    }
  }

  private Consumer<byte[], byte[]> reader() {
    if (reader == null) {
      Map<String, Object> config = new HashMap<>();
      config.put("bootstrap.servers", bootstrapServers);
      config.put("isolation.level", "read_committed");
      config.put("auto.offset.reset", "earliest");
      config.put("client.id", application + "-testkit-reader");
      reader = clients.consumer(config);
    }
    return reader;
  }

  private static boolean caughtUp(Consumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() {
    if (reader != null) {
      reader.close(Duration.ofSeconds(5));
      reader = null;
    }
    if (rawProducer != null) {
      rawProducer.close(Duration.ofSeconds(5));
      rawProducer = null;
    }
  }
}
