package io.meshsdk.schema;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a compatibility check: every issue found, readable as text.
 *
 * <p>Thread-safety: immutable.
 *
 * @param mode the mode checked
 * @param issues every incompatibility, empty when compatible
 */
public record CompatibilityReport(Compatibility mode, List<CompatibilityIssue> issues) {

  /** Copies the issues. */
  public CompatibilityReport {
    Objects.requireNonNull(mode, "mode");
    issues = List.copyOf(issues);
  }

  /**
   * A report with no issues.
   *
   * @param mode the mode checked
   * @return the report
   */
  public static CompatibilityReport compatible(Compatibility mode) {
    return new CompatibilityReport(mode, List.of());
  }

  /**
   * Whether the candidate may be registered under the mode.
   *
   * @return {@code true} when there are no issues
   */
  public boolean isCompatible() {
    return issues.isEmpty();
  }

  /**
   * One line per issue, under a heading naming the mode.
   *
   * @return the report as text
   */
  @Override
  public String toString() {
    if (issues.isEmpty()) {
      return "compatible under " + mode;
    }
    StringBuilder sb = new StringBuilder("incompatible under ").append(mode).append(':');
    for (CompatibilityIssue issue : issues) {
      sb.append("\n  - ").append(issue);
    }
    return sb.toString();
  }
}
