package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The field's default in the Avro schema: what a reader gets when the writer's data has no such
 * field. Written as text and parsed for the field's type: {@code "STANDARD"} for an enum or a
 * string, {@code "0"} for numbers, {@code "true"} for booleans, {@code "[]"} or {@code "{}"} for
 * lists and maps, {@code "null"} for nullable fields; logical types take their Avro form ({@code
 * "0"} epoch millis for an {@code Instant}). A value that does not parse for the type is a
 * configuration error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface DefaultValue {
  /**
   * The default, as text.
   *
   * @return the default
   */
  String value();
}
