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
import io.meshsdk.lineage.MeshHeaders;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

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
 * <p>{@link #asyncApi} writes an <a
 * href="https://www.asyncapi.com/docs/reference/specification/v3.0.0">AsyncAPI</a> 3.0.0 document
 * for one application: the products it sends and receives as channels and operations, each message
 * with its Avro schema, its CloudEvents headers and the Kafka binding that says the schema id is in
 * the payload in Confluent's encoding.
 *
 * <p>{@link #confluentRuleSet} writes the product's Jakarta constraints as the CEL conditions of a
 * Confluent Data Contracts rule set, so clients in other languages that evaluate such rules enforce
 * the same constraints on the same topic.
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
            d ->
                sla(sla, "latency", d)
                    .put(
                        "description",
                        "An event is on the topic within this time of its event time (ce_time);"
                            + " measured as the consumers' mesh.freshness meter."));
    contract.retention().ifPresent(d -> sla(sla, "retention", d));
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
    return write(doc);
  }

  /**
   * The AsyncAPI 3.0.0 document of one application.
   *
   * @param application the application (the document's title)
   * @param version the application's version (the document's {@code info.version})
   * @param bootstrapServers the Kafka cluster, for the document's server
   * @param sends the products the application produces
   * @param receives the products the application consumes
   * @return the document as JSON
   */
  public static String asyncApi(
      String application,
      String version,
      String bootstrapServers,
      List<? extends ProductContract<?>> sends,
      List<? extends ProductContract<?>> receives) {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    ObjectNode doc = JSON.objectNode();
    doc.put("asyncapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", application);
    info.put("version", version);
    info.put(
        "description",
        "The data products "
            + application
            + " sends and receives, generated by Mesh SDK from their contracts.");
    ObjectNode kafka = doc.putObject("servers").putObject("kafka");
    kafka.put("host", bootstrapServers);
    kafka.put("protocol", "kafka");
    ObjectNode channels = doc.putObject("channels");
    ObjectNode operations = doc.putObject("operations");
    ObjectNode messages = doc.putObject("components").putObject("messages");
    for (ProductContract<?> c : sends) {
      describe(c, "send", channels, operations, messages);
    }
    for (ProductContract<?> c : receives) {
      describe(c, "receive", channels, operations, messages);
    }
    return write(doc);
  }

  private static void describe(
      ProductContract<?> c,
      String action,
      ObjectNode channels,
      ObjectNode operations,
      ObjectNode messages) {
    String id = c.id() + ".v" + c.version().major();
    if (!channels.has(id)) {
      ObjectNode channel = channels.putObject(id);
      channel.put("address", c.topic());
      channel.put("title", c.name() + " " + c.version());
      channel.put("description", c.description() + " Owner: " + c.owner() + ".");
      channel.putObject("messages").putObject(id).put("$ref", "#/components/messages/" + id);
      ObjectNode binding = channel.putObject("bindings").putObject("kafka");
      binding.put("topic", c.topic());
      if (c.partitions() > 0) {
        binding.put("partitions", c.partitions());
      }
      c.retention()
          .ifPresent(
              r -> binding.putObject("topicConfiguration").put("retention.ms", r.toMillis()));
      binding.put("bindingVersion", "0.5.0");
      messages.set(id, message(c));
    }
    ObjectNode operation = operations.putObject(action + "." + id);
    operation.put("action", action);
    operation.putObject("channel").put("$ref", "#/channels/" + id);
    operation.putArray("messages").addObject().put("$ref", "#/channels/" + id + "/messages/" + id);
  }

  private static ObjectNode message(ProductContract<?> c) {
    ObjectNode m = JSON.objectNode();
    m.put("name", c.eventType());
    m.put("title", c.name() + " " + c.version());
    m.put("summary", c.description());
    m.put("contentType", "application/avro");
    c.sunset().ifPresent(s -> m.put("deprecated", true));
    ObjectNode payload = m.putObject("payload");
    payload.put("schemaFormat", "application/vnd.apache.avro+json;version=1.9.0");
    try {
      payload.set("schema", MAPPER.readTree(c.schema().toString()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // Avro writes valid JSON
    }
    ObjectNode headers = m.putObject("headers");
    headers.put("type", "object");
    ObjectNode props = headers.putObject("properties");
    header(props, MeshHeaders.SPEC_VERSION, "CloudEvents spec version, 1.0", "1.0");
    header(props, MeshHeaders.ID, "event id, a UUIDv7", null);
    header(props, MeshHeaders.SOURCE, "the producing application", null);
    header(props, MeshHeaders.TYPE, "event type", c.eventType());
    header(props, MeshHeaders.TIME, "event time, RFC 3339", null);
    header(props, MeshHeaders.DATA_SCHEMA, "where the value's schema can be fetched", null);
    header(props, MeshHeaders.CONTENT_TYPE, "application/avro", "application/avro");
    header(props, MeshHeaders.VERSION, "product version major.minor of the writer", null);
    header(
        props,
        MeshHeaders.PARENTS,
        "lineage: the events this one was produced from, as topic/partition/offset/id",
        null);
    header(props, MeshHeaders.TRACEPARENT, "W3C trace context", null);
    ArrayNode required = headers.putArray("required");
    required.add(MeshHeaders.SPEC_VERSION).add(MeshHeaders.ID).add(MeshHeaders.TYPE);
    ObjectNode kafka = m.putObject("bindings").putObject("kafka");
    ObjectNode key = kafka.putObject("key");
    key.put("type", "string");
    c.keyField().ifPresent(k -> key.put("description", "the value's field " + k + ", UTF-8"));
    kafka.put("schemaIdLocation", "payload");
    kafka.put("schemaIdPayloadEncoding", "confluent");
    kafka.put("schemaLookupStrategy", "TopicIdStrategy");
    kafka.put("bindingVersion", "0.5.0");
    return m;
  }

  private static void header(
      ObjectNode props, String name, String description, @Nullable String constant) {
    ObjectNode h = props.putObject(name);
    h.put("type", "string");
    h.put("description", description);
    if (constant != null) {
      h.put("const", constant);
    }
  }

  private static String write(ObjectNode doc) {
    try {
      return MAPPER.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of plain nodes always writes
    }
  }

  /**
   * The product's constraints as a Confluent Data Contracts rule set: one {@code CONDITION} rule of
   * type {@code CEL} and mode {@code WRITE} per constraint that CEL can express, named {@code
   * {field path}-{rule}} (for example {@code items.quantity-Positive}), failing with {@code ERROR}.
   * A constraint on a nullable field holds when the field is null, as in Jakarta validation;
   * constraints on the records of a list or map hold for every element. Constraints CEL cannot
   * express the same way are left out (decimals, {@code @Past}/{@code @Future}, patterns that use
   * look-around or back-references); {@code docs/catalog.md} lists them.
   *
   * @param contract the product's contract
   * @return the JSON of the {@code ruleSet} a Confluent registry stores with the schema
   */
  public static String confluentRuleSet(ProductContract<?> contract) {
    Objects.requireNonNull(contract, "contract");
    ObjectNode ruleSet = JSON.objectNode();
    ArrayNode rules = ruleSet.putArray("domainRules");
    for (String[] rule : celRules(contract.fields(), "message", "", 0)) {
      ObjectNode r = rules.addObject();
      r.put("name", rule[0]);
      r.put("doc", rule[2]);
      r.put("kind", "CONDITION");
      r.put("mode", "WRITE");
      r.put("type", "CEL");
      r.put("expr", rule[1]);
      r.put("onFailure", "ERROR");
    }
    return write(ruleSet);
  }

  /** Rules as {name, CEL expression over {@code owner}, description}. */
  private static List<String[]> celRules(
      List<ContractField> fields, String owner, String path, int depth) {
    List<String[]> out = new java.util.ArrayList<>();
    for (ContractField f : fields) {
      String access = owner + "." + f.name();
      String name = path + f.name();
      Schema inner = unwrapNullable(f.schema());
      boolean nullable = inner != f.schema();
      for (Constraint c : f.constraints()) {
        String condition = cel(c, access, inner);
        if (condition == null) {
          continue;
        }
        if (nullable && !(c instanceof Constraint.NotNull)) {
          condition = access + " == null || (" + condition + ")";
        }
        out.add(new String[] {name + "-" + c.rule(), condition, name + ": " + c.describe()});
      }
      if (f.fields().isEmpty()) {
        continue;
      }
      String element = "e" + depth;
      List<String[]> nested;
      java.util.function.UnaryOperator<String> wrap;
      if (inner.getType() == Schema.Type.ARRAY) {
        nested = celRules(f.fields(), element, name + ".", depth + 1);
        wrap = e -> access + ".all(" + element + ", " + e + ")";
      } else if (inner.getType() == Schema.Type.MAP) {
        nested = celRules(f.fields(), access + "[" + element + "]", name + ".", depth + 1);
        wrap = e -> access + ".all(" + element + ", " + e + ")";
      } else {
        nested = celRules(f.fields(), access, name + ".", depth + 1);
        wrap = e -> e;
      }
      for (String[] n : nested) {
        String e = wrap.apply(n[1]);
        out.add(new String[] {n[0], nullable ? access + " == null || (" + e + ")" : e, n[2]});
      }
    }
    return out;
  }

  private static @Nullable String cel(Constraint c, String access, Schema s) {
    Schema.Type type = s.getType();
    boolean decimal = s.getLogicalType() instanceof LogicalTypes.Decimal;
    boolean text = type == Schema.Type.STRING && s.getLogicalType() == null;
    boolean sized = text || type == Schema.Type.ARRAY || type == Schema.Type.MAP;
    boolean integral =
        (type == Schema.Type.INT || type == Schema.Type.LONG) && s.getLogicalType() == null;
    boolean floating = type == Schema.Type.FLOAT || type == Schema.Type.DOUBLE;
    if (c instanceof Constraint.NotNull) {
      return access + " != null";
    } else if (c instanceof Constraint.NotBlank && text) {
      return access + ".matches(" + celString("\\S") + ")"; // some character not a space
    } else if (c instanceof Constraint.NotEmpty && sized) {
      return "size(" + access + ") > 0";
    } else if (c instanceof Constraint.Size z && sized) {
      String min = "size(" + access + ") >= " + z.min();
      return z.max() == Integer.MAX_VALUE ? min : min + " && size(" + access + ") <= " + z.max();
    } else if (c instanceof Constraint.Pattern p && text && re2Compatible(p.regex())) {
      return access + ".matches(" + celString("^(?:" + p.regex() + ")$") + ")";
    } else if (c instanceof Constraint.Email && text) {
      return access + ".matches(" + celString("^[^@\\s]+@[^@\\s]+$") + ")";
    } else if (c instanceof Constraint.Min m && (integral || floating) && !decimal) {
      return access + " >= " + number(m.value(), floating);
    } else if (c instanceof Constraint.Max m && (integral || floating) && !decimal) {
      return access + " <= " + number(m.value(), floating);
    } else if (c instanceof Constraint.Signum g && (integral || floating) && !decimal) {
      String zero = floating ? "0.0" : "0";
      switch (g.sign()) {
        case POSITIVE:
          return access + " > " + zero;
        case POSITIVE_OR_ZERO:
          return access + " >= " + zero;
        case NEGATIVE:
          return access + " < " + zero;
        case NEGATIVE_OR_ZERO:
        default:
          return access + " <= " + zero;
      }
    }
    return null; // not expressible in CEL the same way: left out, documented
  }

  private static String number(long value, boolean floating) {
    return floating ? "double(" + value + ")" : Long.toString(value);
  }

  /** Java regular expressions that RE2 (CEL's engine) reads the same way. */
  private static boolean re2Compatible(String regex) {
    return !regex.contains("(?=")
        && !regex.contains("(?!")
        && !regex.contains("(?<=")
        && !regex.contains("(?<!")
        && !regex.contains("(?>")
        && !regex.matches(".*\\\\[1-9].*")
        && !regex.contains("*+")
        && !regex.contains("++")
        && !regex.contains("?+")
        && !regex.contains("\\p{java");
  }

  /** A CEL single-quoted string literal. */
  private static String celString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static ObjectNode sla(ArrayNode sla, String property, java.time.Duration value) {
    ObjectNode p = sla.addObject();
    p.put("property", property);
    p.put("value", value.toSeconds());
    p.put("unit", "s");
    return p;
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
