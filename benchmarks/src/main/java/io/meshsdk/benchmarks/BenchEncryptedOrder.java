package io.meshsdk.benchmarks;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DefaultValue;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@link BenchOrder} with two encrypted fields (the customer's e-mail and the delivery note), for
 * the cost of field encryption side by side with the same order in clear.
 */
@DataProduct(
    domain = "orders",
    name = "order-placed-encrypted",
    version = "1.0",
    owner = "team-orders",
    description = "An order accepted from a customer, its personal data encrypted.")
public record BenchEncryptedOrder(
    @Key String orderId,
    @Pii(encrypted = true) @Email String customerEmail,
    @Positive long amountCents,
    @NotBlank @Size(min = 3, max = 3) String currency,
    double weightKg,
    Instant placedAt,
    List<BenchOrder.Item> items,
    @DefaultValue("STANDARD") BenchOrder.Shipping shipping,
    @Pii(encrypted = true) @Nullable String note) {

  /**
   * The benchmark order, with a delivery note, encrypted.
   *
   * @return the order
   */
  static BenchEncryptedOrder sample() {
    BenchOrder o = BenchOrder.sample();
    return new BenchEncryptedOrder(
        o.orderId(),
        o.customerEmail(),
        o.amountCents(),
        o.currency(),
        o.weightKg(),
        o.placedAt(),
        o.items(),
        o.shipping(),
        "leave at the door");
  }

  /**
   * The same order in clear, note included.
   *
   * @return the order
   */
  static BenchOrder clear() {
    BenchOrder o = BenchOrder.sample();
    return new BenchOrder(
        o.orderId(),
        o.customerEmail(),
        o.amountCents(),
        o.currency(),
        o.weightKg(),
        o.placedAt(),
        o.items(),
        o.shipping(),
        "leave at the door");
  }
}
