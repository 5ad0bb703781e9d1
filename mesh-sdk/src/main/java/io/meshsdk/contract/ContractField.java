package io.meshsdk.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What a contract says about one field. Nested records list their own fields in {@link #fields()}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param name the field name
 * @param path the path from the product root, for example {@code items.quantity} (list and map
 *     levels add no index here; violations carry the index)
 * @param schema the field's Avro schema
 * @param doc the field's documentation, {@code null} when undocumented
 * @param pii the personal-data classification, {@code null} when the field is not personal data
 * @param since the version that added the field, {@code null} when it was there from the start
 * @param nullable whether the field may be {@code null}
 * @param key whether this is the product's key field
 * @param constraints the data-quality rules declared on the field
 * @param fields the fields of a nested record (also inside a list, map or nullable), else empty
 */
public record ContractField(
    String name,
    String path,
    Schema schema,
    @Nullable String doc,
    @Nullable PiiLevel pii,
    @Nullable ProductVersion since,
    boolean nullable,
    boolean key,
    List<Constraint> constraints,
    List<ContractField> fields) {

  /** Requires the parts and copies the lists. */
  public ContractField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(schema, "schema");
    constraints = List.copyOf(constraints);
    fields = List.copyOf(fields);
  }

  /**
   * Whether the field is classified as personal data.
   *
   * @return {@code true} when {@link #pii()} is set
   */
  public boolean isPii() {
    return pii != null;
  }

  /**
   * The field's documentation.
   *
   * @return the doc, empty when undocumented
   */
  public Optional<String> documentation() {
    return Optional.ofNullable(doc);
  }
}
