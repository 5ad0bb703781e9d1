package io.meshsdk.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.registry.SchemaRegistryException.Kind;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the registry client: one call with failover across the base URLs, retries with
 * backoff and jitter on server and I/O errors only, all within the call's deadline, auth headers (a
 * bearer token fetched again once on {@code 401}), error mapping by status and Confluent {@code
 * error_code}, and timing in {@code mesh.registry.requests}. Thread-safe.
 */
final class RegistryTransport {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> urls;
  private final @Nullable String basicAuthHeader;
  private final @Nullable Supplier<String> bearer;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration callTimeout;
  private final int maxRetries;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final MeterRegistry meters;
  private final String application;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private volatile int preferred;

  RegistryTransport(RegistryClientSettings settings) {
    this.urls = List.copyOf(settings.urls);
    this.basicAuthHeader =
        settings.basicAuth == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(settings.basicAuth.getBytes(StandardCharsets.UTF_8));
    this.bearer = settings.bearer;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout)
            .version(HttpClient.Version.HTTP_1_1);
    if (settings.sslContext != null) {
      builder.sslContext(settings.sslContext);
    }
    this.http = builder.build();
    this.requestTimeout = settings.requestTimeout;
    this.callTimeout = settings.callTimeout;
    this.maxRetries = settings.maxRetries;
    this.backoff = settings.backoff;
    this.maxBackoff = settings.maxBackoff;
    this.meters = settings.meters;
    this.application = settings.application;
  }

  JsonNode call(String operation, String method, String path, @Nullable JsonNode body) {
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

  /**
   * One call: attempts on the preferred URL and then the others, until one answers, the retries are
   * used up, or the call's deadline passes. Each attempt waits at most the request time-out and
   * never past the deadline, so a registry that accepts connections and never answers holds a
   * caller for the call time-out at most.
   */
  private JsonNode execute(String method, String path, @Nullable JsonNode body) {
    byte[] payload;
    try {
      payload = body == null ? null : JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(Kind.OTHER, "cannot write the request body", e);
    }
    long deadline = System.nanoTime() + callTimeout.toNanos();
    boolean refreshed = false;
    SchemaRegistryException last = null;
    int first = preferred;
    int attempts = 0;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      int index = (first + attempt) % urls.size();
      URI base = urls.get(index);
      String what = method + " " + path + " at " + redact(base);
      attempts++;
      HttpResponse<byte[]> response;
      CompletableFuture<HttpResponse<byte[]>> pending = null;
      try {
        Duration wait = Duration.ofNanos(Math.min(left, requestTimeout.toNanos()));
        pending =
            http.sendAsync(
                request(base, method, path, payload, refreshed, wait),
                HttpResponse.BodyHandlers.ofByteArray());
        response = pending.get(wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        pending.cancel(true);
        last =
            new SchemaRegistryException(
                Kind.UNAVAILABLE,
                what + " did not answer within " + millis(left, requestTimeout),
                e);
        pause(attempt, deadline);
        continue;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof javax.net.ssl.SSLHandshakeException) {
          // a certificate the client does not trust will not become trusted by retrying
          throw new SchemaRegistryException(
              Kind.OTHER,
              "TLS handshake with "
                  + redact(base)
                  + " failed (check the SSLContext given to the client): "
                  + cause.getMessage(),
              cause);
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
          // the request's own time-out, set to the same wait, won the race with ours: one outcome
          last =
              new SchemaRegistryException(
                  Kind.UNAVAILABLE,
                  what + " did not answer within " + millis(left, requestTimeout),
                  cause);
        } else {
          last = new SchemaRegistryException(Kind.UNAVAILABLE, what + " failed: " + cause, cause);
        }
        pause(attempt, deadline);
        continue;
      } catch (InterruptedException e) {
        if (pending != null) {
          pending.cancel(true);
        }
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
      SchemaRegistryException error = error(status, response.body(), what);
      if (!error.isRetriable()) {
        throw error;
      }
      last = error;
      pause(attempt, deadline);
    }
    if (last == null) {
      return failNoAttempt(method, path);
    }
    if (System.nanoTime() - deadline >= 0) {
      throw new SchemaRegistryException(
          Kind.UNAVAILABLE,
          method
              + " "
              + path
              + ": the registry ("
              + urlList()
              + ") gave no answer within the call time-out of "
              + callTimeout.toMillis()
              + " ms ("
              + attempts
              + (attempts == 1 ? " attempt" : " attempts")
              + "); last: "
              + last.getMessage(),
          last);
    }
    throw last;
  }

  private JsonNode failNoAttempt(String method, String path) {
    throw new SchemaRegistryException(
        Kind.UNAVAILABLE,
        method + " " + path + ": no time left to call the registry (" + urlList() + ")");
  }

  private String urlList() {
    StringBuilder sb = new StringBuilder();
    for (URI u : urls) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(redact(u));
    }
    return sb.toString();
  }

  private static String millis(long leftNanos, Duration requestTimeout) {
    return Math.min(TimeUnit.NANOSECONDS.toMillis(leftNanos), requestTimeout.toMillis()) + " ms";
  }

  private HttpRequest request(
      URI base,
      String method,
      String path,
      byte @Nullable [] payload,
      boolean refreshed,
      Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(resolve(base, path))
            .timeout(timeout.isZero() ? Duration.ofMillis(1) : timeout)
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                payload == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(payload));
    if (payload != null) {
      b.header(
          "Content-Type", path.startsWith(APICURIO_NATIVE) ? "application/json" : CONTENT_TYPE);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer.get());
    } else if (basicAuthHeader != null) {
      b.header("Authorization", basicAuthHeader);
    }
    return b.build();
  }

  private void pause(int attempt, long deadline) {
    if (attempt >= maxRetries) {
      return;
    }
    long delay = backoff.toMillis();
    for (int i = 0; i < attempt && delay < maxBackoff.toMillis(); i++) {
      delay *= 2;
    }
    delay = Math.min(delay, maxBackoff.toMillis());
    long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    jittered = Math.min(jittered, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    if (jittered <= 0) {
      return;
    }
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
    } else if (code == 40404) {
      kind = Kind.SUBJECT_SOFT_DELETED;
    } else if (code == 40405) {
      kind = Kind.SUBJECT_NOT_SOFT_DELETED;
    } else if (code == 40408) {
      kind = Kind.SUBJECT_COMPATIBILITY_NOT_SET;
    } else if (code == 42201) {
      kind = Kind.INVALID_SCHEMA;
    } else if (code == 42202) {
      kind = Kind.INVALID_VERSION;
    } else if (status == 409) {
      kind = Kind.INCOMPATIBLE;
    } else if (status == 404 && code == 404) {
      kind = Kind.SUBJECT_NOT_FOUND; // Apicurio's own API: a registry's answer, with its code
    } else if (status == 404) {
      // a 404 without a registry error code is not the registry's answer (a proxy's default
      // backend, a wrong base path): never take it for "not found", which dead-letters records
      kind = Kind.OTHER;
      if (code == 0) {
        message =
            "no registry error code in the answer; is the URL the registry's base URL?"
                + (message.isEmpty() ? "" : " " + message);
      }
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

  /** Paths of Apicurio's own API, resolved from the server's root rather than the base URL. */
  static final String APICURIO_NATIVE = "/apis/registry/v2/";

  private static URI resolve(URI base, String path) {
    String b = base.toString();
    if (path.startsWith(APICURIO_NATIVE)) {
      int at = b.indexOf("/apis/ccompat/");
      if (at >= 0) {
        return URI.create(b.substring(0, at) + path);
      }
    }
    return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
  }

  private static String redact(URI uri) {
    return HttpSchemaRegistry.redact(uri);
  }
}
