package io.meshsdk.schema;

import io.meshsdk.schema.internal.EncryptedFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Schema compatibility modes, with the meaning the Confluent Schema Registry gives them.
 *
 * <ul>
 *   <li>{@code BACKWARD}: consumers on the new schema read data written with the previous one.
 *   <li>{@code FORWARD}: consumers on the previous schema read data written with the new one.
 *   <li>{@code FULL}: both.
 *   <li>{@code _TRANSITIVE}: against every earlier version, not only the latest.
 *   <li>{@code NONE}: no check.
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public enum Compatibility {
  /** No compatibility check. */
  NONE(false, false, false),
  /** The new schema reads data of the latest version. */
  BACKWARD(true, false, false),
  /** The new schema reads data of every earlier version. */
  BACKWARD_TRANSITIVE(true, false, true),
  /** The latest version reads data of the new schema. */
  FORWARD(false, true, false),
  /** Every earlier version reads data of the new schema. */
  FORWARD_TRANSITIVE(false, true, true),
  /** Backward and forward against the latest version. */
  FULL(true, true, false),
  /** Backward and forward against every earlier version. */
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  Compatibility(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /**
   * Whether new readers must read old data.
   *
   * @return {@code true} for the backward and full modes
   */
  public boolean backward() {
    return backward;
  }

  /**
   * Whether old readers must read new data.
   *
   * @return {@code true} for the forward and full modes
   */
  public boolean forward() {
    return forward;
  }

  /**
   * Whether every earlier version is checked, not only the latest.
   *
   * @return {@code true} for the transitive modes
   */
  public boolean transitive() {
    return transitive;
  }

  /**
   * Whether this mode promises at least what {@code floor} promises: every direction of the floor,
   * and transitivity if the floor is transitive. Used by governance to refuse weaker modes.
   *
   * @param floor the minimum mode
   * @return {@code true} when this mode is as strict as the floor or stricter
   */
  public boolean isAtLeast(Compatibility floor) {
    Objects.requireNonNull(floor, "floor");
    return (!floor.backward || backward)
        && (!floor.forward || forward)
        && (!floor.transitive || transitive);
  }

  /**
   * Checks a candidate schema against the earlier versions of a subject under this mode.
   *
   * @param candidate the new schema
   * @param previous the earlier versions, oldest first (version 1 first); may be empty
   * @return the report; compatible when there is nothing to check against
   */
  public CompatibilityReport check(Schema candidate, List<Schema> previous) {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(previous, "previous");
    List<CompatibilityIssue> issues = new ArrayList<>();
    if (this != NONE && !previous.isEmpty()) {
      int from = transitive ? 0 : previous.size() - 1;
      for (int i = previous.size() - 1; i >= from; i--) {
        Schema old = previous.get(i);
        int version = i + 1;
        if (backward) {
          collect(issues, "BACKWARD", version, candidate, old);
        }
        if (forward) {
          collect(issues, "FORWARD", version, old, candidate);
        }
      }
    }
    return new CompatibilityReport(this, issues);
  }

  private static void collect(
      List<CompatibilityIssue> issues,
      String direction,
      int version,
      Schema reader,
      Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    for (Incompatibility incompatibility : result.getIncompatibilities()) {
      issues.add(
          new CompatibilityIssue(
              direction,
              version,
              incompatibility.getLocation(),
              incompatibility.getType().name(),
              incompatibility.getMessage()));
    }
    // encrypted fields: bytes to Avro, whose check cannot see what the bytes hold
    for (EncryptedFields.Change change : EncryptedFields.evolution(reader, writer)) {
      issues.add(
          new CompatibilityIssue(
              direction, version, change.location(), EncryptedFields.KIND, change.detail()));
    }
  }
}
