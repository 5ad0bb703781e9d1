package io.meshsdk.governance;

import io.meshsdk.contract.ProductContract;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A rule a product contract must pass. Implement it for organisation-specific rules and add it with
 * {@link GovernancePolicy.Builder#rule(GovernanceRule)}.
 *
 * <p>Thread-safety: implementations must be stateless or thread-safe.
 */
public interface GovernanceRule {

  /**
   * The rule's name, unique in a policy, kebab-case (for example {@code topic-prefix}).
   *
   * @return the name
   */
  String name();

  /**
   * Evaluates the rule.
   *
   * @param contract the product contract
   * @return the findings, empty when the contract passes
   */
  List<GovernanceViolation> evaluate(ProductContract<?> contract);

  /**
   * A rule from a predicate: when {@code passes} is false, one finding with the message.
   *
   * @param name the rule name
   * @param severity the severity of a finding
   * @param passes whether a contract passes
   * @param message the finding's message for a contract that fails
   * @return the rule
   * @throws NullPointerException if an argument is null
   */
  static GovernanceRule of(
      String name,
      Severity severity,
      Predicate<ProductContract<?>> passes,
      Function<ProductContract<?>, String> message) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(passes, "passes");
    Objects.requireNonNull(message, "message");
    return new GovernanceRule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<GovernanceViolation> evaluate(ProductContract<?> contract) {
        return passes.test(contract)
            ? List.of()
            : List.of(new GovernanceViolation(name, severity, message.apply(contract)));
      }
    };
  }
}
