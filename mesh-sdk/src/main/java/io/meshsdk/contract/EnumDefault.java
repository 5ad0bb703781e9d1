package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the enum constant a reader falls back to when the writer sends a symbol the reader does not
 * know (the Avro enum {@code default}). Without it, adding a symbol breaks older readers.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface EnumDefault {}
