package io.meshsdk.testkit.memory;

import io.meshsdk.testkit.memory.InMemoryKafka.Group;
import io.meshsdk.testkit.memory.InMemoryKafka.Stored;
import io.meshsdk.testkit.memory.InMemoryKafka.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.jspecify.annotations.Nullable;

/**
 * A consumer of {@link InMemoryKafka}. Like Kafka's, used by one thread at a time, except {@link
 * #wakeup()}.
 */
final class InMemoryConsumer implements Consumer<byte[], byte[]> {
  private static final ConsumerRebalanceListener NO_LISTENER =
      new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
      };

  private final InMemoryKafka kafka;
  private final @Nullable String groupId;
  private final String memberId;
  private final String autoOffsetReset;
  private final int maxPollRecords;
  private final AtomicBoolean wakeup = new AtomicBoolean();

  // guarded by kafka.lock
  private final Set<String> subscription = new HashSet<>();
  private ConsumerRebalanceListener listener = NO_LISTENER;
  private final Set<TopicPartition> assignment = new TreeSet<>(InMemoryKafka.PARTITION_ORDER);
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private boolean manual;
  private boolean closed;
  private int rotation;

  InMemoryConsumer(InMemoryKafka kafka, Map<String, Object> config) {
    this.kafka = kafka;
    Object group = config.get("group.id");
    this.groupId = group == null || group.toString().isEmpty() ? null : group.toString();
    Object client = config.getOrDefault("client.id", "consumer");
    this.autoOffsetReset = String.valueOf(config.getOrDefault("auto.offset.reset", "latest"));
    this.maxPollRecords =
        Integer.parseInt(String.valueOf(config.getOrDefault("max.poll.records", 500)));
    kafka.lock.lock();
    try {
      this.memberId = kafka.nextMemberId(client.toString());
    } finally {
      kafka.lock.unlock();
    }
  }

  Set<String> subscribedTopics() {
    return subscription;
  }

  // ---- subscription and assignment ----

  @Override
  public Set<TopicPartition> assignment() {
    return locked(() -> Set.copyOf(assignment));
  }

  @Override
  public Set<String> subscription() {
    return locked(() -> Set.copyOf(subscription));
  }

  @Override
  public void subscribe(Collection<String> topics) {
    subscribe(topics, NO_LISTENER);
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    if (topics == null || listener == null) {
      throw new IllegalArgumentException("topics and listener must not be null");
    }
    if (topics.isEmpty()) {
      unsubscribe();
      return;
    }
    kafka.lock.lock();
    try {
      requireOpen();
      if (manual) {
        throw new IllegalStateException(
            "Subscription to topics, partitions and pattern are mutually exclusive");
      }
      Group g = requireGroup();
      subscription.clear();
      subscription.addAll(topics);
      this.listener = listener;
      if (!g.members.contains(this)) {
        g.members.add(this);
      }
      g.generation++;
      kafka.changed.signalAll();
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void assign(Collection<TopicPartition> partitions) {
    kafka.lock.lock();
    try {
      requireOpen();
      if (!subscription.isEmpty()) {
        throw new IllegalStateException(
            "Subscription to topics, partitions and pattern are mutually exclusive");
      }
      manual = !partitions.isEmpty();
      assignment.clear();
      assignment.addAll(partitions);
      positions.keySet().retainAll(assignment);
      paused.retainAll(assignment);
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void subscribe(Pattern pattern, ConsumerRebalanceListener callback) {
    throw InMemoryKafka.unsupported("subscribe(Pattern)");
  }

  @Override
  public void subscribe(Pattern pattern) {
    throw InMemoryKafka.unsupported("subscribe(Pattern)");
  }

  @Override
  public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener callback) {
    throw InMemoryKafka.unsupported("subscribe(SubscriptionPattern)");
  }

  @Override
  public void subscribe(SubscriptionPattern pattern) {
    throw InMemoryKafka.unsupported("subscribe(SubscriptionPattern)");
  }

  @Override
  public void unsubscribe() {
    leave(true);
    kafka.lock.lock();
    try {
      manual = false;
      assignment.clear();
      positions.clear();
      paused.clear();
    } finally {
      kafka.lock.unlock();
    }
  }

  /** Revokes owned partitions (telling the listener) and leaves the group. */
  private void leave(boolean revoke) {
    List<TopicPartition> owned;
    ConsumerRebalanceListener l;
    kafka.lock.lock();
    try {
      if (subscription.isEmpty()) {
        return;
      }
      owned = new ArrayList<>(assignment);
      l = listener;
    } finally {
      kafka.lock.unlock();
    }
    if (revoke && !owned.isEmpty()) {
      l.onPartitionsRevoked(owned);
    }
    kafka.lock.lock();
    try {
      if (groupId != null) {
        Group g = kafka.group(groupId);
        g.members.remove(this);
        g.owners.values().removeIf(m -> m == this);
        g.generation++;
      }
      subscription.clear();
      assignment.clear();
      positions.clear();
      paused.clear();
      listener = NO_LISTENER;
      kafka.changed.signalAll();
    } finally {
      kafka.lock.unlock();
    }
  }

  /**
   * Brings the assignment in line with the group: releases partitions this member should no longer
   * own (after telling the listener, so it can commit), then takes the free ones it should own.
   */
  private void rebalance() {
    List<TopicPartition> lost = new ArrayList<>();
    ConsumerRebalanceListener l;
    kafka.lock.lock();
    try {
      if (subscription.isEmpty() || groupId == null) {
        return;
      }
      Group g = kafka.group(groupId);
      if (!g.members.contains(this)) {
        g.members.add(this);
        g.generation++;
      }
      Set<TopicPartition> target = kafka.target(g, this);
      for (TopicPartition tp : assignment) {
        if (!target.contains(tp)) {
          lost.add(tp);
        }
      }
      l = listener;
    } finally {
      kafka.lock.unlock();
    }
    if (!lost.isEmpty()) {
      l.onPartitionsRevoked(lost);
      kafka.lock.lock();
      try {
        Group g = kafka.group(groupId);
        for (TopicPartition tp : lost) {
          g.owners.remove(tp, this);
          assignment.remove(tp);
          positions.remove(tp);
          paused.remove(tp);
        }
        kafka.changed.signalAll();
      } finally {
        kafka.lock.unlock();
      }
    }
    List<TopicPartition> gained = new ArrayList<>();
    kafka.lock.lock();
    try {
      Group g = kafka.group(groupId);
      for (TopicPartition tp : kafka.target(g, this)) {
        if (!assignment.contains(tp) && g.owners.get(tp) == null) {
          g.owners.put(tp, this);
          assignment.add(tp);
          gained.add(tp);
        }
      }
    } finally {
      kafka.lock.unlock();
    }
    if (!gained.isEmpty()) {
      l.onPartitionsAssigned(gained);
    }
  }

  // ---- polling ----

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
    long deadline = InMemoryKafka.deadline(timeout);
    while (true) {
      checkWakeup();
      kafka.lock.lock();
      try {
        requireOpen();
        if (subscription.isEmpty() && !manual) {
          throw new IllegalStateException(
              "Consumer is not subscribed to any topics or assigned any partitions");
        }
      } finally {
        kafka.lock.unlock();
      }
      rebalance();
      kafka.lock.lock();
      try {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fetched = fetch();
        if (!fetched.isEmpty()) {
          Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
          // fetch moved the position of every partition it read from
          fetched
              .keySet()
              .forEach(
                  tp ->
                      next.put(
                          tp, new OffsetAndMetadata(Objects.requireNonNull(positions.get(tp)))));
          return new ConsumerRecords<>(fetched, next);
        }
        if (wakeup.get()) {
          continue;
        }
        if (!kafka.await(deadline)) {
          return ConsumerRecords.empty();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      } finally {
        kafka.lock.unlock();
      }
    }
  }

  private Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fetch() {
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fetched = new LinkedHashMap<>();
    List<TopicPartition> order = new ArrayList<>(assignment);
    if (order.isEmpty()) {
      return fetched;
    }
    int start = Math.floorMod(rotation++, order.size());
    int budget = maxPollRecords;
    for (int i = 0; i < order.size() && budget > 0; i++) {
      TopicPartition tp = order.get((start + i) % order.size());
      Topic t = kafka.topic(tp.topic());
      if (paused.contains(tp) || t == null || tp.partition() >= t.partitions.size()) {
        continue;
      }
      List<Stored> log = t.partitions.get(tp.partition());
      long position = resolve(tp);
      long end = InMemoryKafka.stableEnd(log);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long from = position;
      while (position < end && budget > 0) {
        Stored s = log.get((int) position);
        if (s.state == InMemoryKafka.COMMITTED) {
          records.add(InMemoryKafka.toConsumerRecord(tp.topic(), tp.partition(), position, s));
          budget--;
        }
        position++;
      }
      if (position != from) {
        positions.put(tp, position);
      }
      if (!records.isEmpty()) {
        fetched.put(tp, records);
      }
    }
    return fetched;
  }

  /** The position of an assigned partition: set, else committed, else the reset policy. */
  private long resolve(TopicPartition tp) {
    Long p = positions.get(tp);
    if (p != null) {
      return p;
    }
    Long committed = groupId == null ? null : kafka.group(groupId).committed.get(tp);
    long position;
    if (committed != null) {
      position = committed;
    } else {
      switch (autoOffsetReset) {
        case "earliest" -> position = 0;
        case "latest" -> position = endOffset(tp);
        default -> throw new NoOffsetForPartitionException(tp);
      }
    }
    positions.put(tp, position);
    return position;
  }

  private long endOffset(TopicPartition tp) {
    Topic t = kafka.topic(tp.topic());
    return t == null || tp.partition() >= t.partitions.size()
        ? 0
        : InMemoryKafka.stableEnd(t.partitions.get(tp.partition()));
  }

  private void checkWakeup() {
    if (wakeup.compareAndSet(true, false)) {
      throw new WakeupException();
    }
  }

  @Override
  public void wakeup() {
    wakeup.set(true);
    kafka.lock.lock();
    try {
      kafka.changed.signalAll();
    } finally {
      kafka.lock.unlock();
    }
  }

  // ---- commits ----

  @Override
  public void commitSync() {
    commitSync(currentPositions());
  }

  @Override
  public void commitSync(Duration timeout) {
    commitSync();
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    kafka.lock.lock();
    try {
      requireOpen();
      Group g = requireGroup();
      for (TopicPartition tp : offsets.keySet()) {
        if (!subscription.isEmpty() && g.owners.get(tp) != this) {
          throw new CommitFailedException(
              "cannot commit " + tp + ": it is not assigned to this member of group " + g.id);
        }
      }
      offsets.forEach((tp, o) -> g.committed.put(tp, o.offset()));
      kafka.changed.signalAll();
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    commitSync(offsets);
  }

  @Override
  public void commitAsync() {
    commitAsync(currentPositions(), null);
  }

  @Override
  public void commitAsync(OffsetCommitCallback callback) {
    commitAsync(currentPositions(), callback);
  }

  @Override
  public void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets, @Nullable OffsetCommitCallback callback) {
    Exception error = null;
    try {
      commitSync(offsets);
    } catch (KafkaException e) {
      error = e;
    }
    if (callback != null) {
      callback.onComplete(offsets, error);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> currentPositions() {
    return locked(
        () -> {
          Map<TopicPartition, OffsetAndMetadata> map = new HashMap<>();
          positions.forEach((tp, o) -> map.put(tp, new OffsetAndMetadata(o)));
          return map;
        });
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
    return locked(
        () -> {
          Group g = requireGroup();
          Map<TopicPartition, OffsetAndMetadata> map = new HashMap<>();
          for (TopicPartition tp : partitions) {
            Long o = g.committed.get(tp);
            map.put(tp, o == null ? null : new OffsetAndMetadata(o));
          }
          return map;
        });
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> committed(
      Set<TopicPartition> partitions, Duration timeout) {
    return committed(partitions);
  }

  // ---- positions ----

  @Override
  public void seek(TopicPartition partition, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("seek offset must not be negative: " + offset);
    }
    kafka.lock.lock();
    try {
      requireAssigned(partition);
      positions.put(partition, offset);
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
    seek(partition, offsetAndMetadata.offset());
  }

  @Override
  public void seekToBeginning(Collection<TopicPartition> partitions) {
    kafka.lock.lock();
    try {
      for (TopicPartition tp : partitions.isEmpty() ? List.copyOf(assignment) : partitions) {
        requireAssigned(tp);
        positions.put(tp, 0L);
      }
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void seekToEnd(Collection<TopicPartition> partitions) {
    kafka.lock.lock();
    try {
      for (TopicPartition tp : partitions.isEmpty() ? List.copyOf(assignment) : partitions) {
        requireAssigned(tp);
        positions.put(tp, endOffset(tp));
      }
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public long position(TopicPartition partition) {
    kafka.lock.lock();
    try {
      requireAssigned(partition);
      return resolve(partition);
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public long position(TopicPartition partition, Duration timeout) {
    return position(partition);
  }

  @Override
  public Set<TopicPartition> paused() {
    return locked(() -> Set.copyOf(paused));
  }

  @Override
  public void pause(Collection<TopicPartition> partitions) {
    kafka.lock.lock();
    try {
      for (TopicPartition tp : partitions) {
        requireAssigned(tp);
        paused.add(tp);
      }
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void resume(Collection<TopicPartition> partitions) {
    kafka.lock.lock();
    try {
      for (TopicPartition tp : partitions) {
        requireAssigned(tp);
        paused.remove(tp);
      }
      kafka.changed.signalAll();
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public OptionalLong currentLag(TopicPartition partition) {
    return locked(
        () -> {
          Long p = positions.get(partition);
          return assignment.contains(partition) && p != null
              ? OptionalLong.of(Math.max(0, endOffset(partition) - p))
              : OptionalLong.empty();
        });
  }

  // ---- metadata ----

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
      Map<TopicPartition, Long> timestampsToSearch) {
    return locked(
        () -> {
          Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
          for (Map.Entry<TopicPartition, Long> e : timestampsToSearch.entrySet()) {
            TopicPartition tp = e.getKey();
            Topic t = kafka.topic(tp.topic());
            OffsetAndTimestamp hit = null;
            if (t != null && tp.partition() < t.partitions.size()) {
              List<Stored> log = t.partitions.get(tp.partition());
              for (int o = 0; o < log.size(); o++) {
                if (log.get(o).timestamp >= e.getValue()) {
                  hit = new OffsetAndTimestamp(o, log.get(o).timestamp, Optional.of(0));
                  break;
                }
              }
            }
            found.put(tp, hit);
          }
          return found;
        });
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
      Map<TopicPartition, Long> timestampsToSearch, Duration timeout) {
    return offsetsForTimes(timestampsToSearch);
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> map = new HashMap<>();
    partitions.forEach(tp -> map.put(tp, 0L));
    return map;
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(
      Collection<TopicPartition> partitions, Duration timeout) {
    return beginningOffsets(partitions);
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    return locked(
        () -> {
          Map<TopicPartition, Long> map = new HashMap<>();
          partitions.forEach(tp -> map.put(tp, endOffset(tp)));
          return map;
        });
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(
      Collection<TopicPartition> partitions, Duration timeout) {
    return endOffsets(partitions);
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return locked(
        () -> {
          Topic t = kafka.topic(topic);
          return t == null ? List.of() : kafka.partitionInfos(t);
        });
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
    return partitionsFor(topic);
  }

  @Override
  public Map<String, List<PartitionInfo>> listTopics() {
    return locked(
        () -> {
          Map<String, List<PartitionInfo>> map = new LinkedHashMap<>();
          kafka.allTopics().forEach((name, t) -> map.put(name, kafka.partitionInfos(t)));
          return map;
        });
  }

  @Override
  public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
    return listTopics();
  }

  @Override
  public ConsumerGroupMetadata groupMetadata() {
    return locked(
        () -> {
          Group g = requireGroup();
          return new ConsumerGroupMetadata(g.id, g.generation, memberId, Optional.empty());
        });
  }

  @Override
  public void enforceRebalance() {}

  @Override
  public void enforceRebalance(String reason) {}

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    throw InMemoryKafka.unsupported("clientInstanceId");
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return Map.of();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {}

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {}

  // ---- closing ----

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  @Override
  public void close(Duration timeout) {
    boolean wasOpen = locked(() -> !closed);
    if (!wasOpen) {
      return;
    }
    try {
      leave(true);
    } finally {
      kafka.lock.lock();
      try {
        closed = true;
        manual = false;
        assignment.clear();
        positions.clear();
      } finally {
        kafka.lock.unlock();
      }
    }
  }

  @Override
  public void close(CloseOptions option) {
    close(Duration.ZERO);
  }

  // ---- helpers ----

  private Group requireGroup() {
    if (groupId == null) {
      throw new InvalidGroupIdException(
          "To use the group management or offset commit APIs, you must provide a valid group.id");
    }
    return kafka.group(groupId);
  }

  private void requireAssigned(TopicPartition tp) {
    if (!assignment.contains(tp)) {
      throw new IllegalStateException("No current assignment for partition " + tp);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("This consumer has already been closed.");
    }
  }

  private <R> R locked(java.util.function.Supplier<R> body) {
    kafka.lock.lock();
    try {
      return body.get();
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryConsumer[" + memberId + "]";
  }
}
