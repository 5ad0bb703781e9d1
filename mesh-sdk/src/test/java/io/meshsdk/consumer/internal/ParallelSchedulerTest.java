package io.meshsdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelSchedulerTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private final List<ParallelScheduler> made = new ArrayList<>();

  private ParallelScheduler scheduler(boolean keyed, int threads, int max) {
    ParallelScheduler s = new ParallelScheduler(keyed, threads, max, "test");
    made.add(s);
    return s;
  }

  @AfterEach
  void stop() {
    for (ParallelScheduler s : made) {
      s.shutdown(Duration.ofSeconds(5));
    }
  }

  private static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<TopicPartition, Long> positions(ParallelScheduler s) {
    Map<TopicPartition, Long> at = new HashMap<>();
    s.positions(at::put);
    return at;
  }

  @Test
  void keepsTheOrderOfEachKeyWhileKeysRunInParallel() {
    ParallelScheduler s = scheduler(true, 16, 100_000);
    Map<String, ConcurrentLinkedQueue<Long>> seen = new ConcurrentHashMap<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    int records = 4000;
    for (int i = 0; i < records; i++) {
      String k = "k" + (i % 40);
      long offset = i;
      s.submit(
          P0,
          offset,
          key(k),
          () -> {
            mostAtOnce.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            // work of varying length, so that keys overtake each other
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
            seen.computeIfAbsent(k, x -> new ConcurrentLinkedQueue<>()).add(offset);
            concurrent.decrementAndGet();
            return ParallelScheduler.DONE;
          });
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> s.held() == 0);
    assertThat(seen.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum())
        .isEqualTo(records);
    for (ConcurrentLinkedQueue<Long> offsets : seen.values()) {
      assertThat(new ArrayList<>(offsets)).isSorted();
    }
    assertThat(mostAtOnce.get()).isGreaterThan(1);
    assertThat(positions(s)).containsEntry(P0, (long) records);
  }

  @Test
  void commitsOnlyBelowTheLowestRecordNotDone() throws Exception {
    ParallelScheduler s = scheduler(false, 4, 1000);
    CountDownLatch slow = new CountDownLatch(1);
    AtomicInteger done = new AtomicInteger();
    long[] offsets = {3, 5, 9, 10, 42}; // gaps, as compaction and transaction markers leave
    for (long offset : offsets) {
      s.submit(
          P0,
          offset,
          null,
          () -> {
            if (offset == 5) {
              awaitLatch(slow);
            }
            done.incrementAndGet();
            return ParallelScheduler.DONE;
          });
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 4);
    assertThat(positions(s)).containsEntry(P0, 5L);
    assertThat(s.held()).isEqualTo(4); // 5 and the three done above it
    slow.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> s.held() == 0);
    assertThat(positions(s)).containsEntry(P0, 43L);
  }

  @Test
  void aRetryingKeyDoesNotHoldUpOtherKeys() {
    ParallelScheduler s = scheduler(true, 2, 1000);
    AtomicInteger attempts = new AtomicInteger();
    ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    s.submit(
        P0,
        0,
        key("a"),
        () -> {
          if (attempts.incrementAndGet() < 3) {
            return TimeUnit.MILLISECONDS.toNanos(200); // retry after a backoff
          }
          order.add("a0");
          return ParallelScheduler.DONE;
        });
    s.submit(
        P0,
        1,
        key("a"),
        () -> {
          order.add("a1");
          return ParallelScheduler.DONE;
        });
    for (int i = 2; i < 10; i++) {
      String name = "b" + i;
      s.submit(
          P0,
          i,
          key("b"),
          () -> {
            order.add(name);
            return ParallelScheduler.DONE;
          });
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 10);
    List<String> seen = new ArrayList<>(order);
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(seen.subList(0, 8)).allMatch(n -> n.startsWith("b"));
    assertThat(seen.subList(8, 10)).containsExactly("a0", "a1");
  }

  @Test
  void revokingWaitsForRunningRecordsAndDropsTheQueuedOnes() throws Exception {
    ParallelScheduler s = scheduler(true, 4, 1000);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    s.submit(
        P0,
        0,
        key("a"),
        () -> {
          running.countDown();
          awaitLatch(release);
          ran.incrementAndGet();
          return ParallelScheduler.DONE;
        });
    for (int i = 1; i < 4; i++) {
      s.submit(
          P0,
          i,
          key("a"),
          () -> {
            ran.incrementAndGet();
            return ParallelScheduler.DONE;
          });
    }
    s.submit(P1, 7, key("x"), ParallelSchedulerTest::neverDone);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    Thread releaser =
        new Thread(
            () -> {
              // revoke() took P0's four records out of the held ones
              await().atMost(Duration.ofSeconds(10)).until(() -> s.held() == 1);
              release.countDown();
            });
    releaser.start();
    Map<TopicPartition, Long> revoked = s.revoke(List.of(P0), Duration.ofSeconds(30));
    releaser.join();
    assertThat(revoked).containsExactly(Map.entry(P0, 1L)); // 0 ran; 1 to 3 are the next owner's
    assertThat(ran.get()).isEqualTo(1);
    assertThat(s.held()).isEqualTo(1); // P1's record, still retrying
  }

  private static long neverDone() {
    return TimeUnit.SECONDS.toNanos(30);
  }

  @Test
  void isFullAtTheBoundAndMakesRoomWhenRecordsAreDone() throws Exception {
    ParallelScheduler s = scheduler(false, 2, 4);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < 4; i++) {
      s.submit(
          P0,
          i,
          null,
          () -> {
            awaitLatch(release);
            return ParallelScheduler.DONE;
          });
    }
    assertThat(s.full()).isTrue();
    assertThat(s.awaitRoom(Duration.ofMillis(50))).isFalse();
    release.countDown();
    assertThat(s.awaitRoom(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void anAbandonedRecordStopsEverythingAfterItsKeyAndStaysUncommitted() {
    ParallelScheduler s = scheduler(true, 1, 1000);
    AtomicInteger ran = new AtomicInteger();
    s.submit(P0, 0, key("a"), () -> ParallelScheduler.ABANDON);
    for (int i = 1; i < 5; i++) {
      s.submit(
          P0,
          i,
          key("a"),
          () -> {
            ran.incrementAndGet();
            return ParallelScheduler.DONE;
          });
    }
    assertThat(s.shutdown(Duration.ofSeconds(10))).isTrue();
    assertThat(ran.get()).isZero();
    assertThat(positions(s)).containsEntry(P0, 0L);
  }

  @Test
  void shutdownLeavesRetriesForTheNextOwner() {
    ParallelScheduler s = scheduler(false, 2, 1000);
    AtomicInteger attempts = new AtomicInteger();
    s.submit(
        P0,
        0,
        null,
        () -> {
          attempts.incrementAndGet();
          return TimeUnit.SECONDS.toNanos(30);
        });
    s.submit(P0, 1, null, () -> ParallelScheduler.DONE);
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1 && s.held() == 2);
    assertThat(s.shutdown(Duration.ofSeconds(10))).isTrue();
    assertThat(positions(s)).containsEntry(P0, 0L);
  }

  @Test
  void keepsManyOffsetsInOrderAsItsRingGrows() {
    ParallelScheduler.Offsets o = new ParallelScheduler.Offsets();
    for (long i = 0; i < 1000; i++) {
      o.add(i * 2);
    }
    int passed = 0;
    for (long i = 999; i >= 1; i--) {
      passed += o.complete(i * 2);
    }
    assertThat(passed).isZero();
    assertThat(o.position()).isZero();
    assertThat(o.complete(0)).isEqualTo(1000);
    assertThat(o.position()).isEqualTo(1999);
  }

  @Test
  void stagedRecordsCountTowardsTheBoundAndRunOnlyOnceFlushed() {
    ParallelScheduler s = scheduler(false, 2, 3);
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      s.stage(
          P0,
          i,
          null,
          () -> {
            ran.incrementAndGet();
            return ParallelScheduler.DONE;
          });
    }
    assertThat(s.full()).isTrue();
    assertThat(s.held()).isZero();
    assertThat(ran.get()).isZero();
    s.flush();
    await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 3 && s.held() == 0);
    assertThat(s.full()).isFalse();
    assertThat(positions(s)).containsEntry(P0, 3L);
  }

  @Test
  void aTaskThatThrowsIsAbandonedAndNothingAfterItRuns() {
    ParallelScheduler s = scheduler(true, 1, 1000);
    AtomicInteger ran = new AtomicInteger();
    s.submit(
        P0,
        0,
        key("a"),
        () -> {
          throw new IllegalStateException("the SDK failed");
        });
    s.submit(
        P0,
        1,
        key("a"),
        () -> {
          ran.incrementAndGet();
          return ParallelScheduler.DONE;
        });
    assertThat(s.shutdown(Duration.ofSeconds(10))).isTrue();
    assertThat(ran.get()).isZero();
    assertThat(positions(s)).containsEntry(P0, 0L);
  }

  @Test
  void aKeyReassignedAfterRevocationWaitsForItsRecordStillRunning() throws Exception {
    ParallelScheduler s = scheduler(true, 4, 1000);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ConcurrentLinkedQueue<Long> order = new ConcurrentLinkedQueue<>();
    s.submit(
        P0,
        0,
        key("a"),
        () -> {
          running.countDown();
          awaitLatch(release);
          order.add(0L);
          return ParallelScheduler.DONE;
        });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    // given up without waiting (a lost partition), then assigned again to this consumer
    assertThat(s.revoke(List.of(P0), Duration.ZERO)).containsEntry(P0, 0L);
    s.submit(
        P0,
        0,
        key("a"),
        () -> {
          order.add(100L);
          return ParallelScheduler.DONE;
        });
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 2);
    assertThat(new ArrayList<>(order)).containsExactly(0L, 100L);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
