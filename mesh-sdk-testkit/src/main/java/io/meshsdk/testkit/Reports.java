package io.meshsdk.testkit;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductVersion;
import io.meshsdk.schema.CompatibilityIssue;
import io.meshsdk.schema.CompatibilityReport;
import java.util.List;
import org.apache.avro.Schema;

/**
 * How the testkit's contract tools word what they find, so that every report reads the same: a
 * product is named with its version ({@code orders.order-placed product version 1.1}), never with a
 * registry's position of a schema, and a place in a schema is a field path ({@code field
 * items.sku}), never a JSON pointer.
 */
final class Reports {
  /** The schema property the SDK writes the product version into. */
  private static final String VERSION_PROPERTY = "mesh.version";

  private Reports() {}

  /** {@code orders.order-placed product version 1.1}. */
  static String product(ProductContract<?> contract) {
    return contract.id() + " " + version(contract.version());
  }

  /** {@code product version 1.1}. */
  static String version(ProductVersion version) {
    return "product version " + version;
  }

  /** {@code product version 1.1}. */
  static String version(int major, int minor) {
    return "product version " + major + "." + minor;
  }

  /**
   * The product version a schema was derived for, from the property the SDK writes into it, else
   * its position among the schemas given ({@code earlier schema 2 of 3}).
   */
  static String versionOf(Schema schema, int position, int count) {
    Object version = schema.getObjectProp(VERSION_PROPERTY);
    return version != null
        ? "product version " + version
        : "earlier schema " + position + " of " + count;
  }

  /**
   * A compatibility report with product versions and field names.
   *
   * @param report the report
   * @param candidate the new schema
   * @param previous the earlier schemas, in the order the report counts them (from 1)
   * @param versions the name of each earlier schema, for example {@code product version 1.0}
   */
  static String compatibility(
      CompatibilityReport report, Schema candidate, List<Schema> previous, List<String> versions) {
    if (report.isCompatible()) {
      return "compatible under " + report.mode();
    }
    StringBuilder sb = new StringBuilder("incompatible under ").append(report.mode()).append(':');
    for (CompatibilityIssue issue : report.issues()) {
      sb.append("\n  - ");
      int index = issue.againstVersion() - 1;
      if (issue.direction().equals(CompatibilityIssue.REGISTRY)
          || index < 0
          || index >= previous.size()) {
        sb.append(issue); // nothing to resolve it against
        continue;
      }
      String against = versions.get(index);
      boolean backward = issue.direction().equals("BACKWARD");
      Schema reader = backward ? candidate : previous.get(index);
      sb.append(issue.direction())
          .append(": ")
          .append(
              backward
                  ? "the new schema cannot read data of " + against
                  : "readers on " + against + " cannot read new data")
          .append(": ")
          .append(incompatibility(reader, issue.location(), issue.kind(), issue.detail()));
    }
    return sb.toString();
  }

  /** {@code field items.sku: TYPE_MISMATCH (reader type: INT not compatible with ...)}. */
  static String incompatibility(Schema reader, String location, String kind, String detail) {
    return place(reader, location) + ": " + kind + " (" + detail + ")";
  }

  /**
   * The field a JSON pointer into a schema's JSON names: {@code /fields/2/type/items/fields/0}
   * becomes {@code field items.sku}; a pointer to the root record names the record.
   */
  static String place(Schema schema, String pointer) {
    StringBuilder path = new StringBuilder();
    Schema current = schema;
    String[] tokens = pointer.split("/");
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i];
      if (token.isEmpty() || current == null) {
        continue;
      }
      if (token.equals("fields") || token.equals("items") || token.equals("values")) {
        current = valueOf(current);
      }
      switch (token) {
        case "fields" -> {
          if (current.getType() != Schema.Type.RECORD || i + 1 >= tokens.length) {
            continue;
          }
          int index = parse(tokens[++i]);
          if (index < 0 || index >= current.getFields().size()) {
            current = null;
            continue;
          }
          Schema.Field field = current.getFields().get(index);
          path.append(path.length() == 0 ? "" : ".").append(field.name());
          current = field.schema();
        }
        case "items" ->
            current = current.getType() == Schema.Type.ARRAY ? current.getElementType() : null;
        case "values" ->
            current = current.getType() == Schema.Type.MAP ? current.getValueType() : null;
        default -> {
          int branch = parse(token);
          if (current.getType() == Schema.Type.UNION
              && branch >= 0
              && branch < current.getTypes().size()) {
            current = current.getTypes().get(branch);
          }
          // "type" steps into the field's schema, which is where we already are; "symbols",
          // "size" and "name" name a part of the type, which the kind of issue says
        }
      }
    }
    if (path.length() == 0) {
      return schema.getType() == Schema.Type.RECORD ? "record " + schema.getFullName() : "schema";
    }
    return "field " + path;
  }

  /** The value branch of a nullable union, or the schema itself. */
  private static Schema valueOf(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    Schema value = schema;
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        if (value != schema) {
          return schema; // more than one value branch: the pointer names one itself
        }
        value = branch;
      }
    }
    return value;
  }

  private static int parse(String token) {
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
