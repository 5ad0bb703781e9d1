package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The product version ({@code major.minor}) that added this field. A field added in a minor version
 * needs a default ({@link DefaultValue}, or nullability) so that older data stays readable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Since {
  /**
   * The version, for example {@code "2.1"}.
   *
   * @return the version
   */
  String value();
}
