package io.meshsdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private final TopicPartition tp = new TopicPartition("t", 0);
  private final RetrySchedule schedule =
      new RetrySchedule(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(100));

  @Test
  void backoffDoublesWithJitterUpToTheMaximum() {
    for (int i = 0; i < 200; i++) {
      assertThat(schedule.backoff(1)).isBetween(80_000_000L, 120_000_000L);
      assertThat(schedule.backoff(2)).isBetween(160_000_000L, 240_000_000L);
      assertThat(schedule.backoff(3)).isBetween(320_000_000L, 480_000_000L);
      assertThat(schedule.backoff(30)).isBetween(1_600_000_000L, 2_400_000_000L);
    }
  }

  @Test
  void countsAttemptsPerOffsetAndForgetsThemWhenPassed() {
    assertThat(schedule.attemptsOf(tp, 5)).isZero();
    schedule.scheduleRetry(tp, 5, 1);
    assertThat(schedule.attemptsOf(tp, 5)).isEqualTo(1);
    assertThat(schedule.attemptsOf(tp, 6)).isZero();
    schedule.passed(tp, 5);
    assertThat(schedule.attemptsOf(tp, 5)).isZero();
  }

  /** An aborted exactly-once batch replays earlier records; they must not reset the count. */
  @Test
  void earlierRecordsPassingAgainKeepTheFailingRecordsAttempts() {
    schedule.scheduleRetry(tp, 5, 1);
    schedule.passed(tp, 3);
    schedule.passed(tp, 4);
    assertThat(schedule.attemptsOf(tp, 5)).isEqualTo(1);
    schedule.scheduleRetry(tp, 5, 2);
    assertThat(schedule.attemptsOf(tp, 5)).isEqualTo(2);
    schedule.passed(tp, 5);
    assertThat(schedule.attemptsOf(tp, 5)).isZero();
  }

  @Test
  void aWaitPausesWithoutCountingAnAttempt() {
    schedule.scheduleWait(tp, Duration.ofHours(1).toNanos());
    assertThat(schedule.due()).isEmpty();
    assertThat(schedule.attemptsOf(tp, 5)).isZero();
    schedule.scheduleWait(tp, 0);
    assertThat(schedule.due()).containsExactly(tp);
  }

  @Test
  void aPausedPartitionIsDueOnlyAfterItsBackoffAndShortensThePoll() {
    RetrySchedule immediate =
        new RetrySchedule(Duration.ZERO, Duration.ZERO, Duration.ofMillis(100));
    immediate.scheduleRetry(tp, 5, 1);
    assertThat(immediate.pollTimeout()).isLessThanOrEqualTo(Duration.ZERO.plusMillis(1));
    assertThat(immediate.due()).containsExactly(tp);
    assertThat(immediate.due()).isEmpty();

    schedule.scheduleRetry(tp, 5, 1);
    assertThat(schedule.due()).isEmpty();
    assertThat(schedule.pollTimeout()).isLessThanOrEqualTo(Duration.ofMillis(100));
    schedule.forget(List.of(tp));
    assertThat(schedule.pollTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(schedule.attemptsOf(tp, 5)).isZero();
  }
}
