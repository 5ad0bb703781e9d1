package io.meshsdk.consumer;

/**
 * What to do with a record that failed.
 *
 * <p>Thread-safety: immutable.
 */
public enum ErrorAction {
  /** Try again after the backoff; the partition is paused meanwhile, keeping its order. */
  RETRY,
  /** Write it to the dead-letter topic, then commit and go on. */
  DEAD_LETTER,
  /** Commit and go on without it (logged at WARN and counted). */
  SKIP,
  /** Stop the consumer without committing the record; {@link MeshConsumer#failure()} says why. */
  STOP
}
