package io.meshsdk.testkit;

import io.meshsdk.contract.ContractViolation;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.governance.GovernanceReport;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a product's contract: governance, compatibility with earlier schemas, and which
 * values its constraints accept. Failure messages say what was expected and list what was found
 * (violations never show PII values).
 *
 * <p>Thread-safety: not thread-safe; use one per assertion chain.
 *
 * @param <T> the product type
 */
public final class ProductAssert<T> extends AbstractAssert<ProductAssert<T>, ProductContract<T>> {

  ProductAssert(ProductContract<T> contract) {
    super(contract, ProductAssert.class);
  }

  /**
   * Asserts that the product passes a governance policy (warnings allowed).
   *
   * @param policy the policy
   * @return this assertion
   */
  public ProductAssert<T> compliesWith(GovernancePolicy policy) {
    Objects.requireNonNull(policy, "policy");
    isNotNull();
    GovernanceReport report = policy.evaluate(actual);
    if (!report.passed()) {
      failWithMessage(
          "Expected %s to comply with the governance policy, but:%n%s", actual.id(), report);
    }
    return this;
  }

  /**
   * Asserts that the product's schema is compatible with earlier schemas under a mode.
   *
   * @param mode the compatibility mode
   * @param previous the earlier schemas, oldest first; each is named in the report by the product
   *     version it carries ({@code mesh.version}), else by its position in the list
   * @return this assertion
   */
  public ProductAssert<T> isCompatibleWith(Compatibility mode, List<Schema> previous) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(previous, "previous");
    isNotNull();
    CompatibilityReport report = mode.check(actual.schema(), previous);
    if (!report.isCompatible()) {
      List<String> versions = new ArrayList<>();
      for (int i = 0; i < previous.size(); i++) {
        versions.add(Reports.versionOf(previous.get(i), i + 1, previous.size()));
      }
      failWithMessage(
          "Expected %s to be compatible with %d earlier schema(s), but it is %s",
          Reports.product(actual),
          previous.size(),
          Reports.compatibility(report, actual.schema(), previous, versions));
    }
    return this;
  }

  /**
   * Asserts that the product's schema is compatible with one earlier schema under a mode.
   *
   * @param previous the earlier schema
   * @param mode the compatibility mode
   * @return this assertion
   */
  public ProductAssert<T> isCompatibleWith(Schema previous, Compatibility mode) {
    return isCompatibleWith(mode, List.of(Objects.requireNonNull(previous, "previous")));
  }

  /**
   * Asserts that a value satisfies the contract.
   *
   * @param value the value
   * @return this assertion
   */
  public ProductAssert<T> accepts(T value) {
    Objects.requireNonNull(value, "value");
    isNotNull();
    List<ContractViolation> violations = actual.validate(value);
    if (!violations.isEmpty()) {
      failWithMessage(
          "Expected %s to accept the value, but found violations:%n%s",
          actual.id(), lines(violations));
    }
    return this;
  }

  /**
   * Asserts that a value breaks the contract at exactly the given field paths.
   *
   * @param value the value
   * @param paths the field paths expected to fail, for example {@code items[0].quantity}
   * @return this assertion
   */
  public ProductAssert<T> rejects(T value, String... paths) {
    Objects.requireNonNull(value, "value");
    isNotNull();
    List<String> found =
        actual.validate(value).stream().map(ContractViolation::path).distinct().toList();
    if (!found.equals(List.of(paths))) {
      failWithMessage(
          "Expected %s to reject the value at %s, but the violations were at %s",
          actual.id(), List.of(paths), found);
    }
    return this;
  }

  private static String lines(List<ContractViolation> violations) {
    StringBuilder sb = new StringBuilder();
    for (ContractViolation v : violations) {
      sb.append("  - ").append(v).append(System.lineSeparator());
    }
    return sb.toString();
  }
}
