package io.meshsdk.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.registry.IncompatibleSchemaException;
import io.meshsdk.registry.RegisteredSchema;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.registry.SchemaRegistryException.Kind;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityIssue;
import io.meshsdk.schema.CompatibilityReport;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Confluent Schema Registry REST client behind {@code RestSchemaRegistry}. */
public final class HttpSchemaRegistry implements SchemaRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistry.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_REASON = "the registry gave no reason";

  private final boolean normalize;
  private final boolean apicurio;
  private final String schemaBase;
  private final RegistryTransport transport;
  private final String description;
  private final long latestTtlNanos;
  private final long notFoundTtlNanos;

  private final Map<Integer, Schema> schemasById;
  private final Map<String, Schema> schemasByOtherId;
  private final Map<String, RegisteredSchema> registered;
  private final Map<String, Expiring<RegisteredSchema>> latest;
  private final Map<String, Long> notFound;

  private record Expiring<V>(V value, long until) {}

  /** A client with its own copy of the settings. */
  public HttpSchemaRegistry(RegistryClientSettings given) {
    RegistryClientSettings settings = given.copy();
    this.normalize = settings.normalize;
    this.apicurio =
        settings.urls.stream()
            .anyMatch(u -> String.valueOf(u.getPath()).contains("/apis/ccompat/"));
    this.description = settings.toString();
    java.net.URI first = settings.urls.get(0);
    String base = first.getScheme() + "://" + first.getRawAuthority() + first.getRawPath();
    this.schemaBase = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.transport = new RegistryTransport(settings);
    this.latestTtlNanos = settings.latestTtl.toNanos();
    this.notFoundTtlNanos = settings.notFoundTtl.toNanos();
    this.schemasById = bounded(settings.maxCacheSize);
    this.schemasByOtherId = bounded(settings.maxCacheSize);
    this.registered = bounded(settings.maxCacheSize);
    this.latest = bounded(settings.maxCacheSize);
    this.notFound = bounded(settings.maxCacheSize);
  }

  /**
   * A size-bounded concurrent map: reads are plain {@code ConcurrentHashMap} lookups (the cached
   * answers never change, so recency order buys nothing); past the bound an arbitrary entry goes.
   */
  private static <K, V> Map<K, V> bounded(int max) {
    return new ConcurrentHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public V put(K key, V value) {
        V previous = super.put(key, value);
        if (size() > max) {
          var it = keySet().iterator();
          if (it.hasNext()) {
            K victim = it.next();
            if (!victim.equals(key)) {
              remove(victim);
            }
          }
        }
        return previous;
      }
    };
  }

  // ---- the SPI ------------------------------------------------------------------------

  @Override
  public RegisteredSchema register(String subject, Schema schema) {
    requireSubject(subject);
    String key = subject + '\u0000' + schema;
    RegisteredSchema cached = registered.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      transport.call(
          "register",
          "POST",
          "/subjects/" + encode(subject) + "/versions" + (normalize ? "?normalize=true" : ""),
          schemaBody(schema));
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.INCOMPATIBLE) {
        throw new IncompatibleSchemaException(subject, reasons(subject, schema, e));
      }
      throw e;
    }
    notFound.remove("lookup:" + key);
    Optional<RegisteredSchema> found = lookup(subject, schema);
    if (found.isEmpty() && softDeletedOnApicurio(subject)) {
      // Apicurio takes a schema registered again after a soft delete into the deleted (disabled)
      // subject, where Confluent's registry brings the subject back: enable it
      transport.call(
          "register",
          "PUT",
          RegistryTransport.APICURIO_NATIVE
              + "groups/default/artifacts/"
              + encode(subject)
              + "/state",
          JSON.createObjectNode().put("state", "ENABLED"));
      notFound.remove("lookup:" + key);
      found = lookup(subject, schema);
    }
    return found.orElseThrow(
        () ->
            new SchemaRegistryException(
                Kind.OTHER,
                "registered under '" + subject + "' but the registry does not find it"));
  }

  private List<String> reasons(String subject, Schema schema, SchemaRegistryException refused) {
    try {
      List<String> reasons = new ArrayList<>();
      for (CompatibilityIssue issue : testCompatibility(subject, schema).issues()) {
        if (!issue.detail().equals(NO_REASON)) {
          reasons.add(issue.detail());
        }
      }
      if (!reasons.isEmpty()) {
        return reasons;
      }
    } catch (SchemaRegistryException e) {
      // fall back to the registry's message
    }
    return List.of(String.valueOf(refused.getMessage()));
  }

  @Override
  public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
    requireSubject(subject);
    String key = subject + '\u0000' + schema;
    RegisteredSchema cached = registered.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    if (recentlyMissing("lookup:" + key)) {
      return Optional.empty();
    }
    JsonNode answer;
    try {
      answer =
          transport.call(
              "lookup",
              "POST",
              "/subjects/" + encode(subject) + (normalize ? "?normalize=true" : ""),
              schemaBody(schema));
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.SUBJECT_NOT_FOUND || e.kind() == Kind.SCHEMA_NOT_FOUND) {
        notFound.put("lookup:" + key, System.nanoTime() + notFoundTtlNanos);
        return Optional.empty();
      }
      throw e;
    }
    if (softDeletedOnApicurio(subject)) {
      return Optional.empty();
    }
    RegisteredSchema r =
        RegisteredSchema.of(
            subject, answer.path("version").asInt(), answer.path("id").asInt(), schema);
    registered.put(key, r);
    schemasById.putIfAbsent(r.id(), schema);
    return Optional.of(r);
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    if (recentlyMissing("id:" + id)) {
      throw new SchemaRegistryException(
          Kind.SCHEMA_NOT_FOUND, "no schema with id " + id + " (cached answer)");
    }
    JsonNode answer;
    try {
      answer = transport.call("schema-by-id", "GET", "/schemas/ids/" + id, null);
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.SCHEMA_NOT_FOUND || e.kind() == Kind.SUBJECT_NOT_FOUND) {
        notFound.put("id:" + id, System.nanoTime() + notFoundTtlNanos);
        throw new SchemaRegistryException(Kind.SCHEMA_NOT_FOUND, "no schema with id " + id, e);
      }
      throw e;
    }
    Schema schema = parseWithReferences(answer, "schema id " + id);
    schemasById.put(id, schema);
    return schema;
  }

  /**
   * Confluent Platform 8's {@code GET /schemas/guids/{guid}}; cached like ids. Older Confluent
   * registries answer not found; Apicurio has no such resource (its 404 carries no registry error
   * code, which would read as an outage), so it is not asked.
   */
  @Override
  public Schema schemaByGuid(java.util.UUID guid) {
    if (apicurio) {
      throw new SchemaRegistryException(
          Kind.SCHEMA_NOT_FOUND,
          "no schema with GUID " + guid + ": Apicurio names no schema by GUID");
    }
    return byOtherId("guid:" + guid, "schema-by-guid", "/schemas/guids/" + guid, "GUID " + guid);
  }

  /**
   * Apicurio's own {@code GET /apis/registry/v2/ids/globalIds/{id}}; other registries have none.
   */
  @Override
  public Schema schemaByGlobalId(long globalId) {
    if (!apicurio) {
      return SchemaRegistry.super.schemaByGlobalId(globalId);
    }
    return byOtherId(
        "global:" + globalId,
        "schema-by-global-id",
        RegistryTransport.APICURIO_NATIVE + "ids/globalIds/" + globalId,
        "global id " + globalId);
  }

  /** Apicurio's own {@code GET /apis/registry/v2/ids/contentIds/{id}}; elsewhere by schema id. */
  @Override
  public Schema schemaByContentId(long contentId) {
    if (!apicurio) {
      return SchemaRegistry.super.schemaByContentId(contentId);
    }
    return byOtherId(
        "content:" + contentId,
        "schema-by-content-id",
        RegistryTransport.APICURIO_NATIVE + "ids/contentIds/" + contentId,
        "content id " + contentId);
  }

  /**
   * A schema by a GUID or an Apicurio id: cached, a missing one remembered for the not-found time.
   * Confluent's answer is {@code {"schema": "..."}}; Apicurio's own API answers with the schema
   * itself.
   */
  private Schema byOtherId(String key, String operation, String path, String what) {
    Schema cached = schemasByOtherId.get(key);
    if (cached != null) {
      return cached;
    }
    if (recentlyMissing(key)) {
      throw new SchemaRegistryException(
          Kind.SCHEMA_NOT_FOUND, "no schema with " + what + " (cached answer)");
    }
    JsonNode answer;
    try {
      answer = transport.call(operation, "GET", path, null);
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.SCHEMA_NOT_FOUND || e.kind() == Kind.SUBJECT_NOT_FOUND) {
        notFound.put(key, System.nanoTime() + notFoundTtlNanos);
        throw new SchemaRegistryException(Kind.SCHEMA_NOT_FOUND, "no schema with " + what, e);
      }
      throw e;
    }
    Schema schema;
    if (answer.has("schema") && answer.get("schema").isTextual()) {
      schema = parseWithReferences(answer, what);
    } else {
      try {
        schema = new Schema.Parser().parse(answer.toString());
      } catch (org.apache.avro.SchemaParseException e) {
        throw new SchemaRegistryException(
            Kind.INVALID_SCHEMA, "the schema with " + what + " is not valid Avro: " + e, e);
      }
    }
    schemasByOtherId.put(key, schema);
    return schema;
  }

  /** {@code {first URL}/schemas/ids/{id}}: the URL without user-info, query or fragment. */
  @Override
  public Optional<String> schemaUrl(int id) {
    return Optional.of(schemaBase + "/schemas/ids/" + id);
  }

  @Override
  public RegisteredSchema latest(String subject) {
    requireSubject(subject);
    Expiring<RegisteredSchema> cached = latest.get(subject);
    if (cached != null && cached.until() - System.nanoTime() > 0) {
      return cached.value();
    }
    RegisteredSchema r;
    try {
      r = version(subject, "latest", "latest");
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.VERSION_NOT_FOUND && softDeletedOnApicurio(subject)) {
        throw notFound(subject);
      }
      throw e;
    }
    latest.put(subject, new Expiring<>(r, System.nanoTime() + latestTtlNanos));
    return r;
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    requireSubject(subject);
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1, got " + version);
    }
    return version(subject, Integer.toString(version), "version");
  }

  private RegisteredSchema version(String subject, String version, String operation) {
    JsonNode answer =
        transport.call(
            operation, "GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
    Schema schema = parseWithReferences(answer, "subject " + subject + " version " + version);
    RegisteredSchema r =
        RegisteredSchema.of(
            subject, answer.path("version").asInt(), answer.path("id").asInt(), schema);
    schemasById.putIfAbsent(r.id(), schema);
    return r;
  }

  /**
   * Apicurio keeps answering for a soft-deleted subject (its versions, lookups) where Confluent's
   * registry answers 40401; such a subject is missing from the subject list on both, which is what
   * this asks. Only called for Apicurio URLs.
   */
  private boolean softDeletedOnApicurio(String subject) {
    return apicurio && !subjects().contains(subject);
  }

  private SchemaRegistryException notFound(String subject) {
    return new SchemaRegistryException(
        Kind.SUBJECT_NOT_FOUND, "subject '" + subject + "' not found (soft-deleted)");
  }

  @Override
  public List<Integer> versions(String subject) {
    requireSubject(subject);
    if (softDeletedOnApicurio(subject)) {
      throw notFound(subject);
    }
    List<Integer> versions = new ArrayList<>();
    for (JsonNode v :
        transport.call("versions", "GET", "/subjects/" + encode(subject) + "/versions", null)) {
      versions.add(v.asInt());
    }
    return versions;
  }

  @Override
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    for (JsonNode s : transport.call("subjects", "GET", "/subjects", null)) {
      subjects.add(s.asText());
    }
    subjects.sort(null);
    return subjects;
  }

  @Override
  public CompatibilityReport testCompatibility(String subject, Schema schema) {
    requireSubject(subject);
    JsonNode answer;
    try {
      answer =
          transport.call(
              "test-compatibility",
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
              schemaBody(schema));
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.SUBJECT_NOT_FOUND || e.kind() == Kind.VERSION_NOT_FOUND) {
        return CompatibilityReport.compatible(compatibility(subject));
      }
      throw e;
    }
    Compatibility mode = compatibility(subject);
    if (answer.path("is_compatible").asBoolean(false)) {
      return CompatibilityReport.compatible(mode);
    }
    List<CompatibilityIssue> issues = new ArrayList<>();
    for (JsonNode message : answer.path("messages")) { // Confluent's reasons
      issues.add(
          new CompatibilityIssue(
              CompatibilityIssue.REGISTRY, 0, "", "INCOMPATIBLE", message.asText()));
    }
    String reason = answer.path("reason").asText(""); // Apicurio's
    if (!reason.isEmpty()) {
      issues.add(
          new CompatibilityIssue(CompatibilityIssue.REGISTRY, 0, "", "INCOMPATIBLE", reason));
    }
    if (issues.isEmpty()) {
      issues.add(
          new CompatibilityIssue(CompatibilityIssue.REGISTRY, 0, "", "INCOMPATIBLE", NO_REASON));
    }
    return new CompatibilityReport(mode, issues);
  }

  @Override
  public Compatibility compatibility(String subject) {
    requireSubject(subject);
    return subjectCompatibility(subject).orElseGet(this::globalCompatibility);
  }

  /**
   * The subject's own mode. Confluent's registry answers {@code GET /config/{subject}} with the
   * subject's mode, or error 40408 when it has none. Apicurio's Confluent API answers {@code NONE}
   * both for a subject set to {@code NONE} and for one without a mode of its own (which then
   * follows the global rule), so for an Apicurio URL ({@code /apis/ccompat/...}) the subject's own
   * compatibility rule is read from Apicurio's own API instead.
   */
  @Override
  public Optional<Compatibility> subjectCompatibility(String subject) {
    requireSubject(subject);
    if (apicurio) {
      try {
        JsonNode rule =
            transport.call(
                "get-config",
                "GET",
                RegistryTransport.APICURIO_NATIVE
                    + "groups/default/artifacts/"
                    + encode(subject)
                    + "/rules/COMPATIBILITY",
                null);
        return Optional.of(level(rule.path("config").asText("")));
      } catch (SchemaRegistryException e) {
        if (e.kind() == Kind.SUBJECT_NOT_FOUND) {
          return Optional.empty(); // no rule of its own (or no such artifact yet)
        }
        throw e;
      }
    }
    try {
      return Optional.of(
          mode(transport.call("get-config", "GET", "/config/" + encode(subject), null)));
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.SUBJECT_COMPATIBILITY_NOT_SET || e.kind() == Kind.SUBJECT_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, Compatibility mode) {
    requireSubject(subject);
    // Apicurio's Confluent API takes NONE as "drop the subject's rule", which leaves the global
    // rule in force: set a stricter one there (it creates the subject's rule) and then NONE
    // through Apicurio's own API, so that the subject's NONE overrides the global rule
    boolean apicurioNone = apicurio && mode == Compatibility.NONE;
    transport.call(
        "set-config",
        "PUT",
        "/config/" + encode(subject),
        JSON.createObjectNode()
            .put("compatibility", apicurioNone ? Compatibility.BACKWARD.name() : mode.name()));
    if (apicurioNone) {
      transport.call(
          "set-config",
          "PUT",
          RegistryTransport.APICURIO_NATIVE
              + "groups/default/artifacts/"
              + encode(subject)
              + "/rules/COMPATIBILITY",
          JSON.createObjectNode().put("type", "COMPATIBILITY").put("config", mode.name()));
    }
  }

  @Override
  public Compatibility globalCompatibility() {
    return mode(transport.call("get-config", "GET", "/config", null));
  }

  @Override
  public void setGlobalCompatibility(Compatibility mode) {
    transport.call(
        "set-config", "PUT", "/config", JSON.createObjectNode().put("compatibility", mode.name()));
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    requireSubject(subject);
    List<Integer> versions = new ArrayList<>();
    JsonNode deleted;
    try {
      deleted = transport.call("delete-subject", "DELETE", "/subjects/" + encode(subject), null);
    } catch (SchemaRegistryException e) {
      // Apicurio answers a second soft delete with 400 "Cannot transition ... DISABLED"
      if (apicurio
          && e.kind() == Kind.OTHER
          && String.valueOf(e.getMessage()).contains("DISABLED to DISABLED")) {
        throw new SchemaRegistryException(
            Kind.SUBJECT_SOFT_DELETED,
            "subject '" + subject + "' was soft-deleted already; delete it permanently instead",
            e);
      }
      throw e;
    }
    for (JsonNode v : deleted) {
      versions.add(v.asInt());
    }
    forget(subject);
    return versions;
  }

  @Override
  public List<Integer> deleteSubjectPermanently(String subject) {
    requireSubject(subject);
    if (apicurio && subjects().contains(subject)) {
      // Confluent's registry refuses this (40405); Apicurio would delete at once
      throw new SchemaRegistryException(
          Kind.SUBJECT_NOT_SOFT_DELETED,
          "subject '" + subject + "' must be soft-deleted before it is deleted permanently");
    }
    List<Integer> versions = new ArrayList<>();
    for (JsonNode v :
        transport.call(
            "delete-subject", "DELETE", "/subjects/" + encode(subject) + "?permanent=true", null)) {
      versions.add(v.asInt());
    }
    forget(subject);
    return versions;
  }

  private void forget(String subject) {
    latest.remove(subject);
    registered.keySet().removeIf(k -> k.startsWith(subject + '\u0000'));
  }

  private static Compatibility mode(JsonNode answer) {
    return level(answer.path("compatibilityLevel").asText(answer.path("compatibility").asText("")));
  }

  private static Compatibility level(String level) {
    try {
      return Compatibility.valueOf(level.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(
          Kind.OTHER, "the registry answered an unknown compatibility level '" + level + "'");
    }
  }

  /**
   * Parses a schema whose named types may live in other subjects (Confluent schema references): the
   * referenced schemas are fetched and parsed first, into the same parser, so their names resolve.
   */
  private Schema parseWithReferences(JsonNode answer, String what) {
    JsonNode references = answer.path("references");
    if (!references.isArray() || references.isEmpty()) {
      return parse(answer.path("schema").asText(), what);
    }
    Schema.Parser parser = new Schema.Parser();
    addReferences(parser, references, what, 0);
    try {
      return parser.parse(answer.path("schema").asText());
    } catch (RuntimeException | StackOverflowError e) {
      throw invalid(what, e);
    }
  }

  /**
   * A schema the registry holds that Avro refuses: not only {@code SchemaParseException} (bad JSON,
   * unknown types) but {@code AvroTypeException} (an invalid default), {@code AvroRuntimeException}
   * (a duplicate field) and a stack overflow on absurd nesting. A definite answer about that
   * schema, never an outage.
   */
  private static SchemaRegistryException invalid(String what, Throwable e) {
    return new SchemaRegistryException(
        Kind.INVALID_SCHEMA,
        "the registry's schema for "
            + what
            + " is not valid Avro: "
            + (e instanceof StackOverflowError ? "nested too deeply" : e.getMessage()),
        e);
  }

  private void addReferences(Schema.Parser parser, JsonNode references, String what, int depth) {
    if (depth > 16) {
      throw new SchemaRegistryException(
          Kind.INVALID_SCHEMA, "schema references of " + what + " nest too deeply");
    }
    for (JsonNode ref : references) {
      String subject = ref.path("subject").asText();
      String version = ref.path("version").asText("latest");
      JsonNode referenced =
          transport.call(
              "reference", "GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
      addReferences(parser, referenced.path("references"), what, depth + 1);
      try {
        parser.parse(referenced.path("schema").asText());
      } catch (SchemaParseException e) {
        // already known to the parser through another reference
        if (!String.valueOf(e.getMessage()).contains("redefine")) {
          throw invalid("reference " + subject + " of " + what, e);
        }
      } catch (RuntimeException | StackOverflowError e) {
        throw invalid("reference " + subject + " of " + what, e);
      }
    }
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException | StackOverflowError e) {
      throw invalid(what, e);
    }
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private boolean recentlyMissing(String key) {
    Long until = notFound.get(key);
    if (until == null) {
      return false;
    }
    if (until - System.nanoTime() > 0) {
      return true;
    }
    notFound.remove(key);
    return false;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void requireSubject(String subject) {
    java.util.Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
  }

  /** The URL without credentials, for messages. */
  public static String redact(URI uri) {
    return Redaction.url(uri.toString());
  }

  @Override
  public String toString() {
    return description;
  }
}
