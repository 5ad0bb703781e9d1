package io.meshsdk.consumer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.TopicPartition;

/**
 * When paused partitions may resume and how many times their current record was tried. A record's
 * attempts follow the record (partition and offset): they are kept while its partition waits and
 * while earlier records of the partition pass again (an exactly-once batch that is aborted replays
 * from its start), and forgotten once the record itself passes or the partition is revoked. Backoff
 * doubles from the initial delay up to the maximum, with ±20 % jitter so that many consumers do not
 * retry in step. Used by one poll thread; {@link #backoff(int)} alone, which keeps no state, by
 * worker threads too.
 */
final class RetrySchedule {
  private final Duration initial;
  private final Duration max;
  private final Duration poll;
  private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
  private final Map<TopicPartition, long[]> attempts = new HashMap<>();

  RetrySchedule(Duration initial, Duration max, Duration poll) {
    this.initial = initial;
    this.max = max;
    this.poll = poll;
  }

  /** Attempts already made on the record at {@code offset}. */
  int attemptsOf(TopicPartition tp, long offset) {
    if (attempts.isEmpty()) {
      return 0; // the common case: nothing is being retried
    }
    long[] a = attempts.get(tp);
    return a != null && a[0] == offset ? (int) a[1] : 0;
  }

  /** Records an attempt and when the partition may resume. */
  void scheduleRetry(TopicPartition tp, long offset, int attempt) {
    attempts.put(tp, new long[] {offset, attempt});
    resumeAt.put(tp, System.nanoTime() + backoff(Math.max(1, attempt)));
  }

  /**
   * A record passed (handled, dead-lettered or skipped): forget the attempts of the failing record
   * if it is this one or an earlier one; earlier records passing again do not reset them.
   */
  void passed(TopicPartition tp, long offset) {
    if (!attempts.isEmpty()) {
      long[] a = attempts.get(tp);
      if (a != null && a[0] <= offset) {
        attempts.remove(tp);
      }
    }
  }

  /** Pauses a partition for a while without counting an attempt (waiting for the registry). */
  void scheduleWait(TopicPartition tp, long delayNanos) {
    resumeAt.put(tp, System.nanoTime() + delayNanos);
  }

  /** Partitions whose backoff is over; they are no longer scheduled. */
  List<TopicPartition> due() {
    List<TopicPartition> due = new ArrayList<>();
    if (resumeAt.isEmpty()) {
      return due;
    }
    long now = System.nanoTime();
    resumeAt
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() - now <= 0) {
                due.add(e.getKey());
                return true;
              }
              return false;
            });
    return due;
  }

  /**
   * How long the next poll may wait: the poll interval, or less when a partition resumes sooner.
   */
  Duration pollTimeout() {
    if (resumeAt.isEmpty()) {
      return poll;
    }
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (long t : resumeAt.values()) {
      next = Math.min(next, t - now);
    }
    return Duration.ofNanos(Math.max(0, Math.min(next, poll.toNanos())));
  }

  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      attempts.remove(tp);
      resumeAt.remove(tp);
    }
  }

  long backoff(int attempt) {
    long maxNanos = max.toNanos();
    long delay = initial.toNanos();
    for (int i = 1; i < attempt && delay < maxNanos; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, maxNanos);
    long jitter = delay / 5;
    return jitter > 0
        ? delay - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1)
        : delay;
  }
}
