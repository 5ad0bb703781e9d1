package io.meshsdk.contract.internal;

import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductDescriptor.FieldDescriptor;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.contract.ProductVersion;
import io.meshsdk.contract.internal.TypeNode.Scalar;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import io.meshsdk.errors.MeshConfigurationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.jspecify.annotations.Nullable;

/**
 * Contracts of Avro-generated {@code SpecificRecord} classes: the schema is the generated one (plus
 * the contract properties), the metadata comes from a descriptor, and constraints read fields by
 * position through {@link IndexedRecord#get(int)}.
 */
final class SpecificRecordContracts {
  private SpecificRecordContracts() {}

  static <T> ProductContract<T> build(
      Class<T> type,
      ContractCompiler.Meta meta,
      ProductVersion version,
      String heading,
      List<String> problems) {
    Schema declared;
    try {
      declared = SpecificData.getForClass(type).getSchema(type);
    } catch (RuntimeException e) {
      throw new MeshConfigurationException(heading + ": cannot read its Avro schema", e);
    }
    if (declared.getType() != Schema.Type.RECORD) {
      throw new MeshConfigurationException(heading + ": its schema is not a record");
    }
    Schema schema = new Schema.Parser().parse(declared.toString());
    RecordModel model = model(schema, type, "", meta, version, problems);
    PropertyModel key = null;
    for (PropertyModel p : model.properties()) {
      if (p.key()) {
        key = p;
      }
    }
    if (meta.key() != null && key == null) {
      problems.add(type.getName() + ": key field '" + meta.key() + "' does not exist");
    }
    if (meta.kind() == ProductKind.STATE && meta.key() == null) {
      problems.add(type.getName() + ": a STATE product must declare a key field");
    }
    for (String path : meta.fields().keySet()) {
      if (find(schema, path) == null) {
        problems.add(
            type.getName()
                + ": the descriptor describes field '"
                + path
                + "', which does not exist");
      }
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(heading, problems);
    }
    ContractCompiler.addProductProperties(schema, meta, version, key == null ? null : key.name());
    List<ContractField> fields = ContractCompiler.fields(model, "");
    CompiledValidator validator = CompiledValidator.compile(model, Clock.systemUTC());
    return new DefaultProductContract<>(
        type,
        meta,
        version,
        key == null ? null : key.name(),
        key == null ? null : key.accessor(),
        schema,
        fields,
        model,
        validator,
        true);
  }

  private static Schema.@Nullable Field find(Schema record, String path) {
    Schema current = record;
    Schema.Field field = null;
    // -1 keeps a trailing empty part: "a." names no field (it is not "a")
    for (String part : path.split("\\.", -1)) {
      current = recordOf(current);
      if (current == null) {
        return null;
      }
      field = current.getField(part);
      if (field == null) {
        return null;
      }
      current = field.schema();
    }
    return field;
  }

  private static @Nullable Schema recordOf(Schema s) {
    switch (s.getType()) {
      case RECORD:
        return s;
      case UNION:
        for (Schema branch : s.getTypes()) {
          Schema r = recordOf(branch);
          if (r != null) {
            return r;
          }
        }
        return null;
      case ARRAY:
        return recordOf(s.getElementType());
      case MAP:
        return recordOf(s.getValueType());
      default:
        return null;
    }
  }

  private static RecordModel model(
      Schema record,
      Class<?> type,
      String prefix,
      ContractCompiler.Meta meta,
      ProductVersion version,
      List<String> problems) {
    RecordModel model = new RecordModel(type, record.getDoc());
    List<PropertyModel> properties = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      String path = prefix.isEmpty() ? f.name() : prefix + "." + f.name();
      FieldDescriptor d = meta.fields().get(path);
      int pos = f.pos();
      TypeNode node = node(f.schema(), path, meta, version, problems);
      List<Constraint> constraints = d == null ? List.of() : d.constraints();
      for (Constraint c : constraints) {
        String why = Constraints.incompatibility(c, node);
        if (why != null) {
          problems.add(type.getName() + "." + path + ": " + why);
        }
      }
      PiiLevel pii = d == null ? null : d.pii().orElse(null);
      ProductVersion since = null;
      String sinceText = d == null ? null : d.since().orElse(null);
      if (sinceText != null) {
        try {
          since = ProductVersion.parse(sinceText);
        } catch (MeshConfigurationException e) {
          problems.add(type.getName() + "." + path + ": since: " + e.getMessage());
        }
      }
      if (pii != null) {
        f.addProp(SchemaDeriver.PROP_PII, pii.name());
      }
      if (since != null) {
        f.addProp(SchemaDeriver.PROP_SINCE, since.toString());
      }
      boolean key = prefix.isEmpty() && f.name().equals(meta.key());
      properties.add(
          new PropertyModel(
              f.name(),
              pos,
              node,
              Accessor.of(r -> ((IndexedRecord) r).get(pos)),
              d != null && d.doc().isPresent() ? d.doc().get() : f.doc(),
              pii,
              key,
              since,
              null,
              f.hasDefaultValue(),
              constraints,
              false, // encryption needs a product class of its own, not a generated record
              false));
    }
    model.complete(properties, null);
    model.schema(record);
    return model;
  }

  private static TypeNode node(
      Schema s,
      String path,
      ContractCompiler.Meta meta,
      ProductVersion version,
      List<String> problems) {
    LogicalType logical = s.getLogicalType();
    switch (s.getType()) {
      case UNION:
        Schema valueBranch = null;
        boolean hasNull = false;
        for (Schema branch : s.getTypes()) {
          if (branch.getType() == Schema.Type.NULL) {
            hasNull = true;
          } else {
            valueBranch = branch;
          }
        }
        if (valueBranch == null || s.getTypes().size() > (hasNull ? 2 : 1)) {
          return scalar(Scalar.BYTES);
        }
        TypeNode inner = node(valueBranch, path, meta, version, problems);
        return hasNull ? new TypeNode.NullableNode(inner, false) : inner;
      case RECORD:
        return new TypeNode.RecordNode(
            model(s, IndexedRecord.class, path, meta, version, problems));
      case ARRAY:
        return new TypeNode.ArrayNode(
            node(s.getElementType(), path, meta, version, problems), false);
      case MAP:
        return new TypeNode.MapNode(node(s.getValueType(), path, meta, version, problems));
      case ENUM:
        return new TypeNode.EnumNode(Enum.class, new Enum<?>[0], s.getEnumDefault(), s.getDoc());
      case STRING:
        return scalar(Scalar.STRING);
      case INT:
        if (logical != null && logical.getName().equals("date")) {
          return scalar(Scalar.LOCAL_DATE);
        }
        return logical != null && logical.getName().equals("time-millis")
            ? scalar(Scalar.LOCAL_TIME)
            : scalar(Scalar.INT);
      case LONG:
        if (logical != null && logical.getName().equals("timestamp-millis")) {
          return scalar(Scalar.INSTANT_MILLIS);
        }
        return logical != null && logical.getName().equals("timestamp-micros")
            ? scalar(Scalar.INSTANT_MICROS)
            : scalar(Scalar.LONG);
      case FLOAT:
        return scalar(Scalar.FLOAT);
      case DOUBLE:
        return scalar(Scalar.DOUBLE);
      case BOOLEAN:
        return scalar(Scalar.BOOLEAN);
      default:
        // bytes, fixed and decimals: only presence and size rules apply
        return scalar(Scalar.BYTE_BUFFER);
    }
  }

  private static TypeNode scalar(Scalar kind) {
    return new ScalarNode(kind, false, 0, 0);
  }
}
