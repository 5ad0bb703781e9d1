package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The validated settings of one consumer, and what its members in this JVM share: the partitions
 * already placed at the start position, so a partition moving between members of one consumer
 * resumes from the group's commit instead of being placed again. {@code parallelism} worker threads
 * handle records when the ordering is not {@link MeshConsumer.Ordering#PARTITION}, with at most
 * {@code maxInFlight} records held.
 */
public record ConsumerSettings<T>(
    ProductContract<T> contract,
    String group,
    String topic,
    String deadLetterTopic,
    StartPosition start,
    Duration backoffInitial,
    Duration backoffMax,
    List<Class<? extends Throwable>> nonRetriable,
    ErrorHandler errorHandler,
    boolean traceAsLink,
    Map<String, Object> kafka,
    EventHandler<T> handler,
    Set<TopicPartition> positioned,
    Duration topicWait,
    MeshConsumer.Ordering ordering,
    int parallelism,
    int maxInFlight) {

  /** Whether an exception (or a cause of it) is declared non-retriable. */
  boolean isNonRetriable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (Class<? extends Throwable> c : nonRetriable) {
        if (c.isInstance(t)) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
