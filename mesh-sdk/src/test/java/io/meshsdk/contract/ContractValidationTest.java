package io.meshsdk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import io.meshsdk.fixtures.LineItem;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.fixtures.Samples;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractValidationTest {
  private final ProductContract<OrderPlaced> contract = ProductContract.of(OrderPlaced.class);

  @Test
  void acceptsAValidRecord() {
    assertThat(contract.validate(Samples.order())).isEmpty();
  }

  @Test
  void reportsEveryViolationWithItsPathAndRule() {
    OrderPlaced o = Samples.order();
    List<LineItem> items = new ArrayList<>(o.items());
    items.set(2, new LineItem(" ", 0, new BigDecimal("1.00")));
    OrderPlaced bad =
        new OrderPlaced(
            o.orderId(), "not-an-email", -5, "EURO", o.weightKg(), null, items, o.shipping(), null);

    assertThat(contract.validate(bad))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactly(
            tuple("customerEmail", "Email"),
            tuple("amountCents", "Positive"),
            tuple("currency", "Size"),
            tuple("placedAt", "NotNull"),
            tuple("items[2].sku", "NotBlank"),
            tuple("items[2].quantity", "Positive"));
  }

  @Test
  void neverShowsPiiValues() {
    OrderPlaced o = Samples.order();
    OrderPlaced bad =
        new OrderPlaced(
            o.orderId(),
            "secret-address",
            o.amountCents(),
            "EURO",
            o.weightKg(),
            o.placedAt(),
            o.items(),
            o.shipping(),
            null);

    ContractViolationException e =
        catchThrowableOfType(ContractViolationException.class, () -> contract.check(bad));

    assertThat(e.getMessage())
        .startsWith("orders.order-placed 2.1: 2 contract violations")
        .contains("customerEmail: must be a well-formed email address (Email, PII)")
        .doesNotContain("secret-address")
        .doesNotContain("EURO");
    assertThat(e.violations().get(0).value()).isEmpty();
    assertThat(e.violations().get(1).value()).contains("EURO");
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void checksDecimalPrecisionAndScale() {
    OrderPlaced o = Samples.order();
    OrderPlaced bad =
        new OrderPlaced(
            o.orderId(),
            o.customerEmail(),
            o.amountCents(),
            o.currency(),
            o.weightKg(),
            o.placedAt(),
            List.of(
                new LineItem("a", 1, new BigDecimal("1.234")),
                new LineItem("b", 1, new BigDecimal("123456789.00"))),
            o.shipping(),
            null);

    assertThat(contract.validate(bad))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactly(
            tuple("items[0].unitPrice", "Decimal"), tuple("items[1].unitPrice", "Decimal"));
  }

  @Test
  void reportsNullElementsOfLists() {
    OrderPlaced o = Samples.order();
    List<LineItem> items = new ArrayList<>();
    items.add(null);
    OrderPlaced bad =
        new OrderPlaced(
            o.orderId(),
            o.customerEmail(),
            o.amountCents(),
            o.currency(),
            o.weightKg(),
            o.placedAt(),
            items,
            o.shipping(),
            null);

    assertThat(contract.validate(bad))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactly(tuple("items[0]", "NotNull"));
  }

  @DataProduct(domain = "t", name = "rules", version = "1.0", owner = "o", description = "d")
  record Rules(
      @Min(2) @Max(5) int n,
      @Pattern(regexp = "[A-Z]{2}") String code,
      @Past Instant at,
      @Min(0) Double ratio) {}

  @DataProduct(domain = "t", name = "bounds", version = "1.0", owner = "o", description = "d")
  record Bounds(
      @Max(9007199254740993L) double big,
      @Max(Long.MAX_VALUE) Double boxedBig,
      @Min(0) @Max(10) Double boxed,
      @Min(0) @Max(10) float small) {}

  @Test
  void doublesMeetLongBoundsExactlyAndNanBreaksEveryBoundBoxedOrNot() {
    ProductContract<Bounds> c = ProductContract.of(Bounds.class);
    // 2^53 is below 2^53 + 1, although (double) (2^53 + 1) rounds to 2^53
    assertThat(c.validate(new Bounds(9007199254740992.0, 1.0, 1.0, 1f))).isEmpty();
    // 2^63 as a double is above Long.MAX_VALUE, although (double) Long.MAX_VALUE equals it
    assertThat(c.validate(new Bounds(1.0, 0x1p63, 1.0, 1f)))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactly(tuple("boxedBig", "Max"));
    assertThat(c.validate(new Bounds(Double.NaN, Double.NaN, Double.NaN, Float.NaN)))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactlyInAnyOrder(
            tuple("big", "Max"),
            tuple("boxedBig", "Max"),
            tuple("boxed", "Min"),
            tuple("boxed", "Max"),
            tuple("small", "Min"),
            tuple("small", "Max"));
  }

  @Test
  void evaluatesRangePatternAndTimeRules() {
    ProductContract<Rules> c = ProductContract.of(Rules.class);

    assertThat(c.validate(new Rules(3, "AB", Instant.now().minusSeconds(60), 0.5))).isEmpty();
    assertThat(c.validate(new Rules(9, "ab", Instant.now().plusSeconds(3600), -0.5)))
        .extracting(ContractViolation::path, ContractViolation::rule)
        .containsExactly(
            tuple("n", "Max"),
            tuple("code", "Pattern"),
            tuple("at", "Past"),
            tuple("ratio", "Min"));
    assertThat(c.validate(new Rules(1, "AB", Instant.EPOCH, null)))
        .extracting(ContractViolation::rule)
        .containsExactly("Min", "NotNull");
  }
}
