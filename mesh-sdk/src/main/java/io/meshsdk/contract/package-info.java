/**
 * Data product contracts: what a consumer may rely on, declared in code.
 *
 * <p>A team annotates a Java record (or a plain class) with {@link io.meshsdk.contract.DataProduct}
 * and its fields with {@link io.meshsdk.contract.Key}, {@link io.meshsdk.contract.Doc}, {@link
 * io.meshsdk.contract.Pii}, {@link io.meshsdk.contract.Since}, {@link
 * io.meshsdk.contract.DefaultValue} and the standard Jakarta Validation constraints. {@link
 * io.meshsdk.contract.ProductContract#of(Class)} reads the class once, derives its Avro schema and
 * compiles its constraints; Avro-generated classes, which cannot be annotated, get the same
 * metadata from a {@link io.meshsdk.contract.ProductDescriptor}.
 */
@NullMarked
package io.meshsdk.contract;

import org.jspecify.annotations.NullMarked;
