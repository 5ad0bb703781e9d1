package io.meshsdk.runtime.internal;

/**
 * Told when a client a mesh created closes, so the mesh stops holding it: a long-lived service that
 * creates and closes clients on demand must not accumulate them until the mesh closes.
 */
@FunctionalInterface
public interface ClientTracker {
  /** A tracker that holds nothing. */
  ClientTracker NONE = client -> {};

  /**
   * The client closed; forget it.
   *
   * @param client the producer, consumer, processor or dual producer
   */
  void closed(AutoCloseable client);
}
