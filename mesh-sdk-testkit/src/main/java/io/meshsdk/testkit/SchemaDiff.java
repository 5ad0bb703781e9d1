package io.meshsdk.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The differences between two schemas of a product, one line per difference, named by field and
 * showing both sides: {@code field amountCents: type int -> string}, {@code field note: added
 * ([null, string], default null)}, {@code field email: PII PERSONAL -> none}.
 *
 * <p>{@link #data} lists what changes the data (fields, types with their logical types, defaults,
 * symbols, names, sizes, field order); {@link #metadata} what only describes it (documentation, the
 * owner and the other {@code mesh.*} properties, a field's PII classification).
 */
final class SchemaDiff {
  private static final String PII = "mesh.pii";
  private static final String SINCE = "mesh.since";
  private static final String MESH = "mesh.";

  /**
   * One difference in metadata.
   *
   * @param text the line, for example {@code owner "team-a" -> "team-b"}
   * @param pii whether it changes a field's personal-data classification
   */
  record Change(String text, boolean pii) {
    @Override
    public String toString() {
      return text;
    }
  }

  private SchemaDiff() {}

  /** What changes the data, from {@code before} to {@code after}; empty when nothing does. */
  static List<String> data(Schema before, Schema after) {
    List<String> out = new ArrayList<>();
    new DataWalk(out, before.getFullName()).walk("", before, after);
    return out;
  }

  /** What changes only the description, where the two schemas have the same shape. */
  static List<Change> metadata(Schema before, Schema after) {
    List<Change> out = new ArrayList<>();
    new MetaWalk(out).walk("", before, after);
    return out;
  }

  /**
   * A type in one line: {@code long (timestamp-millis)}, {@code array<string>}, {@code [null,
   * int]}.
   */
  static String render(Schema schema) {
    switch (schema.getType()) {
      case RECORD:
        return schema.getFullName();
      case ENUM:
        return "enum " + schema.getFullName();
      case FIXED:
        return "fixed " + schema.getFullName() + "(" + schema.getFixedSize() + ")";
      case ARRAY:
        return "array<" + render(schema.getElementType()) + ">";
      case MAP:
        return "map<" + render(schema.getValueType()) + ">";
      case UNION:
        StringBuilder sb = new StringBuilder("[");
        for (Schema branch : schema.getTypes()) {
          sb.append(sb.length() == 1 ? "" : ", ").append(render(branch));
        }
        return sb.append(']').toString();
      default:
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
          return schema.getName() + " (decimal(" + d.getPrecision() + "," + d.getScale() + "))";
        }
        return logical == null
            ? schema.getName()
            : schema.getName() + " (" + logical.getName() + ")";
    }
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String quoted(@Nullable Object value) {
    if (value == null) {
      return "none";
    } else if (value == JsonProperties.NULL_VALUE) {
      return "null";
    } else if (value instanceof CharSequence s) {
      return "\"" + s + "\"";
    } else if (value instanceof byte[] b) {
      return "bytes(" + b.length + ")";
    }
    return String.valueOf(value);
  }

  private static @Nullable String defaultOf(Schema.Field field) {
    return field.hasDefaultValue() ? quoted(field.defaultVal()) : null;
  }

  /** The fields of a record that the other has too, in this record's order. */
  private static List<String> shared(Schema record, Schema other) {
    List<String> names = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      if (other.getField(f.name()) != null) {
        names.add(f.name());
      }
    }
    return names;
  }

  private static final class DataWalk {
    private final List<String> out;
    private final String root;
    private final Set<String> seen = new HashSet<>();

    DataWalk(List<String> out, String root) {
      this.out = out;
      this.root = root;
    }

    private String where(String path) {
      return path.isEmpty() ? "record " + root : "field " + path;
    }

    void walk(String path, Schema a, Schema b) {
      Schema.Type type = a.getType();
      if (type == b.getType()
          && (type == Schema.Type.RECORD
              || type == Schema.Type.ENUM
              || type == Schema.Type.FIXED)) {
        named(path, a, b);
        return;
      }
      String ra = render(a);
      String rb = render(b);
      if (!ra.equals(rb)) {
        out.add(where(path) + ": type " + ra + " -> " + rb);
        return;
      }
      // the same type: look inside for records and enums
      switch (type) {
        case ARRAY -> walk(path, a.getElementType(), b.getElementType());
        case MAP -> walk(path, a.getValueType(), b.getValueType());
        case UNION -> {
          for (int i = 0; i < a.getTypes().size(); i++) {
            walk(path, a.getTypes().get(i), b.getTypes().get(i));
          }
        }
        default -> {}
      }
    }

    private void named(String path, Schema a, Schema b) {
      if (!a.getFullName().equals(b.getFullName())) {
        out.add(where(path) + ": name " + a.getFullName() + " -> " + b.getFullName());
      }
      if (!seen.add(a.getFullName() + " " + b.getFullName())) {
        return; // a named type is defined once and referenced afterwards
      }
      switch (a.getType()) {
        case ENUM -> {
          if (!a.getEnumSymbols().equals(b.getEnumSymbols())) {
            out.add(where(path) + ": symbols " + a.getEnumSymbols() + " -> " + b.getEnumSymbols());
          }
          if (!Objects.equals(a.getEnumDefault(), b.getEnumDefault())) {
            out.add(
                where(path)
                    + ": enum default "
                    + quoted(a.getEnumDefault())
                    + " -> "
                    + quoted(b.getEnumDefault()));
          }
        }
        case FIXED -> {
          if (a.getFixedSize() != b.getFixedSize()) {
            out.add(where(path) + ": size " + a.getFixedSize() + " -> " + b.getFixedSize());
          }
        }
        default -> record(path, a, b);
      }
    }

    private void record(String path, Schema a, Schema b) {
      for (Schema.Field fa : a.getFields()) {
        String p = child(path, fa.name());
        Schema.Field fb = b.getField(fa.name());
        if (fb == null) {
          out.add("field " + p + ": removed (was " + render(fa.schema()) + ")");
          continue;
        }
        walk(p, fa.schema(), fb.schema());
        // an encrypted field's bytes hold another schema's data: both properties are data
        for (String prop : List.of("mesh.encrypted", "mesh.clear.schema")) {
          String va = fa.getProp(prop);
          String vb = fb.getProp(prop);
          if (!Objects.equals(va, vb)) {
            out.add(
                "field "
                    + p
                    + ": "
                    + prop
                    + " "
                    + (va == null ? "none" : va)
                    + " -> "
                    + (vb == null ? "none" : vb));
          }
        }
        String da = defaultOf(fa);
        String db = defaultOf(fb);
        if (!Objects.equals(da, db)) {
          out.add(
              "field "
                  + p
                  + ": default "
                  + (da == null ? "none" : da)
                  + " -> "
                  + (db == null ? "none" : db));
        }
      }
      for (Schema.Field fb : b.getFields()) {
        if (a.getField(fb.name()) == null) {
          String db = defaultOf(fb);
          out.add(
              "field "
                  + child(path, fb.name())
                  + ": added ("
                  + render(fb.schema())
                  + (db == null ? ", no default" : ", default " + db)
                  + ")");
        }
      }
      List<String> before = shared(a, b);
      List<String> after = shared(b, a);
      if (!before.equals(after)) {
        out.add(where(path) + ": field order " + before + " -> " + after);
      }
    }
  }

  private static final class MetaWalk {
    private final List<Change> out;
    private final Set<String> seen = new HashSet<>();

    MetaWalk(List<Change> out) {
      this.out = out;
    }

    void walk(String path, Schema a, Schema b) {
      if (a.getType() != b.getType()) {
        return; // a data change, reported by the data diff
      }
      String subject = path.isEmpty() ? "" : "field " + path;
      switch (a.getType()) {
        case RECORD, ENUM, FIXED -> {
          if (!seen.add(a.getFullName())) {
            return;
          }
          boolean product = path.isEmpty();
          String kind = a.getType().getName();
          change(subject, product ? "description" : kind + " doc", a.getDoc(), b.getDoc());
          for (String key : keys(a.getObjectProps(), b.getObjectProps())) {
            // on the product's record, mesh.owner reads as owner
            String name =
                product && key.startsWith(MESH)
                    ? key.substring(MESH.length())
                    : (product ? "" : kind + " ") + "property " + key;
            change(subject, name, a.getObjectProp(key), b.getObjectProp(key));
          }
          if (a.getType() == Schema.Type.RECORD) {
            fields(path, a, b);
          }
        }
        case ARRAY -> walk(path, a.getElementType(), b.getElementType());
        case MAP -> walk(path, a.getValueType(), b.getValueType());
        case UNION -> {
          if (a.getTypes().size() == b.getTypes().size()) {
            for (int i = 0; i < a.getTypes().size(); i++) {
              walk(path, a.getTypes().get(i), b.getTypes().get(i));
            }
          }
        }
        default -> {
          for (String key : keys(a.getObjectProps(), b.getObjectProps())) {
            change(subject, "type property " + key, a.getObjectProp(key), b.getObjectProp(key));
          }
        }
      }
    }

    private void fields(String path, Schema a, Schema b) {
      for (Schema.Field fa : a.getFields()) {
        Schema.Field fb = b.getField(fa.name());
        if (fb == null) {
          continue;
        }
        String p = child(path, fa.name());
        String subject = "field " + p;
        change(subject, "doc", fa.doc(), fb.doc());
        for (String key : keys(fa.getObjectProps(), fb.getObjectProps())) {
          Object va = fa.getObjectProp(key);
          Object vb = fb.getObjectProp(key);
          if (key.equals(PII)) {
            // a level, or none; not quoted
            if (!Objects.equals(va, vb)) {
              out.add(
                  new Change(
                      subject
                          + ": PII "
                          + (va == null ? "none" : va)
                          + " -> "
                          + (vb == null ? "none" : vb),
                      true));
            }
          } else {
            change(subject, key.equals(SINCE) ? "since" : "property " + key, va, vb);
          }
        }
        walk(p, fa.schema(), fb.schema());
      }
    }

    private void change(String subject, String what, @Nullable Object a, @Nullable Object b) {
      if (!Objects.equals(a, b)) {
        String values = quoted(a) + " -> " + quoted(b);
        out.add(
            new Change(
                subject.isEmpty() ? what + ": " + values : subject + ": " + what + " " + values,
                false));
      }
    }

    private static Set<String> keys(Map<String, Object> a, Map<String, Object> b) {
      Set<String> keys = new TreeSet<>(a.keySet());
      keys.addAll(b.keySet());
      return keys;
    }
  }
}
