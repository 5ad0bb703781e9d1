package io.meshsdk.testkit;

import io.meshsdk.errors.MeshConfigurationException;
import java.util.Objects;

/**
 * {@link SampleEvents} could not make a valid value for a field: its constraints contradict each
 * other ({@code @Min(5) @Max(3)}, a {@code @Pattern} longer than its {@code @Size}), or a bounded
 * number of attempts found no value that satisfies them all, or values supplied through {@link
 * SampleValues} break the contract. The message names the product, the field and its constraints
 * (never a value) and says how to supply the field's values with {@link SampleValues}.
 *
 * <p>Never retriable: the same contract and seed fail the same way.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class UnsatisfiableFieldException extends MeshConfigurationException {
  private static final long serialVersionUID = 1L;

  private final String product;
  private final String field;

  UnsatisfiableFieldException(String product, String field, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.product = Objects.requireNonNull(product, "product");
    this.field = Objects.requireNonNull(field, "field");
  }

  /**
   * The product whose sample failed.
   *
   * @return the product id, for example {@code orders.order-placed}
   */
  public String product() {
    return product;
  }

  /**
   * The field that could not be generated.
   *
   * @return its path from the product's root, for example {@code items.sku}
   */
  public String field() {
    return field;
  }
}
