package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Deprecates a major version of a product: after {@link #date()} its producer stops being
 * maintained and consumers should read the successor major. The sunset travels in the schema
 * ({@code mesh.sunset}, {@code mesh.successor}) and on every record ({@code ce_meshsunset}), and
 * consumers of a deprecated major log a warning once and count {@code mesh.deprecated.consumption}.
 *
 * <pre>{@code
 * @DataProduct(domain = "orders", name = "order-placed", version = "1.3", ...)
 * @Sunset(date = "2027-06-30", announced = "2026-11-25")
 * public record OrderPlacedV1(...) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Sunset {
  /**
   * The sunset date, ISO-8601 ({@code 2027-06-30}).
   *
   * @return the date
   */
  String date();

  /**
   * The major version that replaces this one.
   *
   * @return the successor's major; 0 (the default) means this major plus one
   */
  int successor() default 0;

  /**
   * When the sunset was announced, ISO-8601; governance can require a minimum notice between this
   * and {@link #date()}.
   *
   * @return the date, or empty
   */
  String announced() default "";
}
