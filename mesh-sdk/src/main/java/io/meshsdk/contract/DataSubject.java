package io.meshsdk.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the field whose value identifies the person a record is about (a customer id): each data
 * subject's encrypted fields ({@link Pii#encrypted()}) get a data key of their own, so that
 * deleting it (crypto-shredding, {@code Mesh.forgetSubject}) makes that person's personal data
 * unreadable in the whole history of the product, in every copy, while the other fields and other
 * subjects still read. At most one top-level, non-nullable field of a product; its value's {@code
 * toString()} identifies the subject (only its SHA-256 hash travels with the records).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface DataSubject {}
