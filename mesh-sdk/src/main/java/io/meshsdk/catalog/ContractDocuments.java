package io.meshsdk.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductSunset;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Documents a data catalog reads, generated from a product's contract, so the annotated class stays
 * the single source of every description of the product.
 *
 * <p>{@link #odcs} writes an <a href="https://bitol-io.github.io/open-data-contract-standard/">Open
 * Data Contract Standard</a> v3.1.0 contract (JSON, which is also valid YAML) for one product
 * version: owner, domain, description, the fields with descriptions, types, key and PII
 * classification, the Jakarta constraints as type options or quality rules, the freshness and
 * retention as service levels, the Kafka server and topic, and the version. The mapping is
 * documented in {@code docs/catalog.md}; every document is validated against the standard's JSON
 * schema in Mesh SDK's tests.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class ContractDocuments {
  static final String ODCS_VERSION = "v3.1.0";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ContractDocuments() {}

  /**
   * The ODCS v3.1.0 contract of one product version.
   *
   * @param contract the product's contract
   * @param bootstrapServers the Kafka cluster the product lives on, for the document's server
   * @return the document as JSON
   */
  public static String odcs(ProductContract<?> contract, String bootstrapServers) {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    ObjectNode doc = JSON.objectNode();
    doc.put("apiVersion", ODCS_VERSION);
    doc.put("kind", "DataContract");
    doc.put("id", contract.id() + ".v" + contract.version().major());
    doc.put("name", contract.name());
    doc.put("version", contract.version().toString());
    doc.put("status", contract.sunset().isPresent() ? "deprecated" : "active");
    doc.put("domain", contract.domain());
    ObjectNode description = doc.putObject("description");
    description.put("purpose", contract.description());
    contract
        .sunset()
        .ifPresent(
            s ->
                description.put(
                    "limitations",
                    "Deprecated: sunset on "
                        + s.date()
                        + "; major "
                        + s.successorMajor()
                        + " replaces it."));
    if (!contract.tags().isEmpty()) {
      ArrayNode tags = doc.putArray("tags");
      contract.tags().stream().sorted().forEach(tags::add);
    }
    ObjectNode team = doc.putObject("team");
    team.put("name", contract.owner());
    ObjectNode owner = team.putArray("members").addObject();
    owner.put("username", contract.owner());
    owner.put("role", "owner");

    ObjectNode server = doc.putArray("servers").addObject();
    server.put("server", "kafka");
    server.put("type", "kafka");
    server.put("host", bootstrapServers);
    server.put("format", "avro");
    server.put(
        "description",
        "Confluent wire format (magic byte 0, 4-byte schema id, Avro binary); CloudEvents"
            + " headers in binary mode (ce_id, ce_type, ce_time, ...); registry subject "
            + contract.subject());

    ObjectNode object = doc.putArray("schema").addObject();
    object.put("name", contract.name());
    object.put("physicalName", contract.topic());
    object.put("physicalType", "topic");
    object.put("logicalType", "object");
    object.put("description", contract.description());
    ArrayNode properties = object.putArray("properties");
    for (ContractField f : contract.fields()) {
      properties.add(property(f));
    }

    ArrayNode sla = JSON.arrayNode();
    contract
        .freshness()
        .ifPresent(
            d -> {
              ObjectNode latency = sla.addObject();
              latency.put("property", "latency");
              latency.put("value", d.toSeconds());
              latency.put("unit", "s");
              latency.put(
                  "description",
                  "An event is on the topic within this time of its event time (ce_time);"
                      + " measured as the consumers' mesh.freshness meter.");
            });
    contract
        .retention()
        .ifPresent(
            d -> {
              ObjectNode retention = sla.addObject();
              retention.put("property", "retention");
              retention.put("value", d.toSeconds());
              retention.put("unit", "s");
            });
    if (!sla.isEmpty()) {
      doc.set("slaProperties", sla);
    }

    ArrayNode custom = doc.putArray("customProperties");
    custom(custom, "meshProductId", contract.id());
    custom(custom, "meshProductKind", contract.kind().name());
    custom(custom, "meshCompatibility", contract.compatibility().name());
    custom(custom, "meshEventType", contract.eventType());
    custom(custom, "meshSchemaSubject", contract.subject());
    custom(custom, "avroSchema", contract.schema().toString());
    contract
        .sunset()
        .map(ProductSunset::date)
        .ifPresent(d -> custom(custom, "meshSunset", d.toString()));
    try {
      return MAPPER.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of plain nodes always writes
    }
  }

  private static void custom(ArrayNode custom, String property, String value) {
    ObjectNode p = custom.addObject();
    p.put("property", property);
    p.put("value", value);
  }

  private static ObjectNode property(ContractField f) {
    ObjectNode p = JSON.objectNode();
    p.put("name", f.name());
    f.doc().ifPresent(d -> p.put("description", d));
    Schema schema = unwrapNullable(f.schema());
    p.put("physicalType", physicalType(schema));
    String logical = logicalType(schema);
    p.put("logicalType", logical);
    p.put(
        "required",
        !f.nullable() || f.constraints().stream().anyMatch(c -> c instanceof Constraint.NotNull));
    if (f.key()) {
      p.put("primaryKey", true);
      p.put("primaryKeyPosition", 1);
    }
    f.pii()
        .ifPresent(
            level -> {
              p.put("classification", classification(level));
              p.putArray("tags").add("pii").add("pii:" + level.name().toLowerCase(Locale.ROOT));
            });
    ObjectNode options = JSON.objectNode();
    ArrayNode quality = JSON.arrayNode();
    for (Constraint c : f.constraints()) {
      constraint(c, logical, options, quality);
    }
    if (!options.isEmpty()) {
      p.set("logicalTypeOptions", options);
    }
    if (!quality.isEmpty()) {
      p.set("quality", quality);
    }
    if (logical.equals("object")) {
      ArrayNode nested = p.putArray("properties");
      f.fields().forEach(n -> nested.add(property(n)));
    } else if (logical.equals("array")) {
      ObjectNode items = p.putObject("items");
      Schema element = unwrapNullable(schema.getElementType());
      items.put("physicalType", physicalType(element));
      String itemLogical = logicalType(element);
      items.put("logicalType", itemLogical);
      if (itemLogical.equals("object")) {
        ArrayNode nested = items.putArray("properties");
        f.fields().forEach(n -> nested.add(property(n)));
      }
    }
    return p;
  }

  /**
   * Constraints that ODCS expresses as type options go there ({@code minLength}, {@code minimum},
   * {@code minItems}, ...); the rest become {@code text} quality rules that say the rule in words.
   */
  private static void constraint(
      Constraint c, String logical, ObjectNode options, ArrayNode quality) {
    boolean text = logical.equals("string");
    boolean number = logical.equals("integer") || logical.equals("number");
    boolean array = logical.equals("array");
    if (c instanceof Constraint.Size s && (text || array)) {
      if (s.min() > 0) {
        options.put(text ? "minLength" : "minItems", s.min());
      }
      if (s.max() < Integer.MAX_VALUE) {
        options.put(text ? "maxLength" : "maxItems", s.max());
      }
    } else if (c instanceof Constraint.NotEmpty && (text || array)) {
      options.put(text ? "minLength" : "minItems", 1);
    } else if (c instanceof Constraint.Pattern p && text) {
      options.put("pattern", p.regex());
    } else if (c instanceof Constraint.Email && text) {
      options.put("format", "email");
    } else if (c instanceof Constraint.Min m && number) {
      options.put("minimum", m.value());
    } else if (c instanceof Constraint.Max m && number) {
      options.put("maximum", m.value());
    } else if (c instanceof Constraint.NotNull) {
      return; // "required": true says it
    } else {
      ObjectNode rule = quality.addObject();
      rule.put("type", "text");
      rule.put("name", c.rule());
      rule.put("description", c.describe());
      rule.put("dimension", "conformity");
    }
  }

  private static String classification(PiiLevel level) {
    switch (level) {
      case SENSITIVE:
        return "restricted";
      case PERSONAL:
      case QUASI_IDENTIFIER:
      default:
        return "confidential";
    }
  }

  private static Schema unwrapNullable(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      List<Schema> types = s.getTypes();
      for (Schema t : types) {
        if (t.getType() != Schema.Type.NULL) {
          return t;
        }
      }
    }
    return s;
  }

  private static String logicalType(Schema s) {
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.Date) {
      return "date";
    } else if (logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros
        || logical instanceof LogicalTypes.LocalTimestampMillis
        || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return "timestamp";
    } else if (logical instanceof LogicalTypes.TimeMillis
        || logical instanceof LogicalTypes.TimeMicros) {
      return "time";
    } else if (logical instanceof LogicalTypes.Decimal) {
      return "number";
    }
    switch (s.getType()) {
      case RECORD:
        return "object";
      case ARRAY:
        return "array";
      case MAP:
        return "object";
      case INT:
      case LONG:
        return "integer";
      case FLOAT:
      case DOUBLE:
        return "number";
      case BOOLEAN:
        return "boolean";
      case STRING:
      case ENUM:
      case BYTES:
      case FIXED:
      default:
        return "string";
    }
  }

  private static String physicalType(Schema s) {
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal d) {
      return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
    } else if (logical != null) {
      return logical.getName();
    } else if (s.getType() == Schema.Type.RECORD || s.getType() == Schema.Type.ENUM) {
      return s.getFullName();
    }
    return s.getType().getName();
  }
}
