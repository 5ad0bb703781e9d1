package io.meshsdk.governance;

import io.meshsdk.errors.MeshConfigurationException;

/**
 * A product failed the governance policy. Never retriable: change the contract or the policy.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class GovernanceException extends MeshConfigurationException {
  private static final long serialVersionUID = 1L;

  private final transient GovernanceReport report;

  /**
   * Creates the exception.
   *
   * @param report the failing report
   */
  public GovernanceException(GovernanceReport report) {
    super(
        report.product() + " fails the governance policy",
        report.errors().stream().map(GovernanceViolation::toString).toList());
    this.report = report;
  }

  /**
   * The full report, warnings included.
   *
   * @return the report
   */
  public GovernanceReport report() {
    return report;
  }
}
