package io.meshsdk.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A live view of something a test waits for: {@link #now()} reads it, {@link #await(Predicate,
 * String)} reads it until a condition holds or the timeout passes. Assertions in {@link
 * MeshAssertions} wait through it, so tests never sleep.
 *
 * <p>Thread-safety: thread-safe if the source is.
 *
 * @param <E> the element type
 */
public class Live<E> {
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final String description;
  private final Supplier<List<E>> source;
  private final Duration timeout;

  /**
   * A live view.
   *
   * @param description what it shows, for failure messages
   * @param source reads the current elements
   * @param timeout how long {@link #await} waits
   */
  public Live(String description, Supplier<List<E>> source, Duration timeout) {
    this.description = Objects.requireNonNull(description, "description");
    this.source = Objects.requireNonNull(source, "source");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
  }

  /**
   * What it shows.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * How long waiting lasts.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * The elements now.
   *
   * @return a snapshot
   */
  public List<E> now() {
    return List.copyOf(source.get());
  }

  /**
   * Reads until the condition holds.
   *
   * @param condition the condition on the whole list
   * @param expectation what was expected, for the failure message
   * @return the first snapshot that satisfies it
   * @throws AssertionError naming the expectation and the last snapshot, after the timeout
   */
  public List<E> await(Predicate<List<E>> condition, String expectation) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<E> last = now();
    while (!condition.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Expected "
                + description
                + " to "
                + expectation
                + " within "
                + timeout
                + ", but found "
                + last.size()
                + ":"
                + describe(last));
      }
      LockSupport.parkNanos(PAUSE_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + description);
      }
      last = now();
    }
    return last;
  }

  /**
   * Reads for a while, checking that the condition holds the whole time: for what must not happen
   * (a topic that must stay empty), where a single read would pass before the unwanted record
   * arrives. Fails as soon as a read breaks the condition.
   *
   * @param condition the condition on the whole list
   * @param period how long it must hold, positive
   * @param expectation what was expected, for the failure message
   * @return the last snapshot
   * @throws AssertionError naming the expectation, the time it held and the snapshot that broke it
   */
  public List<E> stays(Predicate<List<E>> condition, Duration period, String expectation) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    long start = System.nanoTime();
    long end = start + period.toNanos();
    while (true) {
      List<E> last = now();
      if (!condition.test(last)) {
        throw new AssertionError(
            "Expected "
                + description
                + " to "
                + expectation
                + " for "
                + period
                + ", but after "
                + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms found "
                + last.size()
                + ":"
                + describe(last));
      }
      if (System.nanoTime() - end >= 0) {
        return last;
      }
      LockSupport.parkNanos(Math.min(PAUSE_NANOS, Math.max(1L, end - System.nanoTime())));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while watching " + description);
      }
    }
  }

  /**
   * Waits until exactly {@code count} elements are there; fails at once when there are more (the
   * views of this package only grow).
   *
   * @param count the expected number
   * @param noun what the elements are, plural ("events")
   * @return the snapshot
   * @throws AssertionError after the timeout, or when there are more
   */
  public List<E> awaitSize(int count, String noun) {
    List<E> found = await(l -> l.size() >= count, "hold " + count + " " + noun);
    if (found.size() != count) {
      throw new AssertionError(
          "Expected "
              + description
              + " to hold "
              + count
              + " "
              + noun
              + " but found "
              + found.size()
              + ":"
              + describe(found));
    }
    return found;
  }

  static String describe(List<?> elements) {
    StringBuilder b = new StringBuilder();
    int shown = 0;
    for (Object e : elements) {
      if (shown++ == 20) {
        b.append("\n  ... ").append(elements.size() - 20).append(" more");
        break;
      }
      b.append("\n  ").append(e);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return description;
  }
}
