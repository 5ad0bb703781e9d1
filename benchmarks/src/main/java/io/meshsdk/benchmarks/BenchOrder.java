package io.meshsdk.benchmarks;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Decimal;
import io.meshsdk.contract.DefaultValue;
import io.meshsdk.contract.EnumDefault;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An OrderPlaced-like product: strings, longs, a double, an enum, a timestamp, a list of records.
 */
@DataProduct(
    domain = "orders",
    name = "order-placed",
    version = "1.0",
    owner = "team-orders",
    description = "An order accepted from a customer.")
public record BenchOrder(
    @Key String orderId,
    @Pii @Email String customerEmail,
    @Positive long amountCents,
    @NotBlank @Size(min = 3, max = 3) String currency,
    double weightKg,
    Instant placedAt,
    List<Item> items,
    @DefaultValue("STANDARD") Shipping shipping,
    @Nullable String note) {

  /**
   * The order every codec benchmark encodes and decodes (114 bytes of Avro).
   *
   * @return the order
   */
  static BenchOrder sample() {
    return new BenchOrder(
        "o-1234567",
        "ada.lovelace@example.com",
        12_345L,
        "EUR",
        1.25,
        Instant.parse("2026-11-25T10:15:30.123Z"),
        List.of(
            new Item("sku-1", 2, new BigDecimal("19.99")),
            new Item("sku-2", 1, new BigDecimal("5.00")),
            new Item("sku-3", 3, new BigDecimal("0.10"))),
        Shipping.EXPRESS,
        null);
  }

  /**
   * The same order as Avro's generated class, for the raw-Avro side of the benchmarks.
   *
   * @param order the order
   * @return the generated record
   */
  static io.meshsdk.benchmarks.avro.AvroOrder toAvro(BenchOrder order) {
    return io.meshsdk.benchmarks.avro.AvroOrder.newBuilder()
        .setOrderId(order.orderId())
        .setCustomerEmail(order.customerEmail())
        .setAmountCents(order.amountCents())
        .setCurrency(order.currency())
        .setWeightKg(order.weightKg())
        .setPlacedAt(order.placedAt())
        .setItems(
            order.items().stream()
                .map(
                    i ->
                        new io.meshsdk.benchmarks.avro.AvroLineItem(
                            i.sku(), i.quantity(), i.unitPrice()))
                .toList())
        .setShipping(io.meshsdk.benchmarks.avro.AvroShipping.valueOf(order.shipping().name()))
        .setNote(order.note())
        .build();
  }

  /** One order line. */
  public record Item(
      @NotBlank String sku,
      @Positive int quantity,
      @Decimal(precision = 10, scale = 2) BigDecimal unitPrice) {}

  /** Delivery speed. */
  public enum Shipping {
    STANDARD,
    EXPRESS,
    @EnumDefault
    UNKNOWN
  }
}
