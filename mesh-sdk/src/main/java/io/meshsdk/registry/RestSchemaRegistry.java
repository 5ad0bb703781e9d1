package io.meshsdk.registry;

import io.meshsdk.registry.internal.HttpSchemaRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A client of the Confluent Schema Registry REST API, also served by Apicurio ({@code
 * /apis/ccompat/v7}), Karapace and Redpanda.
 *
 * <pre>{@code
 * SchemaRegistry registry = RestSchemaRegistry.builder("https://registry-a:8081", "https://registry-b:8081")
 *     .basicAuth("svc-checkout", secret)
 *     .build();
 * }</pre>
 *
 * <p>Behaviour: several base URLs with failover; connect and request time-outs; bounded retries
 * with exponential backoff and jitter on server errors and I/O failures only; basic auth (explicit
 * or user-info in the URL) or a bearer token (static or from a supplier, fetched again once on
 * {@code 401}); TLS through a given {@code SSLContext}. Schemas by id and ids by subject and schema
 * are cached without expiry (they never change), the latest version per subject for a TTL, and "not
 * found" answers briefly, so a missing subject cannot flood the server. Errors map to {@link
 * SchemaRegistryException} kinds by HTTP status and Confluent {@code error_code}. Credentials never
 * appear in logs, messages or {@code toString()}.
 *
 * <p>Thread-safety: the registry is thread-safe; share one. The builder is not.
 */
public final class RestSchemaRegistry {
  private RestSchemaRegistry() {}

  /**
   * Starts a client of one or more registry URLs (tried in order, failing over on errors).
   *
   * @param urls base URLs, for example {@code http://localhost:8081} or {@code
   *     http://host:8080/apis/ccompat/v7}; user-info ({@code https://user:secret@host}) is used as
   *     basic auth and removed from the URL
   * @return a builder
   * @throws IllegalArgumentException if no URL is given or one is not an http(s) URL
   */
  public static Builder builder(String... urls) {
    return new Builder(List.of(urls));
  }

  /** Configures a {@link RestSchemaRegistry} client. Not thread-safe. */
  public static final class Builder {
    private final List<URI> urls = new ArrayList<>();
    private @Nullable String basicAuth;
    private @Nullable Supplier<String> bearer;
    private @Nullable SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxRetries = 3;
    private Duration backoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private Duration latestTtl = Duration.ofSeconds(30);
    private Duration notFoundTtl = Duration.ofSeconds(5);
    private int maxCacheSize = 10_000;
    private MeterRegistry meters = new CompositeMeterRegistry();
    private String application = "mesh";
    private boolean normalize;

    private Builder(List<String> urls) {
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("at least one registry URL is required");
      }
      for (String url : urls) {
        Objects.requireNonNull(url, "url");
        URI uri = URI.create(url.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new IllegalArgumentException(
              "registry URL must be http or https: " + HttpSchemaRegistry.redact(uri));
        }
        if (uri.getUserInfo() != null && basicAuth == null) {
          basicAuth = uri.getUserInfo();
        }
        this.urls.add(HttpSchemaRegistry.withoutUserInfo(uri));
      }
    }

    /**
     * Authenticates with HTTP basic auth.
     *
     * @param user the user
     * @param password the password
     * @return this builder
     */
    public Builder basicAuth(String user, String password) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      this.basicAuth = user + ":" + password;
      return this;
    }

    /**
     * Authenticates with HTTP basic auth given as {@code user:password} (Confluent's {@code
     * basic.auth.user.info}).
     *
     * @param userInfo {@code user:password}
     * @return this builder
     * @throws IllegalArgumentException if there is no {@code :}
     */
    public Builder basicAuthUserInfo(String userInfo) {
      Objects.requireNonNull(userInfo, "userInfo");
      if (userInfo.indexOf(':') < 0) {
        throw new IllegalArgumentException("basic auth user info must be user:password");
      }
      this.basicAuth = userInfo;
      return this;
    }

    /**
     * Authenticates with a static bearer token.
     *
     * @param token the token
     * @return this builder
     */
    public Builder bearerToken(String token) {
      Objects.requireNonNull(token, "token");
      this.bearer = () -> token;
      return this;
    }

    /**
     * Authenticates with bearer tokens from a supplier, asked for every request and asked again
     * once when the server answers {@code 401}.
     *
     * @param tokens the supplier
     * @return this builder
     */
    public Builder bearerToken(Supplier<String> tokens) {
      this.bearer = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * Uses TLS settings (trust store, client certificate).
     *
     * @param context the TLS context
     * @return this builder
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * Sets the connect and per-request time-outs (defaults 5 s and 10 s).
     *
     * @param connect connect time-out
     * @param request time-out of one request
     * @return this builder
     */
    public Builder timeouts(Duration connect, Duration request) {
      this.connectTimeout = positive(connect, "connect");
      this.requestTimeout = positive(request, "request");
      return this;
    }

    /**
     * Sets retries of server errors and I/O failures (default 3, backoff 100 ms doubling up to 2 s,
     * with jitter). Each retry goes to the next URL.
     *
     * @param maxRetries retries after the first attempt, 0 or more
     * @param initial the first backoff
     * @param max the largest backoff
     * @return this builder
     */
    public Builder retries(int maxRetries, Duration initial, Duration max) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must not be negative");
      }
      this.maxRetries = maxRetries;
      this.backoff = Objects.requireNonNull(initial, "initial");
      this.maxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    /**
     * Sets how long cached answers live: the latest version per subject, and "not found".
     *
     * @param latest TTL of the latest version per subject (default 30 s)
     * @param notFound TTL of "not found" answers (default 5 s)
     * @return this builder
     */
    public Builder cacheTtl(Duration latest, Duration notFound) {
      this.latestTtl = Objects.requireNonNull(latest, "latest");
      this.notFoundTtl = Objects.requireNonNull(notFound, "notFound");
      return this;
    }

    /**
     * Bounds each cache (default 10,000 entries).
     *
     * @param entries at least 1
     * @return this builder
     */
    public Builder maxCacheSize(int entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("cache size must be at least 1");
      }
      this.maxCacheSize = entries;
      return this;
    }

    /**
     * Times every request in {@code mesh.registry.requests} (tags operation and outcome).
     *
     * @param meters the registry; not closed by the client
     * @param application the application tag
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry meters, String application) {
      this.meters = Objects.requireNonNull(meters, "meters");
      this.application = Objects.requireNonNull(application, "application");
      return this;
    }

    /**
     * Asks the registry to normalize schemas when registering (Confluent's {@code normalize=true}),
     * so that schemas differing only in form share one version. Off by default.
     *
     * @return this builder
     */
    public Builder normalize() {
      this.normalize = true;
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the registry; close it to release its connections
     */
    public SchemaRegistry build() {
      return new HttpSchemaRegistry(
          urls,
          basicAuth,
          bearer,
          sslContext,
          connectTimeout,
          requestTimeout,
          maxRetries,
          backoff,
          maxBackoff,
          latestTtl,
          notFoundTtl,
          maxCacheSize,
          meters,
          application,
          normalize);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " time-out must be positive");
      }
      return d;
    }
  }
}
