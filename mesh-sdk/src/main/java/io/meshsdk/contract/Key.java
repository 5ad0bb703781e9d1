package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field whose value becomes the Kafka record key (as UTF-8 text), which decides the
 * partition and, for {@link ProductKind#STATE} products, what compaction keeps. At most one field
 * per product; it must be a top-level string, UUID, or integral number field and must not be
 * nullable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Key {}
