package io.meshsdk.governance;

/** How much a governance finding matters. */
public enum Severity {
  /** Reported; does not stop anything. */
  WARNING,
  /** Refuses the product when the policy is enforced. */
  ERROR
}
