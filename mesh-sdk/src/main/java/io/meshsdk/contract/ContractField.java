package io.meshsdk.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What a contract says about one field. Nested records list their own fields in {@link #fields()}.
 *
 * <p>A final class rather than a record so that it can gain properties without breaking callers:
 * new properties get new accessors and a new {@code of} overload, and existing ones stay.
 *
 * <p>Thread-safety: immutable.
 */
public final class ContractField {
  private final String name;
  private final String path;
  private final Schema schema;
  private final @Nullable String doc;
  private final @Nullable PiiLevel pii;
  private final @Nullable ProductVersion since;
  private final boolean nullable;
  private final boolean key;
  private final List<Constraint> constraints;
  private final List<ContractField> fields;

  private ContractField(
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
    this.name = Objects.requireNonNull(name, "name");
    this.path = Objects.requireNonNull(path, "path");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.doc = doc;
    this.pii = pii;
    this.since = since;
    this.nullable = nullable;
    this.key = key;
    this.constraints = List.copyOf(constraints);
    this.fields = List.copyOf(fields);
  }

  /**
   * A field (the SDK derives them from a product class).
   *
   * @param name the field name
   * @param path the path from the product root, for example {@code items.quantity}
   * @param schema the field's Avro schema
   * @param doc the documentation, {@code null} when undocumented
   * @param pii the personal-data classification, {@code null} when not personal data
   * @param since the version that added the field, {@code null} when there from the start
   * @param nullable whether the field may be {@code null}
   * @param key whether this is the product's key field
   * @param constraints the data-quality rules declared on the field
   * @param fields the fields of a nested record, else empty
   * @return the field
   */
  public static ContractField of(
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
    return new ContractField(
        name, path, schema, doc, pii, since, nullable, key, constraints, fields);
  }

  /**
   * The field name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The path from the product root, for example {@code items.quantity} (list and map levels add no
   * index here; violations carry the index).
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * The field's Avro schema.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * The field's documentation.
   *
   * @return the doc, empty when undocumented
   */
  public Optional<String> doc() {
    return Optional.ofNullable(doc);
  }

  /**
   * The personal-data classification.
   *
   * @return the level, empty when the field is not personal data
   */
  public Optional<PiiLevel> pii() {
    return Optional.ofNullable(pii);
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
   * The version that added the field.
   *
   * @return the version, empty when the field was there from the start
   */
  public Optional<ProductVersion> since() {
    return Optional.ofNullable(since);
  }

  /**
   * Whether the field may be {@code null}.
   *
   * @return whether it is nullable
   */
  public boolean nullable() {
    return nullable;
  }

  /**
   * Whether this is the product's key field.
   *
   * @return whether it is the key
   */
  public boolean key() {
    return key;
  }

  /**
   * The data-quality rules declared on the field.
   *
   * @return an immutable list
   */
  public List<Constraint> constraints() {
    return constraints;
  }

  /**
   * The fields of a nested record (also inside a list, map or nullable).
   *
   * @return an immutable list, empty for other fields
   */
  public List<ContractField> fields() {
    return fields;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ContractField f
        && name.equals(f.name)
        && path.equals(f.path)
        && schema.equals(f.schema)
        && Objects.equals(doc, f.doc)
        && pii == f.pii
        && Objects.equals(since, f.since)
        && nullable == f.nullable
        && key == f.key
        && constraints.equals(f.constraints)
        && fields.equals(f.fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, path, schema, doc, pii, since, nullable, key, constraints, fields);
  }

  @Override
  public String toString() {
    return "ContractField["
        + path
        + ": "
        + schema.getType().getName()
        + (pii != null ? ", pii=" + pii : "")
        + (since != null ? ", since=" + since : "")
        + (nullable ? ", nullable" : "")
        + (key ? ", key" : "")
        + ", constraints="
        + constraints
        + "]";
  }
}
