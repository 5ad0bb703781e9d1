package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Precision and scale of a {@link java.math.BigDecimal} field, written as the Avro {@code decimal}
 * logical type. Required on every {@code BigDecimal} field. A value with more digits than the
 * declared precision, or more fraction digits than the scale, is a contract violation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Decimal {
  /**
   * Total number of digits.
   *
   * @return the precision, at least 1
   */
  int precision();

  /**
   * Digits after the decimal point.
   *
   * @return the scale, between 0 and the precision
   */
  int scale();
}
