package io.meshsdk.catalog.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each event as one INFO line of the logger {@value OpenLineageEmitter#EVENT_LOGGER}. */
final class LogTransport implements OpenLineageTransport {
  private static final Logger EVENTS = LoggerFactory.getLogger(OpenLineageEmitter.EVENT_LOGGER);

  @Override
  public void send(String key, String event) {
    EVENTS.info("{}", event);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "the log (" + OpenLineageEmitter.EVENT_LOGGER + ")";
  }
}
