package io.meshsdk.governance;

import java.util.Objects;

/**
 * One finding of a governance rule.
 *
 * <p>Thread-safety: immutable.
 *
 * @param rule the rule's name, for example {@code pii-classified}
 * @param severity how much it matters
 * @param message what is wrong and how to fix it, naming the product and field
 */
public record GovernanceViolation(String rule, Severity severity, String message) {
  /** Requires every part. */
  public GovernanceViolation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return severity + " [" + rule + "] " + message;
  }
}
