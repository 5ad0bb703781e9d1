package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DataSubject;
import io.meshsdk.contract.Decimal;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.internal.FieldCipher;
import io.meshsdk.serde.internal.AbstractCodec;
import io.meshsdk.serde.internal.Codecs;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The producer checks a record while it encodes it, reading each property once ({@code
 * AbstractCodec.encodeFramedChecked}). For generated records that break every kind of constraint,
 * at every depth, alone and together, the result must be exactly what checking first and encoding
 * after gives: the same violations in the same order, or the same bytes.
 */
class CheckWhileEncodingTest {
  record Item(
      @NotBlank String sku,
      @Positive int quantity,
      @Decimal(precision = 9, scale = 2) @Nullable BigDecimal price) {}

  record Note(@Size(max = 5) String text, @Nullable Item item) {}

  @DataProduct(domain = "t", name = "checked", version = "1.0", owner = "o", description = "d")
  record Checked(
      @DataSubject String id,
      @Email String email,
      @Pattern(regexp = "[A-Z]{3}") String currency,
      @Positive long amount,
      @Min(1) @Max(10) int small,
      @Max(100) double ratio,
      @Min(0) float single,
      @Min(0) @Nullable Double boxed,
      @Past Instant at,
      @SuppressWarnings("MultipleNullnessAnnotations") // @NotNull on a nullable type, on purpose
          @NotNull
          @Nullable String required,
      @NotNull Optional<String> present,
      @Size(min = 1, max = 3) List<Item> items,
      @Nullable Item extra,
      Map<String, Note> notes,
      @Pii(encrypted = true) @Positive Integer secret) {}

  private static final ProductContract<Checked> CONTRACT = ProductContract.of(Checked.class);
  private static final AbstractCodec<Checked> CODEC = Codecs.create(CONTRACT, FieldCipher.CLEAR);

  @Property(tries = 3000)
  void checkingWhileEncodingEqualsCheckingFirst(@ForAll("records") Checked value) {
    List<?> violations = CONTRACT.validate(value);
    Throwable thrown = catchThrowable(() -> CODEC.encodeFramedChecked(7, value));
    if (violations.isEmpty()) {
      assertThat(thrown).isNull();
      assertThat(CODEC.encodeFramedChecked(7, value)).isEqualTo(CODEC.encodeFramed(7, value));
    } else {
      assertThat(thrown).isInstanceOf(ContractViolationException.class);
      assertThat(((ContractViolationException) thrown).violations()).isEqualTo(violations);
    }
  }

  @Test
  void everyMutationAloneIsCaught() {
    // each alone: a check missing from the one-pass path would let the record through
    for (Mutation m : MUTATIONS) {
      Checked value = m.apply(compliant());
      Throwable thrown = catchThrowable(() -> CODEC.encodeFramedChecked(7, value));
      if (m.breaks()) {
        assertThat(thrown).as(m.name()).isInstanceOf(ContractViolationException.class);
        assertThat(((ContractViolationException) thrown).violations())
            .as(m.name())
            .isEqualTo(CONTRACT.validate(value))
            .hasSize(1);
      } else {
        assertThat(thrown).as(m.name()).isNull();
      }
    }
  }

  /** Records that comply, then break none, one or several constraints at any depth. */
  @Provide
  Arbitrary<Checked> records() {
    return Arbitraries.of(MUTATIONS)
        .list()
        .ofMaxSize(3)
        .map(
            ms -> {
              Checked c = compliant();
              for (Mutation m : ms) {
                c = m.apply(c);
              }
              return c;
            });
  }

  private static Checked compliant() {
    return new Checked(
        "id-1",
        "a@b.c",
        "EUR",
        5L,
        2,
        1.5,
        0f,
        null,
        Instant.EPOCH,
        "r",
        Optional.of("p"),
        List.of(item("s", 1, "2.50"), item("t", 2, "0.10")),
        null,
        Map.of("a", new Note("hi", null)),
        1);
  }

  private static Item item(String sku, int quantity, @Nullable String price) {
    return new Item(sku, quantity, price == null ? null : new BigDecimal(price));
  }

  /** One change to a record; {@code breaks} when it breaks exactly one constraint. */
  record Mutation(String name, boolean breaks, UnaryOperator<Checked> change) {
    Checked apply(Checked c) {
      return change.apply(c);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Mutation breaking(String name, String component, @Nullable Object value) {
    return new Mutation(name, true, c -> with(c, component, value));
  }

  private static Mutation harmless(String name, String component, @Nullable Object value) {
    return new Mutation(name, false, c -> with(c, component, value));
  }

  private static final List<Mutation> MUTATIONS =
      List.of(
          breaking("id null", "id", null),
          breaking("email malformed", "email", "x@"),
          breaking("email null", "email", null),
          breaking("currency pattern", "currency", "eu"),
          breaking("amount zero", "amount", 0L),
          breaking("amount negative", "amount", -3L),
          breaking("small below", "small", 0),
          breaking("small above", "small", 11),
          breaking("ratio above", "ratio", 100.5),
          breaking("ratio NaN", "ratio", Double.NaN),
          breaking("single below", "single", -0.5f),
          breaking("single NaN", "single", Float.NaN),
          breaking("boxed below", "boxed", -1.0),
          breaking("boxed NaN", "boxed", Double.NaN),
          harmless("boxed set", "boxed", 3.0),
          breaking("at future", "at", Instant.now().plusSeconds(86_400)),
          breaking("at null", "at", null),
          breaking("required null", "required", null),
          breaking("present empty", "present", Optional.empty()),
          breaking("present null", "present", null),
          breaking("items empty", "items", List.of()),
          breaking("items four", "items", Collections.nCopies(4, item("s", 1, "1.00"))),
          breaking("item sku blank", "items", List.of(item(" ", 1, "1.00"))),
          breaking("item quantity zero", "items", List.of(item("s", 0, "1.00"))),
          breaking("item price scale", "items", List.of(item("s", 1, "1.234"))),
          breaking("item price precision", "items", List.of(item("s", 1, "12345678901.00"))),
          harmless("item price null", "items", List.of(item("s", 1, null))),
          breaking("item null", "items", Arrays.asList(item("s", 1, "1.00"), null)),
          breaking("extra bad", "extra", item("s", -1, "1.00")),
          harmless("extra good", "extra", item("s", 1, "1.00")),
          breaking("note long", "notes", Map.of("a", new Note("abcdef", null))),
          breaking("note item bad", "notes", Map.of("a", new Note("ok", item("", 1, "1.00")))),
          breaking("note null", "notes", nullValued()),
          harmless("notes empty", "notes", Map.of()),
          breaking("secret zero", "secret", 0),
          breaking("secret null", "secret", null));

  private static Map<String, @Nullable Note> nullValued() {
    Map<String, @Nullable Note> m = new LinkedHashMap<>();
    m.put("a", null);
    return m;
  }

  /** A copy of the record with one component replaced. */
  private static Checked with(Checked c, String component, @Nullable Object value) {
    try {
      RecordComponent[] components = Checked.class.getRecordComponents();
      Object[] args = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        args[i] =
            components[i].getName().equals(component)
                ? value
                : components[i].getAccessor().invoke(c);
      }
      return Checked.class.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new LinkageError(e.getMessage(), e);
    }
  }
}
