package io.meshsdk.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Values you supply for fields of a product, for the fields whose constraints the sample generator
 * cannot satisfy (a {@code @Pattern} with look-arounds, a rule only the domain knows) or whose
 * values a test wants to fix. {@link SampleEvents#with(SampleValues)} uses them instead of
 * generating, and so do the golden payloads of {@link ContractSnapshots#samples(Class,
 * SampleValues)}.
 *
 * <pre>{@code
 * SampleValues values =
 *     SampleValues.of("code", random -> "ORD-" + (100_000 + random.nextInt(900_000)))
 *         .and("items.sku", random -> "SKU-" + random.nextInt(1000));
 * List<Order> orders = SampleEvents.of(Order.class).with(values).take(10);
 * }</pre>
 *
 * <p>A path names a field from the product's root, {@code items.sku} for a field of the records in
 * a list or map (list and map levels add nothing to the path), as in {@link
 * io.meshsdk.contract.ContractField#path()}. A generator returns the field's value in its Java type
 * ({@code String}, {@code Integer}, {@code Instant}, {@code LocalDate}, {@code BigDecimal}, {@code
 * UUID}, an enum constant, a {@code List} or {@code Map} of those, or {@code null} for a nullable
 * field); a nested record is given in its Avro form, as a {@code GenericRecord}. The value must
 * still satisfy the contract: {@link SampleEvents} checks every event it returns.
 *
 * <p>Thread-safety: immutable; {@link #and} returns a new instance. The generators are held, not
 * copied, and are called on the thread that generates events, with that generator's {@link Random},
 * which is what makes a seed reproduce the same events: a generator should draw its randomness only
 * from that argument. A generator shared by several {@code SampleEvents} used on several threads
 * must itself be thread-safe.
 */
public final class SampleValues {
  private static final SampleValues NONE = new SampleValues(Map.of());

  private final Map<String, Function<? super Random, ?>> generators;

  private SampleValues(Map<String, Function<? super Random, ?>> generators) {
    this.generators = generators;
  }

  /**
   * No values: every field is generated.
   *
   * @return the empty set of values
   */
  public static SampleValues none() {
    return NONE;
  }

  /**
   * Values for one field.
   *
   * @param path the field path, for example {@code currency} or {@code items.sku}
   * @param generator makes one value from the generator's random source
   * @return the values
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the path is blank
   */
  public static SampleValues of(String path, Function<? super Random, ?> generator) {
    return NONE.and(path, generator);
  }

  /**
   * These values plus (or, for the same path, replaced by) values for one more field.
   *
   * @param path the field path
   * @param generator makes one value from the generator's random source
   * @return a new instance; this one is unchanged
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the path is blank
   */
  public SampleValues and(String path, Function<? super Random, ?> generator) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(generator, "generator");
    if (path.isBlank()) {
      throw new IllegalArgumentException("a field path must not be blank");
    }
    Map<String, Function<? super Random, ?>> copy = new LinkedHashMap<>(generators);
    copy.put(path, generator);
    return new SampleValues(Collections.unmodifiableMap(copy));
  }

  /**
   * These values plus others; the other's win for a path both give.
   *
   * @param other more values
   * @return a new instance; this one is unchanged
   * @throws NullPointerException if {@code other} is null
   */
  public SampleValues and(SampleValues other) {
    Objects.requireNonNull(other, "other");
    if (other.generators.isEmpty()) {
      return this;
    }
    Map<String, Function<? super Random, ?>> copy = new LinkedHashMap<>(generators);
    copy.putAll(other.generators);
    return new SampleValues(Collections.unmodifiableMap(copy));
  }

  /**
   * The paths that have values.
   *
   * @return an immutable set, in the order the paths were first given
   */
  public Set<String> paths() {
    return generators.keySet();
  }

  /** The generator of a path, or null. */
  @Nullable Function<? super Random, ?> generator(String path) {
    return generators.get(path);
  }

  @Override
  public String toString() {
    return "SampleValues" + generators.keySet();
  }
}
