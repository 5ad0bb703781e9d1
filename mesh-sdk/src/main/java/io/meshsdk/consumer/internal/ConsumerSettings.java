package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The validated settings of one consumer. */
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
    EventHandler<T> handler) {

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
