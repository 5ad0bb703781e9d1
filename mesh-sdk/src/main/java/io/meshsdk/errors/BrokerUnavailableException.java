package io.meshsdk.errors;

import org.jspecify.annotations.Nullable;

/**
 * Kafka could not be reached in time while creating a producer, consumer or processor (creating or
 * checking its topics). The message names the bootstrap servers, what was attempted and the time
 * allowed ({@code mesh.startup.timeout.ms}, 15 s by default). Retriable: the same call may succeed
 * once the cluster is reachable.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class BrokerUnavailableException extends MeshException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the bootstrap servers, the attempt and the time-out
   * @param cause what the Kafka client reported
   */
  public BrokerUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
