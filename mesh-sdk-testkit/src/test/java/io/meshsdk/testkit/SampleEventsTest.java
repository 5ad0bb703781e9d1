package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Decimal;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.ProductContract;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SampleEventsTest {
  enum Channel {
    WEB,
    STORE,
    PHONE
  }

  @DataProduct(
      domain = "shop",
      name = "order-taken",
      version = "1.0",
      owner = "team-shop",
      description = "An order.")
  record Order(
      @Key @Doc("Id") UUID id,
      @Pii @Email @Doc("E-mail") String email,
      @Positive @Doc("Cents") long cents,
      @NotBlank @Size(min = 3, max = 3) @Doc("Currency") String currency,
      @Min(1) @Max(5) @Doc("Priority") int priority,
      @Past @Doc("Placed") Instant placedAt,
      @Future @Doc("Delivery") LocalDate deliveryDay,
      @Doc("Channel") Channel channel,
      @Doc("Note") @Nullable String note,
      @Size(min = 1, max = 4) @Doc("Lines") List<Line> lines,
      @Doc("Attributes") Map<String, Long> attributes) {}

  record Line(
      @NotBlank @Doc("Sku") String sku,
      @Positive @Doc("Quantity") int quantity,
      @Decimal(precision = 8, scale = 2) @Doc("Price") BigDecimal price) {}

  @Test
  void generatesValidVariedEvents() {
    List<Order> orders = SampleEvents.of(Order.class).seed(7).take(200);

    ProductContract<Order> contract = ProductContract.of(Order.class);
    assertThat(orders).allSatisfy(o -> assertThat(contract.validate(o)).isEmpty());
    Set<UUID> ids = new HashSet<>();
    orders.forEach(o -> ids.add(o.id()));
    assertThat(ids).hasSizeGreaterThan(190);
    assertThat(orders).extracting(Order::channel).contains(Channel.values());
    assertThat(orders).anyMatch(o -> o.note() == null).anyMatch(o -> o.note() != null);
    assertThat(orders)
        .allSatisfy(
            o -> {
              assertThat(o.priority()).isBetween(1, 5);
              assertThat(o.placedAt()).isBefore(Instant.now());
              assertThat(o.deliveryDay()).isAfter(LocalDate.now());
              assertThat(o.lines()).hasSizeBetween(1, 4);
            });
  }

  @Test
  void isReproducibleFromASeed() {
    assertThat(SampleEvents.of(Order.class).seed(42).take(20))
        .isEqualTo(SampleEvents.of(Order.class).seed(42).take(20));
    assertThat(SampleEvents.of(Order.class).seed(42).take(5))
        .isNotEqualTo(SampleEvents.of(Order.class).seed(43).take(5));
  }

  @Test
  void edgeCasesStayValid() {
    List<Order> orders = SampleEvents.of(Order.class).seed(1).edgeCases().take(100);

    ProductContract<Order> contract = ProductContract.of(Order.class);
    assertThat(orders).allSatisfy(o -> assertThat(contract.validate(o)).isEmpty());
    assertThat(orders).anyMatch(o -> o.cents() == 1).anyMatch(o -> o.cents() == Long.MAX_VALUE);
    assertThat(orders).anyMatch(o -> o.lines().size() == 1).anyMatch(o -> o.lines().size() == 4);
    assertThat(orders).anyMatch(o -> o.attributes().isEmpty());
  }

  @DataProduct(
      domain = "shop",
      name = "coded",
      version = "1.0",
      owner = "team-shop",
      description = "A code.")
  record Coded(@Key @Pattern(regexp = "ORD-[0-9]{6}") @Doc("Code") String code) {}

  @Test
  void namesAPatternItCannotSatisfyAndTakesAGeneratorForIt() {
    assertThatThrownBy(() -> SampleEvents.of(Coded.class).next())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot generate a value of code matching ORD-[0-9]{6}")
        .hasMessageContaining("field(\"code\"");

    Coded coded =
        SampleEvents.of(Coded.class)
            .field("code", r -> String.format("ORD-%06d", r.nextInt(1_000_000)))
            .next();
    assertThat(coded.code()).matches("ORD-[0-9]{6}");
  }
}
