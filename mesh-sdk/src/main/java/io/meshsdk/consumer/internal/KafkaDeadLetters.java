package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.FailedEvent;
import io.meshsdk.consumer.FailedEventHandler;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.KeyManagementException;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.internal.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a dead-letter topic to the original topics or through a handler, committing progress in
 * its own group. Not thread-safe.
 */
public final class KafkaDeadLetters<T> implements DeadLetters<T> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);

  private final MeshContext ctx;
  private final ProductContract<T> contract;
  private final String topic;

  public KafkaDeadLetters(MeshContext ctx, ProductContract<T> contract, String topic) {
    this.ctx = ctx;
    this.contract = contract;
    this.topic = topic;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public long replay(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    Producer<byte[], byte[]> producer = ctx.producer(); // the mesh's: not closed here
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    return run(
        timeout,
        new Step() {
          @Override
          public boolean take(ConsumerRecord<byte[], byte[]> r) {
            Header origin = r.headers().lastHeader(MeshHeaders.DLQ_TOPIC);
            if (origin == null || origin.value() == null) {
              LOG.warn(
                  "{}-{}@{} has no {} header; not replayed",
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  MeshHeaders.DLQ_TOPIC);
              return false;
            }
            if (r.headers().lastHeader(MeshHeaders.DLQ_OMITTED) != null) {
              // sending it would publish a record without its value (a tombstone)
              throw new StoppedAt(
                  r.topic() + "-" + r.partition() + "@" + r.offset(),
                  new MeshException(
                      "the dead letter left out its "
                          + text(r, MeshHeaders.DLQ_OMITTED).orElse("value")
                          + " (too large for the dead-letter topic), so it cannot be replayed to"
                          + " the topic; the original is at "
                          + new String(origin.value(), StandardCharsets.UTF_8)
                          + "-"
                          + text(r, MeshHeaders.DLQ_PARTITION).orElse("?")
                          + "@"
                          + text(r, MeshHeaders.DLQ_OFFSET).orElse("?")
                          + " while its retention keeps it; replay through a handler to skip or"
                          + " fetch it"));
            }
            String target = new String(origin.value(), StandardCharsets.UTF_8);
            // the original's timestamp, not the replay's: it may be the event time
            long original = number(r, MeshHeaders.DLQ_TIMESTAMP);
            long timestamp = original >= 0 ? original : r.timestamp();
            sends.add(
                producer.send(
                    new ProducerRecord<>(
                        target,
                        null,
                        timestamp >= 0 ? timestamp : null,
                        r.key(),
                        r.value(),
                        DeadLetterRecords.withoutDlqHeaders(r.headers()))));
            return true;
          }

          @Override
          public void settle(long deadline)
              throws InterruptedException, ExecutionException, TimeoutException {
            // progress is committed only once every send of the batch is acknowledged
            for (Future<RecordMetadata> f : sends) {
              f.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            }
            sends.clear();
          }
        });
  }

  @Override
  public long replay(FailedEventHandler<T> handler, Duration timeout) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(timeout, "timeout");
    // the mesh's cipher: a replayed record keeps its encrypted fields
    MeshDeserializer<T> deserializer =
        MeshDeserializer.of(Codecs.create(contract, ctx.fieldCipher()), ctx.registry());
    return run(
        timeout,
        new Step() {
          @Override
          public boolean take(ConsumerRecord<byte[], byte[]> r) {
            FailedEvent<T> event = failedEvent(r, deserializer);
            try {
              handler.handle(event);
            } catch (Exception | LinkageError | AssertionError e) {
              throw new StoppedAt(event.deadLetterPosition(), e);
            }
            return true;
          }

          @Override
          public void settle(long deadline) {
            // handled synchronously: nothing to wait for
          }
        });
  }

  /** What a replay does with each dead letter. */
  private interface Step {
    /**
     * Takes one dead letter.
     *
     * @return whether it counts as replayed
     * @throws StoppedAt to stop the replay before this record
     */
    boolean take(ConsumerRecord<byte[], byte[]> r);

    /** Waits until what was taken so far is done; then its progress is committed. */
    void settle(long deadline) throws InterruptedException, ExecutionException, TimeoutException;
  }

  /** The handler failed on a dead letter: the replay stops before it. */
  private static final class StoppedAt extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String where;

    StoppedAt(String where, Throwable cause) {
      super(cause);
      this.where = where;
    }
  }

  private long run(Duration timeout, Step step) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String group = topic + ".replay";
    long count = 0;
    Consumer<byte[], byte[]> consumer =
        Clients.consumer(
            ctx,
            Clients.clientId(ctx.application() + "-" + group),
            group,
            "earliest",
            false,
            Map.of());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
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
        Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() >= end.getOrDefault(tp, 0L)) {
              continue; // arrived during the replay: left for the next one
            }
            if (step.take(r)) {
              count++;
            }
            progress.put(tp, new OffsetAndMetadata(r.offset() + 1));
          }
        } catch (StoppedAt | SchemaRegistryException | KeyManagementException e) {
          step.settle(deadline); // what was taken before it is sent before its progress commits
          commit(consumer, progress);
          throw stopped(e, count);
        }
        step.settle(deadline);
        commit(consumer, progress);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while replaying " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new MeshException(
          "replaying " + topic + " failed after " + count + " records: " + e, e);
    } finally {
      try {
        consumer.close(CloseOptions.timeout(ctx.closeTimeout()));
      } catch (RuntimeException e) {
        LOG.warn("closing the replay consumer of {} failed: {}", topic, e.toString());
      }
    }
    LOG.info("replayed {} dead letters from {}", count, topic);
    return count;
  }

  private MeshException stopped(RuntimeException e, long count) {
    if (e instanceof StoppedAt s) {
      return new MeshException(
          "replay of "
              + topic
              + " stopped at "
              + s.where
              + " ("
              + count
              + " replayed before; the next replay starts there): "
              + s.getCause(),
          s.getCause());
    }
    return new MeshException(
        "replay of "
            + topic
            + (e instanceof KeyManagementException
                ? " stopped: an encrypted field's data key cannot be loaded ("
                : " stopped: the schema registry cannot be reached (")
            + count
            + " handled before; the next replay starts there): "
            + e.getMessage(),
        e);
  }

  private static void commit(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> progress) {
    if (!progress.isEmpty()) {
      consumer.commitSync(progress);
    }
  }

  private FailedEvent<T> failedEvent(
      ConsumerRecord<byte[], byte[]> r, MeshDeserializer<T> deserializer) {
    T value = null;
    String error = null;
    try {
      if (r.headers().lastHeader(MeshHeaders.DLQ_OMITTED) != null) {
        error =
            "the dead letter left out its "
                + text(r, MeshHeaders.DLQ_OMITTED).orElse("value")
                + " ("
                + text(r, MeshHeaders.DLQ_VALUE_SIZE).orElse("?")
                + " bytes, SHA-256 "
                + text(r, MeshHeaders.DLQ_VALUE_SHA256).orElse("?")
                + "): too large for the dead-letter topic";
      } else {
        value = deserializer.deserialize(r.topic(), r.headers(), r.value());
      }
    } catch (RecordDecodingException e) {
      error = e.getMessage();
    } catch (SchemaRegistryException e) {
      if (e.isRetriable()) {
        throw e; // an outage: stop rather than hand over a record that could be decoded later
      }
      error = e.getMessage();
    }
    RecordHeaders original = DeadLetterRecords.withoutDlqHeaders(r.headers());
    original.setReadOnly();
    return new DefaultFailedEvent<>(
        Optional.ofNullable(value),
        Optional.ofNullable(error),
        r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
        r.value(),
        original,
        text(r, MeshHeaders.DLQ_REASON).orElse("unknown"),
        text(r, MeshHeaders.DLQ_EXCEPTION),
        text(r, MeshHeaders.DLQ_MESSAGE),
        text(r, MeshHeaders.DLQ_TOPIC).orElse(""),
        (int) number(r, MeshHeaders.DLQ_PARTITION),
        number(r, MeshHeaders.DLQ_OFFSET),
        text(r, MeshHeaders.DLQ_GROUP).orElse(""),
        (int) number(r, MeshHeaders.DLQ_ATTEMPTS),
        r.topic() + "-" + r.partition() + "@" + r.offset());
  }

  private static Optional<String> text(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  /** A numeric dead-letter header, or -1 when missing or not a number. */
  private static long number(ConsumerRecord<byte[], byte[]> r, String name) {
    try {
      return text(r, name).map(Long::parseLong).orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
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

  /** A dead letter as a replay handler sees it. */
  private record DefaultFailedEvent<T>(
      Optional<T> value,
      Optional<String> decodingError,
      @Nullable String key,
      byte @Nullable [] rawValue,
      Headers headers,
      String reason,
      Optional<String> exception,
      Optional<String> message,
      String originalTopic,
      int originalPartition,
      long originalOffset,
      String group,
      int attempts,
      String deadLetterPosition)
      implements FailedEvent<T> {
    @Override
    public String toString() {
      return "FailedEvent["
          + originalTopic
          + "-"
          + originalPartition
          + "@"
          + originalOffset
          + " reason="
          + reason
          + " at "
          + deadLetterPosition
          + "]";
    }
  }
}
