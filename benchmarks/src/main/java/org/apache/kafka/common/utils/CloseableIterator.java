package org.apache.kafka.common.utils;

import java.io.Closeable;
import java.util.Iterator;

/**
 * A stand-in, in the benchmarks only, for the kafka-clients 3.x interface of this name, which Kafka
 * 4 moved to {@code org.apache.kafka.common.utils.internals}: Confluent's Parallel Consumer 0.5.3.3
 * (built on kafka-clients 3.9) fails with {@code NoClassDefFoundError} without it. Written for the
 * benchmark from the signature Parallel Consumer uses, not copied; see {@code
 * ParallelConsumerHarness}.
 *
 * @param <T> the element type
 */
public interface CloseableIterator<T> extends Iterator<T>, Closeable {
  @Override
  void close();
}
