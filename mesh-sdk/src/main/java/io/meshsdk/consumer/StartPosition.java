package io.meshsdk.consumer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a consumer starts reading the partitions it is assigned.
 *
 * <p>The positions that ignore commits ({@link #earliest()}, {@link #latest()}, {@link
 * #timestamp(Instant)}) place each partition once per started consumer: its {@code concurrency}
 * members share that, so a partition moving between them in a rebalance resumes from the group's
 * commit. A consumer started in another process places the partitions it gets again; for a replay
 * by several processes, start them with a new group and {@link #committedOrEarliest()}.
 *
 * <p>Thread-safety: immutable.
 */
public final class StartPosition {
  /** The kinds of start position. */
  public enum Kind {
    /** The group's committed offset; the beginning when there is none. */
    COMMITTED_OR_EARLIEST,
    /** The group's committed offset; the end when there is none. */
    COMMITTED_OR_LATEST,
    /** The beginning, ignoring commits: replays the product's history. */
    EARLIEST,
    /** The end, ignoring commits. */
    LATEST,
    /** The first record at or after a time, ignoring commits. */
    TIMESTAMP
  }

  private final Kind kind;
  private final @Nullable Instant timestamp;

  private StartPosition(Kind kind, @Nullable Instant timestamp) {
    this.kind = kind;
    this.timestamp = timestamp;
  }

  /**
   * Committed offsets, else the beginning (the default: a new group reads the whole history).
   *
   * @return the position
   */
  public static StartPosition committedOrEarliest() {
    return new StartPosition(Kind.COMMITTED_OR_EARLIEST, null);
  }

  /**
   * Committed offsets, else the end.
   *
   * @return the position
   */
  public static StartPosition committedOrLatest() {
    return new StartPosition(Kind.COMMITTED_OR_LATEST, null);
  }

  /**
   * The beginning, whatever was committed: replays the history.
   *
   * @return the position
   */
  public static StartPosition earliest() {
    return new StartPosition(Kind.EARLIEST, null);
  }

  /**
   * The end, whatever was committed.
   *
   * @return the position
   */
  public static StartPosition latest() {
    return new StartPosition(Kind.LATEST, null);
  }

  /**
   * The first record at or after a time, whatever was committed.
   *
   * @param time the time
   * @return the position
   */
  public static StartPosition timestamp(Instant time) {
    return new StartPosition(Kind.TIMESTAMP, Objects.requireNonNull(time, "time"));
  }

  /**
   * The kind.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The time of a {@link Kind#TIMESTAMP} position.
   *
   * @return the time, empty for other kinds
   */
  public Optional<Instant> time() {
    return Optional.ofNullable(timestamp);
  }

  @Override
  public String toString() {
    return timestamp == null ? kind.name() : kind + "(" + timestamp + ")";
  }
}
