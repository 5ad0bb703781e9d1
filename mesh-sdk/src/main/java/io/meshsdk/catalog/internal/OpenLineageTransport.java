package io.meshsdk.catalog.internal;

/**
 * Where an {@link OpenLineageEmitter} sends its events. Called only from the emitter's own thread,
 * one event at a time; a send may block up to the configured timeout and then must throw.
 */
interface OpenLineageTransport extends AutoCloseable {

  /**
   * Sends one event.
   *
   * @param key the job, {@code namespace/name}, for transports that key records
   * @param event the run event as JSON
   * @throws Exception why it did not arrive (the emitter logs the first failure of an outage and
   *     counts the others)
   */
  void send(String key, String event) throws Exception;

  /** Releases what the transport holds; never throws. */
  @Override
  void close();
}
