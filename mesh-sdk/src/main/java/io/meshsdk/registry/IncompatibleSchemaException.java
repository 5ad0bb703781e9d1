package io.meshsdk.registry;

import io.meshsdk.schema.CompatibilityReport;
import java.util.List;

/**
 * The registry refused a schema as incompatible with the subject's earlier versions. {@link
 * #reasons()} gives the registry's reasons, one per line.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class IncompatibleSchemaException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  private final List<String> reasons;

  /**
   * Creates the exception from reasons.
   *
   * @param subject the subject
   * @param reasons the registry's reasons
   */
  public IncompatibleSchemaException(String subject, List<String> reasons) {
    super(Kind.INCOMPATIBLE, format(subject, reasons));
    this.reasons = List.copyOf(reasons);
  }

  /**
   * Creates the exception from a local compatibility report.
   *
   * @param subject the subject
   * @param report the report
   */
  public IncompatibleSchemaException(String subject, CompatibilityReport report) {
    this(subject, report.issues().stream().map(Object::toString).toList());
  }

  /**
   * The reasons the schema was refused.
   *
   * @return an immutable list
   */
  public List<String> reasons() {
    return reasons;
  }

  private static String format(String subject, List<String> reasons) {
    StringBuilder sb =
        new StringBuilder("schema is incompatible with subject '").append(subject).append('\'');
    for (String r : reasons) {
      sb.append("\n  - ").append(r);
    }
    return sb.toString();
  }
}
