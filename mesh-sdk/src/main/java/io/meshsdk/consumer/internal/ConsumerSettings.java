package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshException;
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

  /** Whether retrying may fix a handler's failure. */
  boolean isRetriable(Throwable error) {
    return isRetriable(error, nonRetriable);
  }

  /**
   * Whether retrying may fix a handler's failure: not when the exception (or a cause of it) is
   * declared non-retriable, nor when it is a {@code MeshException} that says so.
   */
  static boolean isRetriable(Throwable error, List<Class<? extends Throwable>> nonRetriable) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (Class<? extends Throwable> c : nonRetriable) {
        if (c.isInstance(t)) {
          return false;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return !(error instanceof MeshException m) || m.isRetriable();
  }
}
