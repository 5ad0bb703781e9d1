package io.meshsdk.contract.internal;

import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.EnumNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.RecordNode;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import io.meshsdk.schema.internal.EncryptedFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Derives the Avro schema of a model: fields in property order, namespace from the Java package
 * (plus enclosing classes for nested types), docs, defaults, logical types, and the contract
 * metadata as {@code mesh.*} properties. Named types are defined once and referenced afterwards.
 */
final class SchemaDeriver {
  static final String PROP_PII = "mesh.pii";
  static final String PROP_SINCE = "mesh.since";

  private final Map<Class<?>, Schema> named = new HashMap<>();
  private final List<String> problems;

  SchemaDeriver(List<String> problems) {
    this.problems = problems;
  }

  Schema record(RecordModel model, @Nullable String docOverride) {
    return record(model, docOverride, null);
  }

  /** The record schema; {@code fullName} pins its Avro name instead of the class's. */
  Schema record(RecordModel model, @Nullable String docOverride, @Nullable String fullName) {
    Schema existing = named.get(model.type());
    if (existing != null) {
      return existing;
    }
    String name = model.type().getSimpleName();
    String namespace = namespace(model.type());
    if (fullName != null) {
      int dot = fullName.lastIndexOf('.');
      name = fullName.substring(dot + 1);
      namespace = dot < 0 ? null : fullName.substring(0, dot);
    }
    Schema schema =
        Schema.createRecord(
            name, docOverride != null ? docOverride : model.doc(), namespace, false);
    named.put(model.type(), schema);
    List<Schema.Field> fields = new ArrayList<>();
    for (PropertyModel p : model.properties()) {
      Schema fieldSchema =
          schema(p.type(), p.hasDefault() && p.defaultValue() != JsonProperties.NULL_VALUE);
      Schema clear = null;
      if (p.encrypted()) {
        // the value travels encrypted: bytes, with the clear schema for readers that hold the key
        clear = fieldSchema;
        fieldSchema = Schema.create(Schema.Type.BYTES);
      }
      Schema.Field field;
      try {
        if (clear != null) {
          // a record written before the field existed reads as empty bytes: no value
          field =
              p.hasDefault()
                  ? new Schema.Field(p.name(), fieldSchema, p.doc(), new byte[0])
                  : new Schema.Field(p.name(), fieldSchema, p.doc());
        } else {
          field =
              p.hasDefault()
                  ? new Schema.Field(p.name(), fieldSchema, p.doc(), p.defaultValue())
                  : new Schema.Field(p.name(), fieldSchema, p.doc());
        }
      } catch (AvroRuntimeException e) {
        problems.add(
            model.type().getName() + "." + p.name() + ": invalid default: " + e.getMessage());
        field = new Schema.Field(p.name(), fieldSchema, p.doc());
      }
      if (p.pii() != null) {
        field.addProp(PROP_PII, p.pii().name());
      }
      if (clear != null) {
        field.addProp(EncryptedFields.PROP_ENCRYPTED, EncryptedFields.FORMAT);
        field.addProp(EncryptedFields.PROP_CLEAR_SCHEMA, clear.toString());
      }
      if (p.since() != null) {
        field.addProp(PROP_SINCE, p.since().toString());
      }
      fields.add(field);
    }
    schema.setFields(fields);
    model.schema(schema);
    return schema;
  }

  /**
   * The schema of a type. {@code valueFirst} puts the non-null branch of a nullable type first,
   * which Avro requires when the default is not null.
   */
  Schema schema(TypeNode node, boolean valueFirst) {
    if (node instanceof NullableNode n) {
      Schema inner = schema(n.inner(), false);
      Schema nul = Schema.create(Schema.Type.NULL);
      return Schema.createUnion(valueFirst ? List.of(inner, nul) : List.of(nul, inner));
    }
    if (node instanceof ArrayNode a) {
      return Schema.createArray(schema(a.element(), false));
    }
    if (node instanceof MapNode m) {
      return Schema.createMap(schema(m.value(), false));
    }
    if (node instanceof RecordNode r) {
      return record(r.model(), null);
    }
    if (node instanceof EnumNode e) {
      Schema existing = named.get(e.type());
      if (existing != null) {
        return existing;
      }
      List<String> symbols = new ArrayList<>();
      for (Enum<?> c : e.constants()) {
        symbols.add(c.name());
      }
      Schema schema =
          Schema.createEnum(
              e.type().getSimpleName(), e.doc(), namespace(e.type()), symbols, e.defaultSymbol());
      named.put(e.type(), schema);
      return schema;
    }
    ScalarNode s = (ScalarNode) node;
    switch (s.kind()) {
      case BOOLEAN:
        return Schema.create(Schema.Type.BOOLEAN);
      case INT:
      case SHORT:
      case BYTE:
        return Schema.create(Schema.Type.INT);
      case LONG:
        return Schema.create(Schema.Type.LONG);
      case FLOAT:
        return Schema.create(Schema.Type.FLOAT);
      case DOUBLE:
        return Schema.create(Schema.Type.DOUBLE);
      case STRING:
        return Schema.create(Schema.Type.STRING);
      case BYTES:
      case BYTE_BUFFER:
        return Schema.create(Schema.Type.BYTES);
      case INSTANT_MILLIS:
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
      case INSTANT_MICROS:
        return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      case LOCAL_DATE:
        return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
      case LOCAL_TIME:
        return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
      case UUID:
        return LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
      case DECIMAL:
        return LogicalTypes.decimal(s.precision(), s.scale())
            .addToSchema(Schema.create(Schema.Type.BYTES));
      default:
        throw new IllegalStateException("unknown scalar " + s.kind());
    }
  }

  static String namespace(Class<?> type) {
    StringBuilder ns = new StringBuilder(type.getPackageName());
    List<String> enclosing = new ArrayList<>();
    for (Class<?> c = type.getEnclosingClass(); c != null; c = c.getEnclosingClass()) {
      enclosing.add(0, c.getSimpleName());
    }
    for (String e : enclosing) {
      ns.append('.').append(e);
    }
    return ns.toString();
  }
}
