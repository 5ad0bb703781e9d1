package io.meshsdk.consumer.internal;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns the poll loop exactly-once: each polled batch is one transaction of the given producer;
 * outputs, dead letters and the consumed offsets commit together or not at all.
 */
public interface TransactionHooks {
  /** The transactional producer (outputs and dead letters go through it). */
  Producer<byte[], byte[]> producer();

  /** Starts the batch's transaction. */
  void begin();

  /** Adds the offsets to the transaction and commits it. */
  void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group);

  /** Aborts the batch's transaction. */
  void abort();
}
