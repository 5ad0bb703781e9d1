package io.meshsdk.contract;

import io.meshsdk.errors.MeshException;
import java.util.List;
import java.util.Objects;

/**
 * A record broke its product's contract; nothing was sent. Never retriable: the same record fails
 * the same way. {@link #violations()} lists every failing field path and rule, not just the first.
 * The message never contains field values.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class ContractViolationException extends MeshException {
  private static final long serialVersionUID = 1L;

  private final String product;
  private final transient List<ContractViolation> violations;

  /**
   * Creates the exception.
   *
   * @param product the product id and version, for example {@code orders.order-placed 2.1}
   * @param violations every violation found; not empty
   */
  public ContractViolationException(String product, List<ContractViolation> violations) {
    super(format(product, violations));
    this.product = product;
    this.violations = List.copyOf(violations);
  }

  /**
   * The product whose contract was broken.
   *
   * @return the product id and version
   */
  public String product() {
    return product;
  }

  /**
   * Every violation, in field order.
   *
   * @return an immutable, non-empty list
   */
  public List<ContractViolation> violations() {
    return violations;
  }

  private static String format(String product, List<ContractViolation> violations) {
    Objects.requireNonNull(product, "product");
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("violations must not be empty");
    }
    StringBuilder sb =
        new StringBuilder(product)
            .append(": ")
            .append(violations.size())
            .append(violations.size() == 1 ? " contract violation" : " contract violations");
    for (ContractViolation v : violations) {
      sb.append("\n  - ").append(v);
    }
    return sb.toString();
  }
}
