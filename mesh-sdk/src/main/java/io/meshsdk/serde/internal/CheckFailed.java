package io.meshsdk.serde.internal;

/**
 * Thrown by a codec that checks while it encodes, at the first value that breaks the contract: the
 * encoding stops and the contract's validator finds the violations. Preallocated, without a stack
 * trace, since it only says "not this record".
 */
final class CheckFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final CheckFailed INSTANCE = new CheckFailed();

  private CheckFailed() {
    super("the value breaks its contract", null, false, false);
  }
}
