package io.meshsdk.testkit;

import io.meshsdk.contract.ProductContract;
import org.assertj.core.api.Assertions;

/**
 * The testkit's entry point for assertions, extending AssertJ's {@link Assertions} so one static
 * import serves both.
 *
 * <pre>{@code
 * assertThatProduct(OrderPlaced.class)
 *     .compliesWith(GovernancePolicy.standard())
 *     .isCompatibleWith(previousSchema, Compatibility.FULL_TRANSITIVE)
 *     .rejects(orderWithNegativeAmount, "amountCents");
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public class MeshAssertions extends Assertions {
  /** For subclassing only; use the static methods. */
  protected MeshAssertions() {}

  /**
   * Starts assertions on a product class; reading its contract is itself the first assertion.
   *
   * @param type the product class
   * @param <T> the product type
   * @return the assertion
   */
  public static <T> ProductAssert<T> assertThatProduct(Class<T> type) {
    return new ProductAssert<>(ProductContract.of(type));
  }

  /**
   * Starts assertions on a contract.
   *
   * @param contract the contract
   * @param <T> the product type
   * @return the assertion
   */
  public static <T> ProductAssert<T> assertThatProduct(ProductContract<T> contract) {
    return new ProductAssert<>(contract);
  }
}
