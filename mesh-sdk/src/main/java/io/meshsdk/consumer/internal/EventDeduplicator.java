package io.meshsdk.consumer.internal;

import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the last {@code window} event ids handled by a consumer reading several majors, so an
 * event arriving through two topics is handled once. An id is remembered only after its handler
 * succeeded (a dead-lettered event can be replayed); the two copies of one id are handled one after
 * the other (striped locks), never at the same time. Thread-safe.
 */
final class EventDeduplicator {
  private static final Logger LOG = LoggerFactory.getLogger(EventDeduplicator.class);
  private static final int STRIPES = 64;

  /** The work to do for an event. */
  interface Action {
    void run() throws Exception;
  }

  private final int window;
  private final Map<String, Boolean> seen;
  private final Object[] stripes = new Object[STRIPES];
  private final Counter duplicates;
  private final String group;

  EventDeduplicator(
      int window, Telemetry telemetry, String application, String product, String group) {
    this.window = window;
    this.group = group;
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > EventDeduplicator.this.window;
          }
        };
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
    this.duplicates =
        Counter.builder(MeshMetrics.DUPLICATES)
            .tags(
                Tags.of(
                    MeshMetrics.TAG_APPLICATION, application,
                    MeshMetrics.TAG_PRODUCT, product,
                    MeshMetrics.TAG_GROUP, group))
            .register(telemetry.meters());
  }

  /** Runs the action unless the id was handled already; remembers it when the action succeeds. */
  void handle(String eventId, Action action) throws Exception {
    synchronized (stripes[Math.floorMod(eventId.hashCode(), STRIPES)]) {
      if (contains(eventId)) {
        Telemetry.safely(duplicates::increment);
        return;
      }
      action.run();
      remember(eventId);
    }
  }

  synchronized boolean contains(String eventId) {
    return seen.containsKey(eventId);
  }

  synchronized void remember(String eventId) {
    seen.put(eventId, Boolean.TRUE);
  }

  /**
   * Remembers the ids of the records the group already committed on each topic: up to {@code
   * window} records before each partition's committed offset.
   */
  void seed(MeshContext ctx, List<String> topics) {
    int count = 0;
    Duration timeout = ctx.closeTimeout();
    try (Consumer<byte[], byte[]> c =
        Clients.consumer(
            ctx,
            Clients.clientId(ctx.application() + "-" + group + "-dedup-seed"),
            group,
            "earliest",
            true,
            Map.of())) {
      for (String topic : topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : c.partitionsFor(topic, timeout)) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
        if (partitions.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
            c.committed(new HashSet<>(partitions), timeout);
        Map<TopicPartition, Long> until = new LinkedHashMap<>();
        committed.forEach(
            (tp, o) -> {
              if (o != null && o.offset() > 0) {
                until.put(tp, o.offset());
              }
            });
        if (until.isEmpty()) {
          continue;
        }
        c.assign(until.keySet());
        until.forEach((tp, end) -> c.seek(tp, Math.max(0, end - window)));
        Set<TopicPartition> open = new HashSet<>(until.keySet());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
            Long end = until.get(new TopicPartition(r.topic(), r.partition()));
            if (end != null && r.offset() < end) {
              // a translation's original id, else the record's own: one key per event
              Header id = r.headers().lastHeader(MeshHeaders.ORIGIN_ID);
              if (id == null) {
                id = r.headers().lastHeader(MeshHeaders.ID);
              }
              if (id != null && id.value() != null) {
                remember(new String(id.value(), StandardCharsets.UTF_8));
                count++;
              }
            }
          }
          // open holds keys of until
          open.removeIf(tp -> c.position(tp) >= Objects.requireNonNull(until.get(tp)));
        }
        if (!open.isEmpty()) {
          LOG.warn(
              "{}: seeding de-duplication from {} did not finish within {}; events handled"
                  + " before may be handled again",
              group,
              open,
              timeout);
        }
      }
    } catch (KafkaException e) {
      LOG.warn(
          "{}: cannot seed de-duplication from {}: {}; events handled before may be handled again",
          group,
          topics,
          e.toString());
    }
    LOG.info("{}: de-duplication seeded with {} event ids from {}", group, count, topics);
  }
}
