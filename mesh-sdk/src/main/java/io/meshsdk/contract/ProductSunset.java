package io.meshsdk.contract;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The sunset of a deprecated major version (see {@link Sunset}).
 *
 * <p>Thread-safety: immutable.
 *
 * @param date the sunset date
 * @param successorMajor the major that replaces this one
 * @param announced when the sunset was announced, if declared
 */
public record ProductSunset(LocalDate date, int successorMajor, @Nullable LocalDate announced) {
  /** Validates. */
  public ProductSunset {
    Objects.requireNonNull(date, "date");
    if (successorMajor < 1) {
      throw new IllegalArgumentException("successor major must be at least 1: " + successorMajor);
    }
    if (announced != null && announced.isAfter(date)) {
      throw new IllegalArgumentException(
          "announced " + announced + " is after the sunset date " + date);
    }
  }

  /**
   * When the sunset was announced.
   *
   * @return the date, or empty
   */
  public Optional<LocalDate> announcedOn() {
    return Optional.ofNullable(announced);
  }
}
