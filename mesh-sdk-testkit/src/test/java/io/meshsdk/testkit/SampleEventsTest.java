package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Decimal;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductDescriptor;
import io.meshsdk.contract.TimestampMicros;
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
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

  // ---- the constraints of issue 13: ordinary combinations must not crash -------------------

  @DataProduct(
      domain = "shop",
      name = "named",
      version = "1.0",
      owner = "team-shop",
      description = "A name.")
  record Named(
      @NotBlank @Size(max = 5) @Doc("Name") String name,
      @NotBlank @Size(max = 1) @Doc("Initial") String initial) {}

  @Test
  void generatesNotBlankTextWithOnlyAMaximumSize() {
    // used to throw StringIndexOutOfBoundsException whenever the length drawn was 0
    List<Named> named = SampleEvents.of(Named.class).seed(3).take(300);

    ProductContract<Named> contract = ProductContract.of(Named.class);
    assertThat(named).allSatisfy(contract::check);
    assertThat(named).extracting(Named::initial).allSatisfy(i -> assertThat(i).hasSize(1));
    assertThat(SampleEvents.of(Named.class).edgeCases().take(100)).allSatisfy(contract::check);
  }

  @DataProduct(
      domain = "shop",
      name = "coded",
      version = "1.0",
      owner = "team-shop",
      description = "A code.")
  record Coded(
      @Key @Pattern(regexp = "ORD-[0-9]{6}") @Doc("Code") String code,
      @Pattern(regexp = "[0-9]{4}") @Doc("Pin") String pin,
      @Pattern(regexp = "(?i)[a-f0-9]{8}") @Size(min = 8, max = 8) @Doc("Hash") String hash,
      @Pattern(regexp = "[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}") @Size(max = 12) @Doc("Iban")
          String iban) {}

  @Test
  void generatesTextMatchingRealisticPatterns() {
    List<Coded> coded = SampleEvents.of(Coded.class).seed(5).take(200);

    ProductContract<Coded> contract = ProductContract.of(Coded.class);
    assertThat(coded).allSatisfy(contract::check);
    assertThat(coded).extracting(Coded::pin).allSatisfy(p -> assertThat(p).matches("[0-9]{4}"));
    assertThat(new HashSet<>(coded.stream().map(Coded::pin).toList())).hasSizeGreaterThan(150);
    assertThat(coded).extracting(Coded::code).allSatisfy(c -> assertThat(c).startsWith("ORD-"));
    assertThat(coded).extracting(Coded::iban).allSatisfy(i -> assertThat(i).hasSizeBetween(5, 12));
    assertThat(SampleEvents.of(Coded.class).seed(5).take(20))
        .isEqualTo(SampleEvents.of(Coded.class).seed(5).take(20));
  }

  @DataProduct(
      domain = "shop",
      name = "pin-pad",
      version = "1.0",
      owner = "team-shop",
      description = "A pin.")
  record PinPad(@Pattern(regexp = "[0-9]{4}") @Size(max = 3) @Doc("Pin") String pin) {}

  @DataProduct(
      domain = "shop",
      name = "tokened",
      version = "1.0",
      owner = "team-shop",
      description = "A token.")
  record Tokened(
      @Pattern(regexp = "(?=.*[0-9])[a-z0-9]{6}") @Doc("Token, with at least one digit")
          String token) {}

  @Test
  void namesAFieldItCannotSatisfyAndSuggestsSampleValues() {
    assertThatThrownBy(() -> SampleEvents.of(PinPad.class).next())
        .isInstanceOfSatisfying(
            UnsatisfiableFieldException.class,
            e -> {
              assertThat(e.product()).isEqualTo("shop.pin-pad");
              assertThat(e.field()).isEqualTo("pin");
            })
        .hasMessageContaining("cannot generate field pin")
        .hasMessageContaining("@Pattern(\"[0-9]{4}\") @Size(min = 0, max = 3)")
        .hasMessageContaining("in " + SampleEvents.ATTEMPTS_PER_VALUE + " attempts")
        .hasMessageContaining("SampleValues.of(\"pin\", random -> ...)");

    // a look-ahead is beyond the pattern generator: the hook supplies the field
    assertThatThrownBy(() -> SampleEvents.of(Tokened.class).next())
        .isInstanceOf(UnsatisfiableFieldException.class)
        .hasMessageContaining("field token");
    List<Tokened> tokens =
        SampleEvents.of(Tokened.class)
            .with(SampleValues.of("token", r -> "abcde" + r.nextInt(10)))
            .take(20);
    assertThat(tokens).allSatisfy(t -> assertThat(t.token()).matches("abcde[0-9]"));
  }

  @Test
  void takesSuppliedValuesInTheFieldsJavaType() {
    Instant placed = Instant.parse("2025-03-01T10:15:30Z");
    SampleValues values =
        SampleValues.of("placedAt", r -> placed)
            .and("deliveryDay", r -> LocalDate.now().plusDays(3))
            .and("channel", r -> Channel.PHONE)
            .and("lines.price", r -> new BigDecimal("12.5"))
            .and("note", r -> null);

    List<Order> orders = SampleEvents.of(Order.class).with(values).take(20);

    assertThat(orders)
        .allSatisfy(
            o -> {
              assertThat(o.placedAt()).isEqualTo(placed);
              assertThat(o.channel()).isEqualTo(Channel.PHONE);
              assertThat(o.note()).isNull();
              assertThat(o.lines())
                  .allSatisfy(l -> assertThat(l.price()).isEqualByComparingTo("12.50"));
            });
  }

  @Test
  void refusesSuppliedValuesThatDoNotFitTheField() {
    assertThatThrownBy(() -> SampleEvents.of(Order.class).field("curency", r -> "EUR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop.order-taken has no field curency");
    assertThatThrownBy(() -> SampleEvents.of(Order.class).field("priority", r -> "high").next())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SampleValues for field priority gave java.lang.String")
        .hasMessageContaining("Avro type int");
    // a supplied value that breaks the contract is named, never returned
    assertThatThrownBy(() -> SampleEvents.of(Order.class).field("priority", r -> 97).next())
        .isInstanceOfSatisfying(
            UnsatisfiableFieldException.class, e -> assertThat(e.field()).isEqualTo("priority"))
        .hasMessageContaining("break the contract at field priority")
        .hasMessageContaining("its values come from SampleValues")
        .hasMessageNotContaining("97");
  }

  @DataProduct(
      domain = "shop",
      name = "tagged",
      version = "1.0",
      owner = "team-shop",
      description = "Tags.")
  record Tagged(
      @Size(min = 3) @Doc("Every channel") Set<Channel> channels,
      @Min(-200) @Max(200) @Doc("Small") byte small,
      @Positive @Doc("Short") short count) {}

  @Test
  void keepsSetsDistinctAndNarrowNumbersInTheirRange() {
    ProductContract<Tagged> contract = ProductContract.of(Tagged.class);

    assertThat(SampleEvents.of(Tagged.class).take(100)).allSatisfy(contract::check);
    assertThat(SampleEvents.of(Tagged.class).edgeCases().take(100))
        .allSatisfy(contract::check)
        .anyMatch(t -> t.small() == Byte.MIN_VALUE)
        .anyMatch(t -> t.count() == Short.MAX_VALUE);
  }

  // ---- every combination the SDK accepts -------------------------------------------------

  record Text(@Doc("Value") String v) {}

  record NullableText(@Doc("Value") @Nullable String v) {}

  record Ints(@Doc("Value") int v) {}

  record Longs(@Doc("Value") long v) {}

  record Shorts(@Doc("Value") short v) {}

  record Bytes(@Doc("Value") byte v) {}

  record Floats(@Doc("Value") float v) {}

  record Doubles(@Doc("Value") double v) {}

  record Money(@Doc("Value") @Decimal(precision = 6, scale = 2) BigDecimal v) {}

  record Fraction(@Doc("Value") @Decimal(precision = 2, scale = 2) BigDecimal v) {}

  record Instants(@Doc("Value") Instant v) {}

  record MicroInstants(@Doc("Value") @TimestampMicros Instant v) {}

  record Dates(@Doc("Value") LocalDate v) {}

  record Times(@Doc("Value") LocalTime v) {}

  record Lists(@Doc("Value") List<String> v) {}

  record Sets(@Doc("Value") Set<Channel> v) {}

  record Maps(@Doc("Value") Map<String, Long> v) {}

  record ByteArrays(@Doc("Value") byte[] v) {}

  record Buffers(@Doc("Value") ByteBuffer v) {}

  /**
   * One field of a type under a combination of constraints, and whether any value satisfies them
   * (worked out here from the rules, independently of the generator).
   */
  record Case(Class<?> type, List<Constraint> constraints, boolean satisfiable) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(type.getSimpleName());
      constraints.forEach(c -> sb.append(' ').append(SampleEvents.render(c)));
      return sb.append(satisfiable ? "" : " -> unsatisfiable").toString();
    }
  }

  /** A pattern, the lengths of the strings it matches, and what else they can be. */
  record PatternCase(
      String regex,
      int minLength,
      int maxLength,
      boolean emails,
      boolean nonBlank,
      boolean generatable) {}

  static final List<PatternCase> PATTERNS =
      List.of(
          new PatternCase("[0-9]{4}", 4, 4, false, true, true),
          new PatternCase("ORD-[0-9]{6}", 10, 10, false, true, true),
          new PatternCase("[a-z]+(-[a-z]+)*", 1, Integer.MAX_VALUE, false, true, true),
          new PatternCase("(?i)[a-f0-9]{8}", 8, 8, false, true, true),
          new PatternCase("[a-z]{1,8}@example\\.com", 13, 20, true, true, true),
          new PatternCase("\\s*", 0, Integer.MAX_VALUE, false, false, true),
          new PatternCase("(?=.*[0-9])[a-z0-9]{6}", 6, 6, false, true, false));

  static final List<Constraint.Size> SIZES =
      List.of(
          new Constraint.Size(0, 0),
          new Constraint.Size(1, 1),
          new Constraint.Size(0, 3),
          new Constraint.Size(3, 3),
          new Constraint.Size(2, 12),
          new Constraint.Size(10, 40),
          new Constraint.Size(0, Integer.MAX_VALUE),
          new Constraint.Size(50, Integer.MAX_VALUE));

  static Stream<Case> textCases() {
    List<Case> cases = new ArrayList<>();
    for (Class<?> type : List.of(Text.class, NullableText.class)) {
      for (int mask = 0; mask < 8; mask++) {
        boolean notNull = (mask & 1) != 0;
        boolean notBlank = (mask & 2) != 0;
        boolean notEmpty = (mask & 4) != 0;
        if (notNull && type == Text.class || notEmpty && type == NullableText.class) {
          continue; // a non-null field is required anyway; NotEmpty is tried on Text
        }
        for (int s = -1; s < SIZES.size(); s++) {
          for (int p = -1; p < PATTERNS.size(); p++) {
            for (boolean email : List.of(false, true)) {
              List<Constraint> cs = new ArrayList<>();
              long lo = 0;
              long hi = Integer.MAX_VALUE;
              if (notNull) {
                cs.add(Constraint.notNull());
              }
              if (notBlank) {
                cs.add(Constraint.notBlank());
                lo = 1;
              }
              if (notEmpty) {
                cs.add(Constraint.notEmpty());
                lo = 1;
              }
              if (s >= 0) {
                cs.add(SIZES.get(s));
                lo = Math.max(lo, SIZES.get(s).min());
                hi = SIZES.get(s).max();
              }
              boolean ok;
              if (p >= 0) {
                PatternCase pc = PATTERNS.get(p);
                cs.add(Constraint.pattern(pc.regex()));
                ok =
                    pc.generatable()
                        && Math.max(lo, pc.minLength()) <= Math.min(hi, pc.maxLength())
                        && (!notBlank || pc.nonBlank())
                        && (!email || pc.emails());
              } else {
                ok = (email ? Math.max(lo, 3) : lo) <= hi;
              }
              if (email) {
                cs.add(Constraint.email());
              }
              cases.add(new Case(type, cs, ok));
            }
          }
        }
      }
    }
    return cases.stream();
  }

  static final List<Long> MINIMA = List.of(-5L, 0L, 3L, 200L, 40_000L, 3_000_000_000L);
  static final List<Long> MAXIMA = List.of(-3L, 0L, 5L, 40_000L);

  static Stream<Case> numberCases() {
    // each type's range, and the smallest step between two of its values (0 for floating point)
    record Domain(Class<?> type, BigDecimal lo, BigDecimal hi, BigDecimal step) {}
    List<Domain> domains =
        List.of(
            new Domain(Ints.class, bd(Integer.MIN_VALUE), bd(Integer.MAX_VALUE), BigDecimal.ONE),
            new Domain(Longs.class, bd(Long.MIN_VALUE), bd(Long.MAX_VALUE), BigDecimal.ONE),
            new Domain(Shorts.class, bd(Short.MIN_VALUE), bd(Short.MAX_VALUE), BigDecimal.ONE),
            new Domain(Bytes.class, bd(Byte.MIN_VALUE), bd(Byte.MAX_VALUE), BigDecimal.ONE),
            new Domain(
                Floats.class,
                new BigDecimal(-Float.MAX_VALUE),
                new BigDecimal(Float.MAX_VALUE),
                BigDecimal.ZERO),
            new Domain(
                Doubles.class,
                new BigDecimal(-Double.MAX_VALUE),
                new BigDecimal(Double.MAX_VALUE),
                BigDecimal.ZERO),
            new Domain(
                Money.class, new BigDecimal("-9999.99"), new BigDecimal("9999.99"), bd("0.01")),
            new Domain(
                Fraction.class, new BigDecimal("-0.99"), new BigDecimal("0.99"), bd("0.01")));
    List<List<Constraint>> signs = new ArrayList<>();
    signs.add(List.of());
    for (Constraint.Sign sign : Constraint.Sign.values()) {
      signs.add(List.of(new Constraint.Signum(sign)));
    }
    signs.add(List.of(Constraint.positive(), Constraint.negativeOrZero()));
    signs.add(List.of(Constraint.positiveOrZero(), Constraint.negativeOrZero()));
    List<Case> cases = new ArrayList<>();
    for (Domain d : domains) {
      for (int a = -1; a < MINIMA.size(); a++) {
        for (int b = -1; b < MAXIMA.size(); b++) {
          for (List<Constraint> sign : signs) {
            List<Constraint> cs = new ArrayList<>();
            BigDecimal lo = d.lo();
            BigDecimal hi = d.hi();
            if (a >= 0) {
              cs.add(Constraint.min(MINIMA.get(a)));
              lo = lo.max(bd(MINIMA.get(a)));
            }
            if (b >= 0) {
              cs.add(Constraint.max(MAXIMA.get(b)));
              hi = hi.min(bd(MAXIMA.get(b)));
            }
            // a strict sign needs one step (or, for floating point, any amount) beyond zero
            BigDecimal beyondZero = d.step().signum() == 0 ? bd("1e-300") : d.step();
            for (Constraint c : sign) {
              cs.add(c);
              switch (((Constraint.Signum) c).sign()) {
                case POSITIVE -> lo = lo.max(beyondZero);
                case POSITIVE_OR_ZERO -> lo = lo.max(BigDecimal.ZERO);
                case NEGATIVE -> hi = hi.min(beyondZero.negate());
                default -> hi = hi.min(BigDecimal.ZERO);
              }
            }
            cases.add(new Case(d.type(), cs, lo.compareTo(hi) <= 0));
          }
        }
      }
    }
    return cases.stream();
  }

  static Stream<Case> timeCases() {
    List<Case> cases = new ArrayList<>();
    Constraint.When[] whens = Constraint.When.values();
    for (Class<?> type : List.of(Instants.class, MicroInstants.class, Dates.class, Times.class)) {
      for (int mask = 0; mask < 1 << whens.length; mask++) {
        List<Constraint> cs = new ArrayList<>();
        boolean past = false;
        boolean future = false;
        boolean strict = false;
        for (int i = 0; i < whens.length; i++) {
          if ((mask & 1 << i) != 0) {
            cs.add(Constraint.temporal(whens[i]));
            past |= whens[i].name().startsWith("PAST");
            future |= whens[i].name().startsWith("FUTURE");
            strict |= whens[i] == Constraint.When.PAST || whens[i] == Constraint.When.FUTURE;
          }
        }
        // both sides leave only the present: a whole day for a date, a moving instant otherwise
        boolean ok = !(past && future) || (!strict && type == Dates.class);
        cases.add(new Case(type, cs, ok));
      }
    }
    return cases.stream();
  }

  static Stream<Case> sizedCases() {
    List<Case> cases = new ArrayList<>();
    for (Class<?> type :
        List.of(Lists.class, Sets.class, Maps.class, ByteArrays.class, Buffers.class)) {
      for (boolean notEmpty : List.of(false, true)) {
        for (int s = -1; s < SIZES.size(); s++) {
          List<Constraint> cs = new ArrayList<>();
          long lo = 0;
          long hi = Integer.MAX_VALUE;
          if (notEmpty) {
            cs.add(Constraint.notEmpty());
            lo = 1;
          }
          if (s >= 0) {
            cs.add(SIZES.get(s));
            lo = Math.max(lo, SIZES.get(s).min());
            hi = SIZES.get(s).max();
          }
          // a set of a three-symbol enum holds at most three elements
          boolean ok = lo <= hi && (type != Sets.class || lo <= Channel.values().length);
          cases.add(new Case(type, cs, ok));
        }
      }
    }
    return cases.stream();
  }

  static Stream<Case> everyCombination() {
    return Stream.of(textCases(), numberCases(), timeCases(), sizedCases()).flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCombination")
  void generatesEveryCombinationOfConstraintsTheContractAccepts(Case c) {
    ProductContract<?> contract =
        ProductContract.of(
            c.type(),
            ProductDescriptor.builder("test", "combination", "1.0")
                .owner("team-test")
                .description("One field under a combination of constraints.")
                .field("v", f -> f.constraints(c.constraints().toArray(Constraint[]::new)))
                .build());

    if (c.satisfiable()) {
      assertValidSamples(contract);
    } else {
      assertThatThrownBy(() -> SampleEvents.of(contract).take(10))
          .isInstanceOfSatisfying(
              UnsatisfiableFieldException.class, e -> assertThat(e.field()).isEqualTo("v"));
    }
  }

  private static <T> void assertValidSamples(ProductContract<T> contract) {
    SampleEvents<T> events = SampleEvents.of(contract).seed(11);
    for (T sample : events.take(8)) {
      contract.check(sample);
    }
    for (T sample : events.edgeCases().take(8)) {
      contract.check(sample);
    }
  }

  private static BigDecimal bd(long value) {
    return BigDecimal.valueOf(value);
  }

  private static BigDecimal bd(String value) {
    return new BigDecimal(value);
  }
}
