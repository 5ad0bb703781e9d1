package io.meshsdk.testkit.memory;

import io.meshsdk.testkit.memory.InMemoryKafka.Stored;
import io.meshsdk.testkit.memory.InMemoryKafka.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.jspecify.annotations.Nullable;

/** A producer of {@link InMemoryKafka}. Thread-safe, as Kafka's. */
final class InMemoryProducer implements Producer<byte[], byte[]> {
  private final InMemoryKafka kafka;
  private final @Nullable String transactionalId;
  private int epoch = -1;
  private boolean inTransaction;
  private boolean closed;
  private int roundRobin;
  private final Map<String, Map<TopicPartition, Long>> pendingOffsets = new HashMap<>();

  InMemoryProducer(InMemoryKafka kafka, Map<String, Object> config) {
    this.kafka = kafka;
    Object id = config.get("transactional.id");
    this.transactionalId = id == null ? null : id.toString();
  }

  @Override
  public void initTransactions() {
    String id = requireTransactional("initTransactions");
    kafka.lock.lock();
    try {
      requireOpen();
      epoch = kafka.fence(id);
      inTransaction = false;
      pendingOffsets.clear();
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void beginTransaction() {
    kafka.lock.lock();
    try {
      requireCurrent("beginTransaction");
      if (inTransaction) {
        throw new IllegalStateException("a transaction is already in progress");
      }
      inTransaction = true;
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    kafka.lock.lock();
    try {
      requireInTransaction("sendOffsetsToTransaction");
      Map<TopicPartition, Long> map =
          pendingOffsets.computeIfAbsent(groupMetadata.groupId(), g -> new HashMap<>());
      offsets.forEach((tp, o) -> map.put(tp, o.offset()));
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void commitTransaction() {
    kafka.lock.lock();
    try {
      requireInTransaction("commitTransaction");
      kafka.endTransaction(requireTransactional("commitTransaction"), true);
      pendingOffsets.forEach((group, offsets) -> kafka.group(group).committed.putAll(offsets));
      pendingOffsets.clear();
      inTransaction = false;
      kafka.changed.signalAll();
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public void abortTransaction() {
    kafka.lock.lock();
    try {
      requireInTransaction("abortTransaction");
      kafka.endTransaction(requireTransactional("abortTransaction"), false);
      pendingOffsets.clear();
      inTransaction = false;
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(
      ProducerRecord<byte[], byte[]> record, @Nullable Callback callback) {
    if (record == null) {
      throw new NullPointerException("record");
    }
    CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
    Callback both =
        (metadata, error) -> {
          if (callback != null) {
            callback.onCompletion(metadata, error);
          }
          if (error != null) {
            future.completeExceptionally(error);
          } else {
            future.complete(metadata);
          }
        };
    Runnable done;
    kafka.lock.lock();
    try {
      requireOpen();
      if (transactionalId != null) {
        requireInTransaction("send");
      }
      RuntimeException failure = kafka.nextSendFailure(record.topic());
      if (failure != null) {
        done = () -> both.onCompletion(null, failure);
      } else {
        done = append(record, both);
        kafka.changed.signalAll();
      }
    } finally {
      kafka.lock.unlock();
    }
    done.run();
    return future;
  }

  /** Appends under the lock; returns the callback to run outside it. */
  private Runnable append(ProducerRecord<byte[], byte[]> record, @Nullable Callback callback) {
    Topic t = kafka.topicOrCreate(record.topic());
    int partition = partitionOf(record, t);
    List<Stored> log = t.partitions.get(partition);
    long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
    Header[] headers = record.headers().toArray();
    for (int i = 0; i < headers.length; i++) {
      headers[i] = copy(headers[i]);
    }
    Stored stored =
        new Stored(
            record.key(),
            record.value(),
            headers,
            timestamp,
            transactionalId != null ? InMemoryKafka.OPEN : InMemoryKafka.COMMITTED);
    log.add(stored);
    if (transactionalId != null) {
      kafka.openTransaction(transactionalId).add(stored);
    }
    RecordMetadata metadata =
        new RecordMetadata(
            new TopicPartition(record.topic(), partition),
            log.size() - 1,
            0,
            timestamp,
            record.key() == null ? -1 : record.key().length,
            record.value() == null ? -1 : record.value().length);
    return () -> {
      if (callback != null) {
        callback.onCompletion(metadata, null);
      }
    };
  }

  /** The record's partition, else Kafka's key hash, else round robin. */
  private int partitionOf(ProducerRecord<byte[], byte[]> record, Topic t) {
    Integer p = record.partition();
    int count = t.partitions.size();
    if (p == null) {
      return record.key() != null
          ? InMemoryKafka.partitionForKey(record.key(), count)
          : Math.floorMod(roundRobin++, count);
    }
    if (p < 0 || p >= count) {
      throw new IllegalArgumentException(
          "partition " + p + " of " + t.name + " does not exist (" + count + ")");
    }
    return p;
  }

  private static Header copy(Header h) {
    byte[] v = h.value();
    return new org.apache.kafka.common.header.internals.RecordHeader(
        h.key(), v == null ? null : v.clone());
  }

  @Override
  public void flush() {}

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    kafka.lock.lock();
    try {
      return kafka.partitionInfos(kafka.topicOrCreate(topic));
    } finally {
      kafka.lock.unlock();
    }
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return Map.of();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    throw InMemoryKafka.unsupported("clientInstanceId");
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {}

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {}

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  @Override
  public void close(Duration timeout) {
    kafka.lock.lock();
    try {
      if (!closed
          && transactionalId != null
          && epoch >= 0
          && kafka.epoch(transactionalId) == epoch) {
        kafka.endTransaction(transactionalId, false); // closing aborts an open transaction
      }
      closed = true;
      pendingOffsets.clear();
    } finally {
      kafka.lock.unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot perform operation after producer has been closed");
    }
  }

  private String requireTransactional(String op) {
    if (transactionalId == null) {
      throw new IllegalStateException("Cannot use " + op + " without setting the transactional.id");
    }
    return transactionalId;
  }

  private void requireCurrent(String op) {
    requireOpen();
    String id = requireTransactional(op);
    if (epoch < 0) {
      throw new IllegalStateException("Cannot " + op + " before initTransactions()");
    }
    if (kafka.epoch(id) != epoch) {
      throw new ProducerFencedException(
          "producer with transactional.id " + id + " was fenced by a newer instance");
    }
  }

  private void requireInTransaction(String op) {
    requireCurrent(op);
    if (!inTransaction) {
      throw new IllegalStateException("Cannot " + op + ": no transaction in progress");
    }
  }
}
