package io.meshsdk.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityIssue;
import io.meshsdk.schema.CompatibilityReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small HTTP stub of the Confluent Schema Registry REST API, backed by {@link
 * InMemorySchemaRegistry}, that pins Confluent's exact answers (status codes and {@code
 * error_code}s: 40401, 40402, 40403, 40408, 409, 42201) where the real servers available here
 * differ. Also injects faults (server errors, refused credentials) and counts requests. A test
 * double of the remote edge only: the client under test is the real one.
 */
final class ConfluentStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUBJECT_VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
  private static final Pattern SUBJECT_VERSION =
      Pattern.compile("/subjects/([^/]+)/versions/([^/]+)");
  private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
  private static final Pattern SCHEMA_ID = Pattern.compile("/schemas/ids/(\\d+)");
  private static final Pattern SCHEMA_GUID = Pattern.compile("/schemas/guids/([0-9a-f-]+)");
  private static final Pattern COMPATIBILITY =
      Pattern.compile("/compatibility/subjects/([^/]+)/versions/([^/]+)");
  private static final Pattern CONFIG = Pattern.compile("/config(?:/([^/]+))?");

  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final AtomicInteger requests = new AtomicInteger();

  /** Schemas served by id as raw text with Confluent references, ahead of the registry. */
  final Map<Integer, ObjectNode> rawById = new ConcurrentHashMap<>();

  volatile String lastRegisterQuery;
  volatile String lastLookupQuery;
  private final Map<String, Boolean> subjectConfigSet = new ConcurrentHashMap<>();
  private final AtomicInteger failuresToInject = new AtomicInteger();
  private volatile int injectedStatus = 503;
  private volatile String requiredAuthorization;
  private HttpServer server;
  private int port;

  ConfluentStub start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
    return this;
  }

  void stop() {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  void requireAuthorization(String header) {
    this.requiredAuthorization = header;
  }

  void failNext(int count, int status) {
    injectedStatus = status;
    failuresToInject.set(count);
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange x) throws IOException {
    requests.incrementAndGet();
    try {
      if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(x, injectedStatus, error(50001, "injected failure"));
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
        send(x, 401, error(40101, "Unauthorized"));
        return;
      }
      route(x);
    } catch (RuntimeException e) {
      send(x, 500, error(50001, e.toString()));
    }
  }

  private void route(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getRawPath();
    Matcher m;
    if ((m = COMPATIBILITY.matcher(path)).matches() && method.equals("POST")) {
      String subject = decode(m.group(1));
      if (!registry.subjects().contains(subject)) {
        send(x, 404, error(40401, "Subject '" + subject + "' not found."));
        return;
      }
      CompatibilityReport report = registry.testCompatibility(subject, schemaOf(x));
      ObjectNode body = JSON.createObjectNode().put("is_compatible", report.isCompatible());
      ArrayNode messages = body.putArray("messages");
      for (CompatibilityIssue issue : report.issues()) {
        messages.add(issue.toString());
      }
      send(x, 200, body);
    } else if ((m = SUBJECT_VERSION.matcher(path)).matches() && method.equals("GET")) {
      String subject = decode(m.group(1));
      if (!registry.subjects().contains(subject)) {
        send(x, 404, error(40401, "Subject '" + subject + "' not found."));
        return;
      }
      try {
        RegisteredSchema r =
            m.group(2).equals("latest")
                ? registry.latest(subject)
                : registry.version(subject, Integer.parseInt(m.group(2)));
        send(x, 200, registered(r));
      } catch (SchemaRegistryException e) {
        send(x, 404, error(40402, "Version " + m.group(2) + " not found."));
      }
    } else if ((m = SUBJECT_VERSIONS.matcher(path)).matches()) {
      String subject = decode(m.group(1));
      if (method.equals("POST")) {
        lastRegisterQuery = x.getRequestURI().getRawQuery();
        Schema schema;
        try {
          schema = schemaOf(x);
        } catch (SchemaParseException e) {
          send(x, 422, error(42201, "Invalid schema"));
          return;
        }
        try {
          send(x, 200, JSON.createObjectNode().put("id", registry.register(subject, schema).id()));
        } catch (IncompatibleSchemaException e) {
          send(
              x,
              409,
              error(
                  409,
                  "Schema being registered is incompatible with an earlier schema for subject \""
                      + subject
                      + "\""));
        }
      } else if (!registry.subjects().contains(subject)) {
        send(x, 404, error(40401, "Subject '" + subject + "' not found."));
      } else {
        ArrayNode versions = JSON.createArrayNode();
        registry.versions(subject).forEach(versions::add);
        send(x, 200, versions);
      }
    } else if ((m = SUBJECT.matcher(path)).matches()) {
      String subject = decode(m.group(1));
      if (method.equals("DELETE")) {
        boolean permanent = String.valueOf(x.getRequestURI().getQuery()).contains("permanent=true");
        try {
          ArrayNode versions = JSON.createArrayNode();
          (permanent ? registry.deleteSubjectPermanently(subject) : registry.deleteSubject(subject))
              .forEach(versions::add);
          send(x, 200, versions);
        } catch (SchemaRegistryException e) {
          send(x, 404, error(e.kind().code(), String.valueOf(e.getMessage())));
        }
      } else if (!registry.subjects().contains(subject)) {
        send(x, 404, error(40401, "Subject '" + subject + "' not found."));
      } else {
        lastLookupQuery = x.getRequestURI().getRawQuery();
        Optional<RegisteredSchema> r = registry.lookup(subject, schemaOf(x));
        if (r.isEmpty()) {
          send(x, 404, error(40403, "Schema not found"));
        } else {
          send(x, 200, registered(r.get()));
        }
      }
    } else if (path.equals("/subjects")) {
      ArrayNode subjects = JSON.createArrayNode();
      registry.subjects().forEach(subjects::add);
      send(x, 200, subjects);
    } else if ((m = SCHEMA_ID.matcher(path)).matches()
        && rawById.containsKey(Integer.parseInt(m.group(1)))) {
      send(x, 200, rawById.get(Integer.parseInt(m.group(1))));
    } else if ((m = SCHEMA_ID.matcher(path)).matches()) {
      try {
        send(
            x,
            200,
            JSON.createObjectNode()
                .put("schema", registry.schemaById(Integer.parseInt(m.group(1))).toString()));
      } catch (SchemaRegistryException e) {
        send(x, 404, error(40403, "Schema " + m.group(1) + " not found"));
      }
    } else if ((m = SCHEMA_GUID.matcher(path)).matches()) {
      // Confluent Platform 8: schemas by GUID (the in-memory registry's GUIDs stand in)
      try {
        send(
            x,
            200,
            JSON.createObjectNode()
                .put(
                    "schema",
                    registry.schemaByGuid(java.util.UUID.fromString(m.group(1))).toString()));
      } catch (SchemaRegistryException e) {
        send(x, 404, error(40403, "Schema " + m.group(1) + " not found"));
      }
    } else if ((m = CONFIG.matcher(path)).matches()) {
      String subject = m.group(1) == null ? null : decode(m.group(1));
      if (method.equals("PUT")) {
        Compatibility mode =
            Compatibility.valueOf(JSON.readTree(x.getRequestBody()).path("compatibility").asText());
        if (subject == null) {
          registry.setGlobalCompatibility(mode);
        } else {
          registry.setCompatibility(subject, mode);
          subjectConfigSet.put(subject, true);
        }
        send(x, 200, JSON.createObjectNode().put("compatibility", mode.name()));
      } else if (subject != null && !subjectConfigSet.containsKey(subject)) {
        send(
            x,
            404,
            error(
                40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured"));
      } else {
        Compatibility mode =
            subject == null ? registry.globalCompatibility() : registry.compatibility(subject);
        send(x, 200, JSON.createObjectNode().put("compatibilityLevel", mode.name()));
      }
    } else {
      send(x, 404, error(404, "Not found: " + path));
    }
  }

  private static Schema schemaOf(HttpExchange x) throws IOException {
    JsonNode body = JSON.readTree(x.getRequestBody());
    return new Schema.Parser().parse(body.path("schema").asText());
  }

  private static ObjectNode registered(RegisteredSchema r) {
    return JSON.createObjectNode()
        .put("subject", r.subject())
        .put("version", r.version())
        .put("id", r.id())
        .put("schema", r.schema().toString());
  }

  private static ObjectNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
