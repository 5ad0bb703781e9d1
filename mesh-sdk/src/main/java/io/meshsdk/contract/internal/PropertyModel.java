package io.meshsdk.contract.internal;

import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.contract.ProductVersion;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One property of a product type: name, type, metadata, constraints and its bound accessor.
 *
 * @param name the Avro field name (the Java name)
 * @param index the position in the record
 * @param type the type shape
 * @param accessor reads the value
 * @param doc documentation or null
 * @param pii classification or null
 * @param key whether this is the key field
 * @param since version that added it or null
 * @param defaultValue the Avro default (a JSON-compatible Java value) or null when there is none
 * @param hasDefault whether {@code defaultValue} is set (a default may be JSON null)
 * @param constraints declared rules
 * @param encrypted whether producers encrypt its values ({@code @Pii(encrypted = true)})
 * @param subject whether it identifies the data subject ({@code @DataSubject})
 */
public record PropertyModel(
    String name,
    int index,
    TypeNode type,
    Accessor accessor,
    @Nullable String doc,
    @Nullable PiiLevel pii,
    boolean key,
    @Nullable ProductVersion since,
    @Nullable Object defaultValue,
    boolean hasDefault,
    List<Constraint> constraints,
    boolean encrypted,
    boolean subject) {}
