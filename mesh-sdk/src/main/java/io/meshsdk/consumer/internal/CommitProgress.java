package io.meshsdk.consumer.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The next offset to commit per partition of one consumer, and whether anything was done since the
 * last commit. Updated in place once per record (no boxed offset); used by the poll thread only, so
 * not thread-safe.
 */
final class CommitProgress {
  private final Map<TopicPartition, long[]> next = new HashMap<>();
  private boolean dirty;

  /** The record at {@code offset} is done: handled, dead-lettered or skipped. */
  void done(TopicPartition tp, long offset) {
    long[] at = next.get(tp);
    if (at == null) {
      next.put(tp, new long[] {offset + 1});
    } else {
      at[0] = offset + 1;
    }
    dirty = true;
  }

  /** The next offset to commit of a partition is {@code next} (parallel handling). */
  void position(TopicPartition tp, long next) {
    done(tp, next - 1);
  }

  /** The offsets to commit for those of the partitions that have progress. */
  Map<TopicPartition, OffsetAndMetadata> offsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    for (TopicPartition tp : partitions) {
      long[] at = next.get(tp);
      if (at != null) {
        result.put(tp, new OffsetAndMetadata(at[0]));
      }
    }
    return result;
  }

  /** Every partition with progress. */
  Set<TopicPartition> partitions() {
    return next.keySet();
  }

  /**
   * Whether anything was done since the last call, which resets it.
   *
   * @return true when a commit would carry something new
   */
  boolean takeDirty() {
    boolean was = dirty;
    dirty = false;
    return was;
  }

  /** Something must be committed again (an asynchronous commit failed). */
  void markDirty() {
    dirty = !next.isEmpty();
  }

  /** Drops the progress of a partition (revoked, lost, or its transaction aborted). */
  void forget(TopicPartition tp) {
    next.remove(tp);
  }
}
