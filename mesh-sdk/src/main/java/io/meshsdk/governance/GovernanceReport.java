package io.meshsdk.governance;

import java.util.List;
import java.util.Objects;

/**
 * The findings of a policy on one product.
 *
 * <p>Thread-safety: immutable.
 *
 * @param product the product id and version
 * @param violations every finding, in rule order
 */
public record GovernanceReport(String product, List<GovernanceViolation> violations) {
  /** Copies the findings. */
  public GovernanceReport {
    Objects.requireNonNull(product, "product");
    violations = List.copyOf(violations);
  }

  /**
   * The findings of severity {@code ERROR}.
   *
   * @return an immutable list
   */
  public List<GovernanceViolation> errors() {
    return violations.stream().filter(v -> v.severity() == Severity.ERROR).toList();
  }

  /**
   * The findings of severity {@code WARNING}.
   *
   * @return an immutable list
   */
  public List<GovernanceViolation> warnings() {
    return violations.stream().filter(v -> v.severity() == Severity.WARNING).toList();
  }

  /**
   * Whether the product passes: no errors (warnings allowed).
   *
   * @return {@code true} without errors
   */
  public boolean passed() {
    return errors().isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder(product).append(passed() ? ": passes governance" : ": fails governance");
    for (GovernanceViolation v : violations) {
      sb.append("\n  - ").append(v);
    }
    return sb.toString();
  }
}
