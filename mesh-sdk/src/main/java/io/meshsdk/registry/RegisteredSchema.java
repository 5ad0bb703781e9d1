package io.meshsdk.registry;

import java.util.Objects;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A schema as registered under a subject.
 *
 * <p>A final class rather than a record so that it can gain properties (a registry's metadata or
 * references, say) without breaking callers or {@link SchemaRegistry} implementations: new
 * properties get new accessors and a new {@code of} overload, and existing ones stay.
 *
 * <p>Thread-safety: immutable.
 */
public final class RegisteredSchema {
  private final String subject;
  private final int version;
  private final int id;
  private final Schema schema;

  private RegisteredSchema(String subject, int version, int id, Schema schema) {
    this.subject = Objects.requireNonNull(subject, "subject");
    this.version = version;
    this.id = id;
    this.schema = Objects.requireNonNull(schema, "schema");
  }

  /**
   * A registration, as a {@link SchemaRegistry} implementation returns it.
   *
   * @param subject the subject
   * @param version the version under the subject, from 1
   * @param id the global schema id, shared by identical schemas in every subject
   * @param schema the schema
   * @return the registration
   */
  public static RegisteredSchema of(String subject, int version, int id, Schema schema) {
    return new RegisteredSchema(subject, version, id, schema);
  }

  /**
   * The subject.
   *
   * @return the subject
   */
  public String subject() {
    return subject;
  }

  /**
   * The version under the subject, from 1.
   *
   * @return the version
   */
  public int version() {
    return version;
  }

  /**
   * The global schema id, shared by identical schemas in every subject.
   *
   * @return the id
   */
  public int id() {
    return id;
  }

  /**
   * The schema.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RegisteredSchema r
        && subject.equals(r.subject)
        && version == r.version
        && id == r.id
        && schema.equals(r.schema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subject, version, id, schema);
  }

  @Override
  public String toString() {
    return "RegisteredSchema[subject=" + subject + ", version=" + version + ", id=" + id + "]";
  }
}
