package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.StartPosition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer starts reading partitions it is assigned for the first time. The {@code
 * committed...} positions need nothing here: the consumer's {@code auto.offset.reset} covers the
 * case of no committed offset.
 */
public final class StartPositions {
  private StartPositions() {}

  public static void apply(
      Consumer<?, ?> consumer, List<TopicPartition> fresh, StartPosition start) {
    switch (start.kind()) {
      case EARLIEST -> consumer.seekToBeginning(fresh);
      case LATEST -> consumer.seekToEnd(fresh);
      case TIMESTAMP -> {
        // a TIMESTAMP position always has its time
        long time = start.time().orElseThrow().toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : fresh) {
          query.put(tp, time);
        }
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        for (TopicPartition tp : fresh) {
          OffsetAndTimestamp o = found.get(tp);
          if (o == null) {
            consumer.seekToEnd(List.of(tp));
          } else {
            consumer.seek(tp, o.offset());
          }
        }
      }
      default -> {}
    }
  }
}
