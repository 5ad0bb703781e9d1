package io.meshsdk.registry.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a REST registry client with their defaults, filled in by {@code
 * RestSchemaRegistry.Builder} (which validates them) and copied into the client it builds, so the
 * client is made from one object instead of a dozen positional arguments. Not thread-safe while it
 * is being filled; the client keeps its own copy.
 */
public final class RegistryClientSettings {
  /** Base URLs without user-info, tried in order. */
  public final List<URI> urls = new ArrayList<>();

  /** {@code user:password} for basic auth, or null. Never printed. */
  public @Nullable String basicAuth;

  /** Bearer tokens, or null. Never printed. */
  public @Nullable Supplier<String> bearer;

  /** TLS settings, or null for the JDK's defaults. */
  public @Nullable SSLContext sslContext;

  /** How long opening a connection may take. */
  public Duration connectTimeout = Duration.ofSeconds(5);

  /** How long one attempt may wait for its answer. */
  public Duration requestTimeout = Duration.ofSeconds(10);

  /** How long one call may take in all, retries and failover included. */
  public Duration callTimeout = Duration.ofSeconds(10);

  /** Retries after the first attempt of a call. */
  public int maxRetries = 3;

  /** The first backoff between attempts. */
  public Duration backoff = Duration.ofMillis(100);

  /** The largest backoff between attempts. */
  public Duration maxBackoff = Duration.ofSeconds(2);

  /** How long the latest version of a subject is cached. */
  public Duration latestTtl = Duration.ofSeconds(30);

  /** How long a "not found" answer is cached. */
  public Duration notFoundTtl = Duration.ofSeconds(5);

  /** Entries per cache. */
  public int maxCacheSize = 10_000;

  /** Where request timers go; not closed by the client. */
  public MeterRegistry meters = new CompositeMeterRegistry();

  /** The application tag of the request timers. */
  public String application = "mesh";

  /** Whether registration asks the registry to normalize. */
  public boolean normalize;

  /** A copy, so that a builder used again does not change a client built before. */
  public RegistryClientSettings copy() {
    RegistryClientSettings c = new RegistryClientSettings();
    c.urls.addAll(urls);
    c.basicAuth = basicAuth;
    c.bearer = bearer;
    c.sslContext = sslContext;
    c.connectTimeout = connectTimeout;
    c.requestTimeout = requestTimeout;
    c.callTimeout = callTimeout;
    c.maxRetries = maxRetries;
    c.backoff = backoff;
    c.maxBackoff = maxBackoff;
    c.latestTtl = latestTtl;
    c.notFoundTtl = notFoundTtl;
    c.maxCacheSize = maxCacheSize;
    c.meters = meters;
    c.application = application;
    c.normalize = normalize;
    return c;
  }

  /** No secrets: only the URLs and which kind of authentication is set. */
  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    for (URI u : urls) {
      shown.add(Redaction.url(u.toString()));
    }
    return "RestSchemaRegistry"
        + shown
        + (basicAuth != null ? " (basic auth)" : bearer != null ? " (bearer)" : "");
  }
}
