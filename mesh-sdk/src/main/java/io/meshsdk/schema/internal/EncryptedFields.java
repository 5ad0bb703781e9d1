package io.meshsdk.schema.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.jspecify.annotations.Nullable;

/**
 * How an encrypted field ({@code @Pii(encrypted = true)}) shows in the schema: type {@code bytes},
 * with the format of its bytes and the schema of the clear value as field properties, so that
 * readers in other languages see which fields are encrypted and how to read them with the key; and
 * the evolution rules Avro's own compatibility check cannot see in them ({@link #evolution}).
 *
 * <p>Thread-safety: stateless.
 */
public final class EncryptedFields {
  /** Field property: the format of the bytes ({@link #FORMAT}). */
  public static final String PROP_ENCRYPTED = "mesh.encrypted";

  /** Field property: the schema of the clear value, whose Avro binary encoding is encrypted. */
  public static final String PROP_CLEAR_SCHEMA = "mesh.clear.schema";

  /** Mesh's envelope (key reference, then a Tink AEAD ciphertext); {@code docs/security.md}. */
  public static final String FORMAT = "mesh-envelope-v1/tink-aead";

  /** The kind of a {@link Change}: encryption turned on or off, or the clear schema changed. */
  public static final String KIND = "MESH_ENCRYPTED_FIELD_CHANGED";

  private EncryptedFields() {}

  /**
   * A change to an encrypted field that no reader can follow within a major.
   *
   * @param location a JSON pointer to the field in the reader's schema, {@code /fields/{index}}
   * @param field the field's name
   * @param detail what changed, naming the field and the major rule
   */
  public record Change(String location, String field, String detail) {
    /** Requires every part. */
    public Change {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The changes between a writer's and a reader's schema of one product that break encrypted
   * fields, which Avro's check passes ({@code bytes} and {@code string} are interchangeable to it):
   * a field encrypted on one side and in clear on the other (a reader would take ciphertext for a
   * value, or a clear value for an envelope), and an encrypted field whose clear schema differs
   * (the clear value is read with the reader's clear schema, without resolution). Both need a new
   * major. Top-level fields only, where encrypted fields are.
   *
   * @param reader the reader's schema
   * @param writer the writer's schema
   * @return the changes, empty when none
   */
  public static List<Change> evolution(Schema reader, Schema writer) {
    if (reader.getType() != Schema.Type.RECORD || writer.getType() != Schema.Type.RECORD) {
      return List.of();
    }
    List<Change> changes = new ArrayList<>();
    for (Schema.Field r : reader.getFields()) {
      Schema.Field w = writer.getField(r.name());
      for (String alias : r.aliases()) {
        if (w == null) {
          w = writer.getField(alias); // a renamed field, as Avro's resolution finds it
        }
      }
      if (w == null) {
        continue;
      }
      boolean readEncrypted = r.getProp(PROP_ENCRYPTED) != null;
      boolean written = w.getProp(PROP_ENCRYPTED) != null;
      String location = "/fields/" + r.pos();
      if (readEncrypted && !written) {
        changes.add(
            new Change(
                location,
                r.name(),
                "field '"
                    + r.name()
                    + "' is encrypted for the reader but in clear for the writer: turning"
                    + " encryption on needs a new major"));
      } else if (!readEncrypted && written) {
        changes.add(
            new Change(
                location,
                r.name(),
                "field '"
                    + r.name()
                    + "' is encrypted by the writer but in clear for the reader: turning"
                    + " encryption on or off needs a new major"));
      } else if (readEncrypted) {
        String readClear = r.getProp(PROP_CLEAR_SCHEMA);
        String writtenClear = w.getProp(PROP_CLEAR_SCHEMA);
        if (!sameClearSchema(readClear, writtenClear)) {
          changes.add(
              new Change(
                  location,
                  r.name(),
                  "the clear schema of encrypted field '"
                      + r.name()
                      + "' changed from "
                      + writtenClear
                      + " to "
                      + readClear
                      + ": an encrypted field's clear type is fixed within a major"));
        }
      }
    }
    return changes;
  }

  /**
   * Whether two clear schemas read the same bytes as the same values: the same parsing form (names,
   * types, field order) and the same logical types (a timestamp's unit, a decimal's scale), which
   * the parsing form leaves out. Documentation and other properties do not count.
   */
  static boolean sameClearSchema(@Nullable String a, @Nullable String b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    Schema x;
    Schema y;
    try {
      x = new Schema.Parser().parse(a);
      y = new Schema.Parser().parse(b);
    } catch (RuntimeException e) {
      return a.equals(b); // not a schema: compared as written
    }
    return SchemaNormalization.toParsingForm(x).equals(SchemaNormalization.toParsingForm(y))
        && sameLogicalTypes(x, y, new java.util.HashSet<>());
  }

  /** Walks two schemas of the same parsing form together, comparing their logical types. */
  private static boolean sameLogicalTypes(Schema x, Schema y, java.util.Set<String> seen) {
    if (!Objects.equals(x.getLogicalType(), y.getLogicalType())) {
      return false;
    }
    switch (x.getType()) {
      case RECORD:
        if (!seen.add(x.getFullName())) {
          return true; // a recursive record, compared already
        }
        for (int i = 0; i < x.getFields().size(); i++) {
          if (!sameLogicalTypes(
              x.getFields().get(i).schema(), y.getFields().get(i).schema(), seen)) {
            return false;
          }
        }
        return true;
      case ARRAY:
        return sameLogicalTypes(x.getElementType(), y.getElementType(), seen);
      case MAP:
        return sameLogicalTypes(x.getValueType(), y.getValueType(), seen);
      case UNION:
        for (int i = 0; i < x.getTypes().size(); i++) {
          if (!sameLogicalTypes(x.getTypes().get(i), y.getTypes().get(i), seen)) {
            return false;
          }
        }
        return true;
      default:
        return true;
    }
  }
}
