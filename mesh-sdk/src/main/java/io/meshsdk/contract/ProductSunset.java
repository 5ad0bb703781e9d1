package io.meshsdk.contract;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The sunset of a deprecated major version (see {@link Sunset}).
 *
 * <p>A final class rather than a record so that it can gain properties without breaking callers.
 *
 * <p>Thread-safety: immutable.
 */
public final class ProductSunset {
  private final LocalDate date;
  private final int successorMajor;
  private final @Nullable LocalDate announced;

  private ProductSunset(LocalDate date, int successorMajor, @Nullable LocalDate announced) {
    this.date = Objects.requireNonNull(date, "date");
    if (successorMajor < 1) {
      throw new IllegalArgumentException("successor major must be at least 1: " + successorMajor);
    }
    if (announced != null && announced.isAfter(date)) {
      throw new IllegalArgumentException(
          "announced " + announced + " is after the sunset date " + date);
    }
    this.successorMajor = successorMajor;
    this.announced = announced;
  }

  /**
   * A sunset without an announcement date.
   *
   * @param date the sunset date
   * @param successorMajor the major that replaces this one, at least 1
   * @return the sunset
   */
  public static ProductSunset of(LocalDate date, int successorMajor) {
    return new ProductSunset(date, successorMajor, null);
  }

  /**
   * A sunset announced on a date.
   *
   * @param date the sunset date
   * @param successorMajor the major that replaces this one, at least 1
   * @param announced when the sunset was announced, not after {@code date}
   * @return the sunset
   */
  public static ProductSunset of(LocalDate date, int successorMajor, LocalDate announced) {
    return new ProductSunset(date, successorMajor, Objects.requireNonNull(announced, "announced"));
  }

  /**
   * The sunset date.
   *
   * @return the date
   */
  public LocalDate date() {
    return date;
  }

  /**
   * The major that replaces this one.
   *
   * @return the major
   */
  public int successorMajor() {
    return successorMajor;
  }

  /**
   * When the sunset was announced.
   *
   * @return the date, or empty when not declared
   */
  public Optional<LocalDate> announced() {
    return Optional.ofNullable(announced);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProductSunset s
        && date.equals(s.date)
        && successorMajor == s.successorMajor
        && Objects.equals(announced, s.announced);
  }

  @Override
  public int hashCode() {
    return Objects.hash(date, successorMajor, announced);
  }

  @Override
  public String toString() {
    return "ProductSunset[date="
        + date
        + ", successorMajor="
        + successorMajor
        + (announced != null ? ", announced=" + announced : "")
        + "]";
  }
}
