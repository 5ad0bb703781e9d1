package io.meshsdk.producer;

/**
 * Dual publishing wrote the original record but not its translation to the older major's topic. The
 * original stays in the new major's topic ({@link #original()}); retrying the whole send would
 * duplicate it, so callers that need the translation should send it again themselves or rely on
 * consumers moving to the new major.
 *
 * <p>Thread-safety: immutable.
 */
public class DualPublishException extends SendFailedException {
  private static final long serialVersionUID = 1L;

  /** The original's result; records are not serializable, so not kept on serialization. */
  private final transient SendResult original;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param original where the original was written
   * @param cause why the translation failed
   */
  public DualPublishException(String message, SendResult original, Throwable cause) {
    super(message, cause);
    this.original = original;
  }

  /**
   * Where the original was written.
   *
   * @return the original's result
   */
  public SendResult original() {
    return original;
  }
}
