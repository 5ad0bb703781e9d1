package io.meshsdk.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A schema as registered under a subject.
 *
 * <p>Thread-safety: immutable.
 *
 * @param subject the subject
 * @param version the version under the subject, from 1
 * @param id the global schema id, shared by identical schemas in every subject
 * @param schema the schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
  /** Requires every part. */
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
