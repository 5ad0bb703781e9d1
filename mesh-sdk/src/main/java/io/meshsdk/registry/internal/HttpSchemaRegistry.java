package io.meshsdk.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.errors.MeshException;
import io.meshsdk.registry.IncompatibleSchemaException;
import io.meshsdk.registry.RegisteredSchema;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.registry.SchemaRegistryException.Kind;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityIssue;
import io.meshsdk.schema.CompatibilityReport;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Confluent Schema Registry REST client behind {@code RestSchemaRegistry}. */
public final class HttpSchemaRegistry implements SchemaRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistry.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_REASON = "the registry gave no reason";

  private final List<URI> urls;
  private final @Nullable String basicAuthHeader;
  private final @Nullable Supplier<String> bearer;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final boolean normalize;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final long latestTtlNanos;
  private final long notFoundTtlNanos;
  private final MeterRegistry meters;
  private final String application;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private volatile int preferred;

  private final Map<Integer, Schema> schemasById;
  private final Map<String, RegisteredSchema> registered;
  private final Map<String, Expiring<RegisteredSchema>> latest;
  private final Map<String, Long> notFound;

  private record Expiring<V>(V value, long until) {}

  public HttpSchemaRegistry(
      List<URI> urls,
      @Nullable String basicAuth,
      @Nullable Supplier<String> bearer,
      @Nullable SSLContext sslContext,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration backoff,
      Duration maxBackoff,
      Duration latestTtl,
      Duration notFoundTtl,
      int maxCacheSize,
      MeterRegistry meters,
      String application,
      boolean normalize) {
    this.normalize = normalize;
    this.urls = List.copyOf(urls);
    this.basicAuthHeader =
        basicAuth == null
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8));
    this.bearer = bearer;
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.http = builder.build();
    this.requestTimeout = requestTimeout;
    this.maxRetries = maxRetries;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
    this.latestTtlNanos = latestTtl.toNanos();
    this.notFoundTtlNanos = notFoundTtl.toNanos();
    this.meters = meters;
    this.application = application;
    this.schemasById = bounded(maxCacheSize);
    this.registered = bounded(maxCacheSize);
    this.latest = bounded(maxCacheSize);
    this.notFound = bounded(maxCacheSize);
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
      call(
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
    return lookup(subject, schema)
        .orElseThrow(
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
      answer = call("lookup", "POST", "/subjects/" + encode(subject), schemaBody(schema));
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.SUBJECT_NOT_FOUND || e.kind() == Kind.SCHEMA_NOT_FOUND) {
        notFound.put("lookup:" + key, System.nanoTime() + notFoundTtlNanos);
        return Optional.empty();
      }
      throw e;
    }
    RegisteredSchema r =
        new RegisteredSchema(
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
      answer = call("schema-by-id", "GET", "/schemas/ids/" + id, null);
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

  @Override
  public RegisteredSchema latest(String subject) {
    requireSubject(subject);
    Expiring<RegisteredSchema> cached = latest.get(subject);
    if (cached != null && cached.until() - System.nanoTime() > 0) {
      return cached.value();
    }
    RegisteredSchema r = version(subject, "latest", "latest");
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
        call(operation, "GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
    Schema schema = parseWithReferences(answer, "subject " + subject + " version " + version);
    RegisteredSchema r =
        new RegisteredSchema(
            subject, answer.path("version").asInt(), answer.path("id").asInt(), schema);
    schemasById.putIfAbsent(r.id(), schema);
    return r;
  }

  @Override
  public List<Integer> versions(String subject) {
    requireSubject(subject);
    List<Integer> versions = new ArrayList<>();
    for (JsonNode v : call("versions", "GET", "/subjects/" + encode(subject) + "/versions", null)) {
      versions.add(v.asInt());
    }
    return versions;
  }

  @Override
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    for (JsonNode s : call("subjects", "GET", "/subjects", null)) {
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
          call(
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
    for (JsonNode message : answer.path("messages")) {
      issues.add(
          new CompatibilityIssue(
              CompatibilityIssue.REGISTRY, 0, "", "INCOMPATIBLE", message.asText()));
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
    try {
      return mode(call("get-config", "GET", "/config/" + encode(subject), null));
    } catch (SchemaRegistryException e) {
      if (e.kind() == Kind.SUBJECT_NOT_FOUND || e.kind() == Kind.OTHER) {
        return globalCompatibility();
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, Compatibility mode) {
    requireSubject(subject);
    call(
        "set-config",
        "PUT",
        "/config/" + encode(subject),
        JSON.createObjectNode().put("compatibility", mode.name()));
  }

  @Override
  public Compatibility globalCompatibility() {
    return mode(call("get-config", "GET", "/config", null));
  }

  @Override
  public void setGlobalCompatibility(Compatibility mode) {
    call("set-config", "PUT", "/config", JSON.createObjectNode().put("compatibility", mode.name()));
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    requireSubject(subject);
    List<Integer> versions = new ArrayList<>();
    for (JsonNode v : call("delete-subject", "DELETE", "/subjects/" + encode(subject), null)) {
      versions.add(v.asInt());
    }
    forget(subject);
    return versions;
  }

  /** Deletes a soft-deleted subject for good (Confluent's {@code ?permanent=true}). */
  public List<Integer> deleteSubjectPermanently(String subject) {
    requireSubject(subject);
    List<Integer> versions = new ArrayList<>();
    for (JsonNode v :
        call(
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
    String level =
        answer.path("compatibilityLevel").asText(answer.path("compatibility").asText(""));
    try {
      return Compatibility.valueOf(level.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(
          Kind.OTHER, "the registry answered an unknown compatibility level '" + level + "'");
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------

  private JsonNode call(String operation, String method, String path, @Nullable JsonNode body) {
    long start = System.nanoTime();
    String outcome = "failure";
    try {
      JsonNode result = execute(method, path, body);
      outcome = "success";
      return result;
    } catch (SchemaRegistryException e) {
      outcome = e.isRetriable() ? "unavailable" : e.kind().name().toLowerCase(Locale.ROOT);
      throw e;
    } finally {
      long elapsed = System.nanoTime() - start;
      String o = outcome;
      try {
        timers
            .computeIfAbsent(
                operation + '/' + o,
                k ->
                    Timer.builder(MeshMetrics.REGISTRY_REQUESTS)
                        .tag(MeshMetrics.TAG_APPLICATION, application)
                        .tag(MeshMetrics.TAG_OPERATION, operation)
                        .tag(MeshMetrics.TAG_OUTCOME, o)
                        .register(meters))
            .record(elapsed, TimeUnit.NANOSECONDS);
      } catch (RuntimeException e) {
        LOG.debug("registry metrics failed: {}", e.toString());
      }
    }
  }

  private JsonNode execute(String method, String path, @Nullable JsonNode body) {
    byte[] payload;
    try {
      payload = body == null ? null : JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(Kind.OTHER, "cannot write the request body", e);
    }
    boolean refreshed = false;
    SchemaRegistryException last = null;
    int first = preferred;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      int index = (first + attempt) % urls.size();
      URI base = urls.get(index);
      HttpResponse<byte[]> response;
      try {
        response =
            http.send(
                request(base, method, path, payload, refreshed),
                HttpResponse.BodyHandlers.ofByteArray());
      } catch (javax.net.ssl.SSLHandshakeException e) {
        // a certificate the client does not trust will not become trusted by retrying
        throw new SchemaRegistryException(
            Kind.OTHER,
            "TLS handshake with "
                + redact(base)
                + " failed (check the SSLContext given to the client): "
                + e.getMessage(),
            e);
      } catch (IOException e) {
        last =
            new SchemaRegistryException(
                Kind.UNAVAILABLE, method + " " + path + " at " + redact(base) + " failed: " + e, e);
        pause(attempt);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            Kind.UNAVAILABLE, "interrupted while calling the registry", e);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        preferred = index;
        return parseBody(response.body());
      }
      if (status == 401 && bearer != null && !refreshed) {
        refreshed = true;
        attempt--;
        continue;
      }
      SchemaRegistryException error =
          error(status, response.body(), method + " " + path + " at " + redact(base));
      if (!error.isRetriable()) {
        throw error;
      }
      last = error;
      pause(attempt);
    }
    throw last != null
        ? last
        : new SchemaRegistryException(Kind.UNAVAILABLE, "no registry URL answered");
  }

  private HttpRequest request(
      URI base, String method, String path, byte @Nullable [] payload, boolean refreshed) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(resolve(base, path))
            .timeout(requestTimeout)
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                payload == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(payload));
    if (payload != null) {
      b.header("Content-Type", CONTENT_TYPE);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer.get());
    } else if (basicAuthHeader != null) {
      b.header("Authorization", basicAuthHeader);
    }
    return b.build();
  }

  private void pause(int attempt) {
    if (attempt >= maxRetries) {
      return;
    }
    long delay = backoff.toMillis();
    for (int i = 0; i < attempt && delay < maxBackoff.toMillis(); i++) {
      delay *= 2;
    }
    delay = Math.min(delay, maxBackoff.toMillis());
    long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    try {
      Thread.sleep(jittered);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          Kind.UNAVAILABLE, "interrupted while waiting to retry the registry", e);
    }
  }

  static SchemaRegistryException error(int status, byte[] body, String what) {
    int code = 0;
    String message = "";
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null) {
        code = node.path("error_code").asInt(0);
        message = node.path("message").asText("");
      }
    } catch (IOException e) {
      message = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }
    Kind kind;
    if (status == 401 || status == 403) {
      kind = Kind.UNAUTHORIZED;
    } else if (code == 40401) {
      kind = Kind.SUBJECT_NOT_FOUND;
    } else if (code == 40402) {
      kind = Kind.VERSION_NOT_FOUND;
    } else if (code == 40403) {
      kind = Kind.SCHEMA_NOT_FOUND;
    } else if (code == 42201) {
      kind = Kind.INVALID_SCHEMA;
    } else if (code == 42202) {
      kind = Kind.INVALID_VERSION;
    } else if (status == 409) {
      kind = Kind.INCOMPATIBLE;
    } else if (status == 404) {
      kind = Kind.SUBJECT_NOT_FOUND;
    } else if (status == 408 || status == 429 || status >= 500) {
      kind = Kind.UNAVAILABLE;
    } else {
      kind = Kind.OTHER;
    }
    return new SchemaRegistryException(
        kind,
        what
            + " answered "
            + status
            + (code != 0 ? " (error " + code + ")" : "")
            + (message.isEmpty() ? "" : ": " + message));
  }

  private static JsonNode parseBody(byte[] body) {
    if (body.length == 0) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(
          Kind.OTHER, "the registry answered something that is not JSON", e);
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
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          Kind.INVALID_SCHEMA,
          "the registry's schema for " + what + " does not parse: " + e.getMessage(),
          e);
    }
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
          call("reference", "GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
      addReferences(parser, referenced.path("references"), what, depth + 1);
      try {
        parser.parse(referenced.path("schema").asText());
      } catch (SchemaParseException e) {
        // already known to the parser through another reference
        if (!String.valueOf(e.getMessage()).contains("redefine")) {
          throw new SchemaRegistryException(
              Kind.INVALID_SCHEMA,
              "reference " + subject + " of " + what + " does not parse: " + e.getMessage(),
              e);
        }
      }
    }
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          Kind.INVALID_SCHEMA,
          "the registry's schema for " + what + " does not parse: " + e.getMessage(),
          e);
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

  private static URI resolve(URI base, String path) {
    String b = base.toString();
    return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
  }

  private static void requireSubject(String subject) {
    java.util.Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
  }

  /** The URL without credentials, for messages. */
  public static String redact(URI uri) {
    return withoutUserInfo(uri).toString();
  }

  /** The URL with its user-info removed. */
  public static URI withoutUserInfo(URI uri) {
    if (uri.getUserInfo() == null) {
      return uri;
    }
    try {
      return new URI(
          uri.getScheme(),
          null,
          uri.getHost(),
          uri.getPort(),
          uri.getPath(),
          uri.getQuery(),
          uri.getFragment());
    } catch (URISyntaxException e) {
      throw new MeshException("invalid registry URL", e);
    }
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    for (URI u : urls) {
      shown.add(redact(u));
    }
    return "RestSchemaRegistry"
        + shown
        + (basicAuthHeader != null ? " (basic auth)" : bearer != null ? " (bearer)" : "");
  }
}
