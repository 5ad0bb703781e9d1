package io.meshsdk.registry;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.internal.HttpSchemaRegistry;
import io.meshsdk.registry.internal.Redaction;
import io.meshsdk.registry.internal.RegistryClientSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
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
 * <p>Behaviour: several base URLs with failover; connect and per-attempt time-outs, and a deadline
 * per call (10 s by default) that no retry outlasts; bounded retries with exponential backoff and
 * jitter on server errors and I/O failures only; basic auth (explicit or user-info in the URL) or a
 * bearer token (static or from a supplier, fetched again once on {@code 401}); TLS through a given
 * {@code SSLContext}. Schemas by id and ids by subject and schema are cached without expiry (they
 * never change), the latest version per subject for a TTL, and "not found" answers briefly, so a
 * missing subject cannot flood the server. Errors map to {@link SchemaRegistryException} kinds by
 * HTTP status and Confluent {@code error_code}. Credentials never appear in logs, messages or
 * {@code toString()}.
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
   * @throws IllegalArgumentException if no URL is given or one is not an http(s) URL; the message
   *     shows the URL with its user-info masked
   */
  public static Builder builder(String... urls) {
    return new Builder(List.of(urls));
  }

  /** Configures a {@link RestSchemaRegistry} client. Not thread-safe. */
  public static final class Builder {
    private final RegistryClientSettings settings = new RegistryClientSettings();
    private @Nullable String urlUserInfo;
    private boolean explicitBasicAuth;

    private Builder(List<String> urls) {
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("at least one registry URL is required");
      }
      for (String url : urls) {
        Objects.requireNonNull(url, "url");
        Redaction.ParsedUrl parsed = Redaction.parseRegistryUrl(url);
        if (parsed.userInfo() != null && urlUserInfo == null) {
          urlUserInfo = parsed.userInfo();
        }
        settings.urls.add(parsed.uri());
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
      settings.basicAuth = user + ":" + password;
      explicitBasicAuth = true;
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
      settings.basicAuth = userInfo;
      explicitBasicAuth = true;
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
      settings.bearer = () -> token;
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
      settings.bearer = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * Uses TLS settings (trust store, client certificate).
     *
     * @param context the TLS context
     * @return this builder
     */
    public Builder sslContext(SSLContext context) {
      settings.sslContext = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * Sets the connect and per-attempt time-outs (defaults 5 s and 10 s). No attempt waits past the
     * {@link #callTimeout(Duration) call time-out}.
     *
     * @param connect connect time-out, positive
     * @param request how long one attempt waits for its answer, positive
     * @return this builder
     * @throws IllegalArgumentException if a time-out is zero or negative
     */
    public Builder timeouts(Duration connect, Duration request) {
      settings.connectTimeout = positive(connect, "connect time-out");
      settings.requestTimeout = positive(request, "request time-out");
      return this;
    }

    /**
     * Sets how long one call may take in all, retries and failover to other URLs included (default
     * 10 s): a registry that accepts connections and never answers holds a caller this long at
     * most, then the call fails with a retriable {@link SchemaRegistryException} naming the URLs
     * and the last cause.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if the time-out is zero or negative
     */
    public Builder callTimeout(Duration timeout) {
      settings.callTimeout = positive(timeout, "call time-out");
      return this;
    }

    /**
     * Sets retries of server errors and I/O failures (default 3, backoff 100 ms doubling up to 2 s,
     * with jitter), all within the call time-out. Each retry goes to the next URL.
     *
     * @param maxRetries retries after the first attempt, 0 or more
     * @param initial the first backoff, 0 or more
     * @param max the largest backoff, at least {@code initial}
     * @return this builder
     * @throws IllegalArgumentException if a value is negative or {@code max < initial}
     */
    public Builder retries(int maxRetries, Duration initial, Duration max) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
      }
      notNegative(initial, "initial backoff");
      notNegative(max, "largest backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "the largest backoff " + max + " is smaller than the first " + initial);
      }
      settings.maxRetries = maxRetries;
      settings.backoff = initial;
      settings.maxBackoff = max;
      return this;
    }

    /**
     * Sets how long cached answers live: the latest version per subject, and "not found".
     *
     * @param latest TTL of the latest version per subject (default 30 s; zero to ask every time)
     * @param notFound TTL of "not found" answers (default 5 s; zero to ask every time)
     * @return this builder
     * @throws IllegalArgumentException if a TTL is negative
     */
    public Builder cacheTtl(Duration latest, Duration notFound) {
      settings.latestTtl = notNegative(latest, "latest-version TTL");
      settings.notFoundTtl = notNegative(notFound, "not-found TTL");
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
        throw new IllegalArgumentException("cache size must be at least 1, got " + entries);
      }
      settings.maxCacheSize = entries;
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
      settings.meters = Objects.requireNonNull(meters, "meters");
      settings.application = Objects.requireNonNull(application, "application");
      return this;
    }

    /**
     * Asks the registry to normalize schemas when registering (Confluent's {@code normalize=true}),
     * so that schemas differing only in form share one version. Off by default.
     *
     * @return this builder
     */
    public Builder normalize() {
      settings.normalize = true;
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the registry; close it to release its connections
     * @throws io.meshsdk.errors.MeshConfigurationException if both basic auth (given or in a URL)
     *     and a bearer token are set: the client would have to pick one silently
     */
    public SchemaRegistry build() {
      if (settings.bearer != null && (explicitBasicAuth || urlUserInfo != null)) {
        throw new MeshConfigurationException(
            "schema registry "
                + settings
                + ": basic auth"
                + (explicitBasicAuth ? "" : " (user-info in the URL)")
                + " and a bearer token are both set; choose one");
      }
      RegistryClientSettings built = settings.copy();
      if (built.basicAuth == null) {
        built.basicAuth = urlUserInfo;
      }
      return new HttpSchemaRegistry(built);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }

    private static Duration notNegative(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, got " + d);
      }
      return d;
    }
  }
}
