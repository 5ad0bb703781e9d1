package io.meshsdk.schema;

import java.util.Objects;

/**
 * One reason a schema is incompatible with an earlier version.
 *
 * <p>Thread-safety: immutable.
 *
 * @param direction {@code BACKWARD} (the new schema cannot read old data) or {@code FORWARD} (old
 *     readers cannot read new data)
 * @param againstVersion the earlier version that breaks, counting from 1
 * @param location where in the schema, as a JSON pointer such as {@code /fields/2/type}
 * @param kind Avro's name for the incompatibility, for example {@code
 *     READER_FIELD_MISSING_DEFAULT_VALUE}
 * @param detail Avro's explanation, naming the field or symbol
 */
public record CompatibilityIssue(
    String direction, int againstVersion, String location, String kind, String detail) {

  /** The direction of an issue reported by a registry server, which gives only text. */
  public static final String REGISTRY = "REGISTRY";

  /** Requires every part. */
  public CompatibilityIssue {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    if (direction.equals(REGISTRY)) {
      return "registry: " + detail;
    }
    String who =
        direction.equals("BACKWARD")
            ? "new schema cannot read data of version " + againstVersion
            : "readers on version " + againstVersion + " cannot read new data";
    return direction + ": " + who + ": " + kind + " at " + location + " (" + detail + ")";
  }
}
