package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Replays a dead-letter topic to the original topics, committing progress in its own group. */
public final class KafkaDeadLetters implements DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);

  private final MeshContext ctx;
  private final String topic;

  public KafkaDeadLetters(MeshContext ctx, String topic) {
    this.ctx = ctx;
    this.topic = topic;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public long replay(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String group = topic + ".replay";
    long count = 0;
    try (Consumer<byte[], byte[]> consumer =
            Clients.consumer(
                ctx, ctx.application() + "-" + group, group, "earliest", false, Map.of());
        Producer<byte[], byte[]> producer =
            Clients.producer(ctx, ctx.application() + "-" + group, null)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new MeshException(
              "replay of "
                  + topic
                  + " did not finish within "
                  + timeout
                  + " ("
                  + count
                  + " replayed)");
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() >= end.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
            continue;
          }
          Header origin = r.headers().lastHeader(MeshHeaders.DLQ_TOPIC);
          if (origin == null) {
            LOG.warn(
                "{}-{}@{} has no {} header; not replayed",
                r.topic(),
                r.partition(),
                r.offset(),
                MeshHeaders.DLQ_TOPIC);
          } else {
            RecordHeaders headers = new RecordHeaders();
            for (Header h : r.headers()) {
              if (!h.key().startsWith(MeshHeaders.DLQ_PREFIX)) {
                headers.add(h);
              }
            }
            String target = new String(origin.value(), StandardCharsets.UTF_8);
            sends.add(
                producer.send(
                    new ProducerRecord<>(target, null, null, r.key(), r.value(), headers)));
            count++;
          }
          progress.put(
              new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        for (Future<RecordMetadata> f : sends) {
          f.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        }
        if (!progress.isEmpty()) {
          consumer.commitSync(progress);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while replaying " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new MeshException(
          "replaying " + topic + " failed after " + count + " records: " + e, e);
    }
    LOG.info("replayed {} dead letters from {}", count, topic);
    return count;
  }

  private static boolean caughtUp(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
