package io.meshsdk.consumer.internal;

import io.meshsdk.errors.MeshException;

/** A processor's output was not acknowledged; the input is retried like a handler failure. */
public final class ProcessorOutputException extends MeshException {
  private static final long serialVersionUID = 1L;

  public ProcessorOutputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
