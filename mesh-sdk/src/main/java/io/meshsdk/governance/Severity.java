package io.meshsdk.governance;

/**
 * How much a governance finding matters.
 *
 * <p>Thread-safety: immutable.
 */
public enum Severity {
  /** Reported; does not stop anything. */
  WARNING,
  /** Refuses the product when the policy is enforced. */
  ERROR
}
