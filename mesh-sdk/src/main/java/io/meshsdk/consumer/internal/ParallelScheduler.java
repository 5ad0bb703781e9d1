package io.meshsdk.consumer.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Runs the handling of records on worker threads for a consumer in {@code KEY} or {@code UNORDERED}
 * order, and knows, per partition, which offset may be committed.
 *
 * <p>Each record is a task submitted by the poll thread in offset order. In key order, the tasks of
 * one <em>lane</em> (a partition and a key) run one after another: a lane exists while one of its
 * tasks runs or waits for a retry, and later tasks of the lane queue behind it. A task that asks to
 * run again (a retry) is rescheduled on a timer after its backoff, keeping its lane; other lanes go
 * on. Per partition the offsets handed out are kept in order with a flag each; the committable
 * position is the lowest offset not yet completed, or the one after the last handed out.
 *
 * <p>The records <em>held</em> are those from each partition's committable position on: the ones
 * not done and the done ones above them. They are what a crash would deliver again, so the bound of
 * records in flight applies to them; a record retrying for long therefore holds up its partition
 * once the bound's worth of later records are done, never sooner.
 *
 * <p>Revoked partitions and shutdown drop the tasks that have not started (queued, or waiting for a
 * retry) and wait, up to a bound, for the running ones: the dropped records stay below the
 * committed position and are delivered again. A task that abandons its record (the consumer stops)
 * stops everything after it, so nothing of its key runs ahead of it.
 *
 * <p>Thread-safety: {@link #stage}, {@link #flush}, {@link #submit}, {@link #positions}, {@link
 * #revoke} and {@link #shutdown} are called by the poll thread; workers and the timer call back;
 * one lock guards the bookkeeping, taken once per poll by the poll thread and once per task by its
 * worker, and no task runs while it is held.
 */
final class ParallelScheduler {
  /** A task's result: its record is done (handled, dead-lettered or skipped). */
  static final long DONE = -1;

  /** A task's result: its record is not done and the consumer stops; nothing after it runs. */
  static final long ABANDON = -2;

  /** One record's handling. */
  interface Task {
    /**
     * Runs once.
     *
     * @return {@link #DONE}, {@link #ABANDON}, or the nanoseconds after which to run again
     */
    long run();
  }

  private final boolean keyed;
  private final int maxInFlight;
  private final int resumeBelow;
  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor timer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<Thread> workerThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Signalled when the records held fall below the resumption mark: the poll thread waits. */
  private final Condition room = lock.newCondition();

  /** Signalled when a task stops running: revocation and shutdown wait for them. */
  private final Condition idle = lock.newCondition();

  private final Map<TopicPartition, Offsets> partitions = new HashMap<>();
  private final Map<Lane, ArrayDeque<Entry>> lanes = new HashMap<>();
  private final Set<Entry> waiting = new HashSet<>();

  /** Tasks staged by the poll thread for the next flush; the poll thread's alone. */
  private final List<Staged> staged = new ArrayList<>();

  private final AtomicInteger running = new AtomicInteger();
  private volatile int held;
  private volatile boolean stopping;

  /**
   * A scheduler of {@code threads} workers, whose threads are named after {@code name}.
   *
   * @param keyed whether records of one key run in order
   * @param maxInFlight the records held at most before the poll thread pauses
   */
  ParallelScheduler(boolean keyed, int threads, int maxInFlight, String name) {
    this.keyed = keyed;
    this.maxInFlight = maxInFlight;
    this.resumeBelow = Math.max(1, maxInFlight - Math.max(1, maxInFlight / 4));
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = daemon(r, name + "-worker-" + n.incrementAndGet());
              workerThreads.add(t);
              return t;
            });
    this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-retries"));
    timer.setRemoveOnCancelPolicy(true);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true); // a handler that hangs must not keep the JVM alive after close
    return t;
  }

  /** Whether a thread is one of the workers (a handler calling close()). */
  boolean isWorker(Thread thread) {
    return workerThreads.contains(thread);
  }

  /** A partition and a key: the unit of order in {@code KEY} mode. */
  private record Lane(TopicPartition tp, @Nullable ByteBuffer key) {}

  /**
   * Hands a record's task to the workers at once. Poll thread only, in offset order per partition.
   *
   * @param key the record's key (its order lane in {@code KEY} mode)
   */
  void submit(TopicPartition tp, long offset, byte @Nullable [] key, Task task) {
    stage(tp, offset, key, task);
    flush();
  }

  /**
   * Keeps a record's task for the next {@link #flush()}, which hands the tasks of a whole poll to
   * the workers under one lock. Poll thread only, in offset order per partition.
   */
  void stage(TopicPartition tp, long offset, byte @Nullable [] key, Task task) {
    staged.add(
        new Staged(
            tp,
            offset,
            keyed ? new Lane(tp, key == null ? null : ByteBuffer.wrap(key)) : null,
            task));
  }

  /** Hands the staged tasks to the workers. Poll thread only. */
  void flush() {
    if (staged.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      for (Staged s : staged) {
        Offsets offsets = partitions.get(s.tp);
        if (offsets == null) {
          offsets = new Offsets();
          partitions.put(s.tp, offsets);
        }
        offsets.add(s.offset);
        held++;
        Entry entry = new Entry(offsets, s.offset, s.lane, s.task);
        if (s.lane != null) {
          ArrayDeque<Entry> queue = lanes.get(s.lane);
          if (queue != null) {
            queue.add(entry); // runs when the entries of its key before it are done
            continue;
          }
          lanes.put(s.lane, new ArrayDeque<>());
        }
        workers.execute(entry);
      }
    } finally {
      lock.unlock();
      staged.clear();
    }
  }

  /** A task kept for the next flush. */
  private record Staged(TopicPartition tp, long offset, @Nullable Lane lane, Task task) {}

  /**
   * Whether the bound of records held (the staged ones included) is reached: the poll thread must
   * stop taking more.
   */
  boolean full() {
    return held + staged.size() >= maxInFlight;
  }

  /** Records held: from each partition's committable position to its last record handed out. */
  int held() {
    return held;
  }

  /**
   * Waits until a quarter of the bound is free again.
   *
   * @return whether there is room
   */
  boolean awaitRoom(Duration max) throws InterruptedException {
    long left = max.toNanos();
    lock.lock();
    try {
      while (held >= resumeBelow && left > 0) {
        left = room.awaitNanos(left);
      }
      return held < resumeBelow;
    } finally {
      lock.unlock();
    }
  }

  /** Reports each partition's committable position that moved since it was last reported. */
  void positions(ObjLongConsumer<TopicPartition> sink) {
    lock.lock();
    try {
      for (Map.Entry<TopicPartition, Offsets> e : partitions.entrySet()) {
        Offsets o = e.getValue();
        long at = o.position();
        if (at >= 0 && at != o.reported) {
          o.reported = at;
          sink.accept(e.getKey(), at);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives partitions up: their tasks not yet started are dropped, the running ones are waited for
   * up to {@code wait}.
   *
   * @return the committable position of each revoked partition that had records
   */
  Map<TopicPartition, Long> revoke(Collection<TopicPartition> revoked, Duration wait) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    lock.lock();
    try {
      Map<TopicPartition, Offsets> gone = new HashMap<>();
      for (TopicPartition tp : revoked) {
        Offsets o = partitions.remove(tp);
        if (o != null) {
          o.revoked = true;
          held -= o.size;
          gone.put(tp, o);
        }
      }
      if (gone.isEmpty()) {
        return positions;
      }
      dropWaiting();
      long left = wait.toNanos();
      while (left > 0 && gone.values().stream().anyMatch(o -> o.running.get() > 0)) {
        left = idle.awaitNanos(left);
      }
      gone.forEach(
          (tp, o) -> {
            long at = o.position();
            if (at >= 0) {
              positions.put(tp, at);
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    return positions;
  }

  /**
   * Stops: tasks not yet started are dropped, the running ones are waited for up to {@code wait}.
   *
   * @return whether no task runs any more
   */
  boolean shutdown(Duration wait) {
    lock.lock();
    try {
      stopping = true;
      dropWaiting();
      long left = wait.toNanos();
      while (running.get() > 0 && left > 0) {
        left = idle.awaitNanos(left);
      }
      return running.get() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return running.get() == 0;
    } finally {
      lock.unlock();
      workers.shutdown();
      timer.shutdownNow();
    }
  }

  /** Cancels the retries of revoked partitions (all of them when stopping). Under the lock. */
  private void dropWaiting() {
    for (Entry e : new ArrayList<>(waiting)) {
      if ((stopping || e.offsets.revoked) && e.retry != null && e.retry.cancel(false)) {
        waiting.remove(e);
        finish(e);
      }
    }
  }

  /**
   * An entry leaves: the next entry of its lane runs, or is dropped when its partition was revoked
   * or the scheduler stops. Under the lock.
   */
  private void finish(Entry entry) {
    if (entry.lane == null) {
      return;
    }
    ArrayDeque<Entry> queue = lanes.get(entry.lane);
    if (queue == null) {
      return;
    }
    for (Entry next = queue.poll(); next != null; next = queue.poll()) {
      if (!stopping && !next.offsets.revoked) {
        workers.execute(next);
        return;
      }
    }
    lanes.remove(entry.lane);
  }

  /** One record's task, its partition's offsets and its lane. */
  private final class Entry implements Runnable {
    private final Offsets offsets;
    private final long offset;
    private final @Nullable Lane lane;
    private final Task task;
    private @Nullable ScheduledFuture<?> retry;

    Entry(Offsets offsets, long offset, @Nullable Lane lane, Task task) {
      this.offsets = offsets;
      this.offset = offset;
      this.lane = lane;
      this.task = task;
    }

    @Override
    public void run() {
      // counted before the check, so that revoke() (which marks, then waits for the count) either
      // sees this task running or this task sees the partition revoked: no lock per task here
      offsets.running.incrementAndGet();
      running.incrementAndGet();
      if (stopping || offsets.revoked) {
        lock.lock();
        try {
          stopped();
          finish(this);
        } finally {
          lock.unlock();
        }
        return;
      }
      long next;
      try {
        next = task.run();
      } catch (RuntimeException | Error e) {
        next = ABANDON; // tasks report their own failures; should one escape, stop rather than lose
      }
      lock.lock();
      try {
        stopped();
        if (next >= 0 && !stopping && !offsets.revoked) {
          waiting.add(this);
          retry = timer.schedule(this::again, next, TimeUnit.NANOSECONDS);
          return;
        }
        if (next == DONE && !offsets.revoked) {
          int passed = offsets.complete(offset);
          if (passed > 0) {
            held -= passed;
            if (held < resumeBelow) {
              room.signal(); // only the poll thread waits for room, once per pause
            }
          }
        } else if (next == DONE) {
          offsets.complete(offset); // a revoked partition's records are no longer held
        } else if (next == ABANDON) {
          stopping = true;
        }
        finish(this);
      } finally {
        lock.unlock();
      }
    }

    /** This task no longer runs. Under the lock. */
    private void stopped() {
      offsets.running.decrementAndGet();
      running.decrementAndGet();
      idle.signalAll(); // no waiter but at revocation and shutdown: costs nothing otherwise
    }

    private void again() {
      lock.lock();
      try {
        if (!waiting.remove(this)) {
          return; // dropped meanwhile
        }
        if (stopping || offsets.revoked) {
          finish(this);
          return;
        }
        workers.execute(this);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * The offsets of one partition handed out and not yet passed by the committable position, in
   * order, with whether each is done: a ring of primitive arrays, searched by bisection.
   */
  static final class Offsets {
    private long[] at = new long[16];
    private boolean[] done = new boolean[16];
    private int head;
    private int size;
    private long next = -1;
    long reported = -1;
    final AtomicInteger running = new AtomicInteger();
    volatile boolean revoked;

    void add(long offset) {
      if (size == at.length) {
        grow();
      }
      int i = (head + size) & (at.length - 1);
      at[i] = offset;
      done[i] = false;
      size++;
      next = offset + 1;
    }

    /**
     * Marks an offset done.
     *
     * @return by how many records the committable position moved
     */
    int complete(long offset) {
      int mask = at.length - 1;
      int lo = 0;
      int hi = size - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        long v = at[(head + mid) & mask];
        if (v < offset) {
          lo = mid + 1;
        } else if (v > offset) {
          hi = mid - 1;
        } else {
          done[(head + mid) & mask] = true;
          break;
        }
      }
      int passed = 0;
      while (size > 0 && done[head]) {
        head = (head + 1) & mask;
        size--;
        passed++;
      }
      return passed;
    }

    /** The lowest offset not done, or the one after the last handed out; -1 before any. */
    long position() {
      return size > 0 ? at[head] : next;
    }

    private void grow() {
      int n = at.length;
      long[] a = new long[n * 2];
      boolean[] d = new boolean[n * 2];
      for (int i = 0; i < size; i++) {
        a[i] = at[(head + i) & (n - 1)];
        d[i] = done[(head + i) & (n - 1)];
      }
      at = a;
      done = d;
      head = 0;
    }
  }
}
