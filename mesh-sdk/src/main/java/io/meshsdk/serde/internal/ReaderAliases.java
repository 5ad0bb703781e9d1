package io.meshsdk.serde.internal;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Lets a consumer name its reader classes freely: the reader schema gets the writer's names of the
 * matching record, enum and fixed types as aliases, matched by position in the schema (the root,
 * then fields by name, through nullable unions, arrays and maps). Avro's resolution and
 * compatibility check both honour reader aliases, so {@code OrderView} reads what {@code
 * OrderPlaced} wrote, while field names and types keep their usual rules.
 */
final class ReaderAliases {
  private ReaderAliases() {}

  static Schema aliased(Schema reader, Schema writer) {
    Schema copy = new Schema.Parser().parse(reader.toString());
    add(copy, writer, new HashSet<>());
    return copy;
  }

  private static void add(Schema r, Schema w, Set<String> seen) {
    r = single(r);
    w = single(w);
    if (r.getType() != w.getType()) {
      return;
    }
    switch (r.getType()) {
      case RECORD:
        if (!seen.add(r.getFullName())) {
          return;
        }
        alias(r, w);
        for (Schema.Field rf : r.getFields()) {
          Schema.Field wf = w.getField(rf.name());
          if (wf != null) {
            add(rf.schema(), wf.schema(), seen);
          }
        }
        return;
      case ENUM:
      case FIXED:
        alias(r, w);
        return;
      case ARRAY:
        add(r.getElementType(), w.getElementType(), seen);
        return;
      case MAP:
        add(r.getValueType(), w.getValueType(), seen);
        return;
      default:
    }
  }

  private static void alias(Schema r, Schema w) {
    if (!r.getFullName().equals(w.getFullName()) && !r.getAliases().contains(w.getFullName())) {
      r.addAlias(w.getFullName());
    }
  }

  /** The value branch of a {@code [null, T]} union, else the schema itself. */
  private static Schema single(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    Schema value = null;
    for (Schema b : s.getTypes()) {
      if (b.getType() != Schema.Type.NULL) {
        if (value != null) {
          return s;
        }
        value = b;
      }
    }
    return value == null ? s : value;
  }
}
