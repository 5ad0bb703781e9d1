package io.meshsdk.serde.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes it does not trust. The SDK trusts exactly the generated
 * classes of the products it serves and their nested named types, by adding one predicate to Avro's
 * global validator that knows this set; it never trusts packages or everything. Records and plain
 * classes need no trust: the SDK creates them itself.
 */
final class TrustedClasses {
  private static final Set<String> TRUSTED = ConcurrentHashMap.newKeySet();
  private static boolean installed;

  private TrustedClasses() {}

  /** Trusts the classes behind the named types of a generated class's schema. */
  static void trustGenerated(Class<?> type, Schema schema) {
    TRUSTED.add(type.getName());
    collect(schema, new java.util.HashSet<>());
    install();
  }

  // class names come from the schema, without loading the classes, which Avro would refuse
  private static void collect(Schema s, Set<String> seen) {
    switch (s.getType()) {
      case RECORD:
      case ENUM:
      case FIXED:
        if (!seen.add(s.getFullName())) {
          return;
        }
        TRUSTED.add(SpecificData.getClassName(s));
        if (s.getType() == Schema.Type.RECORD) {
          for (Schema.Field f : s.getFields()) {
            collect(f.schema(), seen);
          }
        }
        return;
      case ARRAY:
        collect(s.getElementType(), seen);
        return;
      case MAP:
        collect(s.getValueType(), seen);
        return;
      case UNION:
        for (Schema b : s.getTypes()) {
          collect(b, seen);
        }
        return;
      default:
    }
  }

  private static synchronized void install() {
    if (!installed) {
      ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(previous, c -> TRUSTED.contains(c.getName())));
      installed = true;
    }
  }
}
