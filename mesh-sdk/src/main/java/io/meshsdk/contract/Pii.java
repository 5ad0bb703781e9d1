package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Classifies a field as personal data. Its values never appear in error messages, logs or span
 * attributes, and the classification travels in the schema ({@code mesh.pii} field property) so
 * that tools outside Java see it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Pii {
  /**
   * How sensitive the data is.
   *
   * @return the level, {@link PiiLevel#PERSONAL} by default
   */
  PiiLevel value() default PiiLevel.PERSONAL;

  /**
   * Whether producers encrypt the field's values (envelope encryption with Google Tink, {@code
   * docs/security.md}): the schema then gives the field as {@code bytes} with the properties {@code
   * mesh.encrypted} and {@code mesh.clear.schema}, and only consumers whose mesh can unwrap the
   * data key read the clear value. Needs {@code MeshBuilder.fieldEncryption(...)} on both sides.
   *
   * @return whether the field is encrypted; {@code false} by default
   */
  boolean encrypted() default false;
}
