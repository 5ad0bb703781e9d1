package io.meshsdk.config.internal;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.internal.Redaction;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The schema registry named by configuration keys, Confluent's names where they exist: read the
 * same way by {@code Mesh.builder().properties(...)} and by the Kafka serdes configured by class
 * name.
 *
 * <p>Thread-safety: not thread-safe; used while configuring.
 */
public final class RegistryConfig {
  /** Registry URLs, comma-separated; {@code mock://name} names a shared in-memory registry. */
  public static final String URL = "schema.registry.url";

  /** Basic auth as {@code user:password}, as Confluent's clients name it. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** The same, under the prefixed name Confluent's clients also accept. */
  public static final String PREFIXED_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

  /** Where basic auth comes from, {@code USER_INFO} (default) or {@code URL}. */
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";

  /** A static bearer token, as Confluent's clients name it. */
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

  /** {@code STATIC_TOKEN}, the only bearer source supported. */
  public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";

  /** How long one registry call may take, in milliseconds. */
  public static final String TIMEOUT_MS = "mesh.registry.timeout.ms";

  private static final String MOCK = "mock://";

  private @Nullable String urls;
  private @Nullable String mock;
  private @Nullable String basicAuthUserInfo;
  private @Nullable String bearerToken;
  private @Nullable Duration timeout;

  /** An empty configuration: no registry named yet. */
  public RegistryConfig() {}

  /**
   * Applies one key if it is a registry key.
   *
   * @param key the key
   * @param value its value, trimmed
   * @return whether the key was a registry key
   * @throws IllegalArgumentException if the value is invalid (the message never shows a secret)
   */
  public boolean apply(String key, String value) {
    switch (key) {
      case URL -> url(value);
      case BASIC_AUTH_USER_INFO, PREFIXED_BASIC_AUTH_USER_INFO -> {
        if (value.indexOf(':') < 0) {
          throw new IllegalArgumentException("must be user:password (value not shown)");
        }
        basicAuthUserInfo = value;
      }
      case BEARER_AUTH_TOKEN -> bearerToken = value;
      case BASIC_AUTH_SOURCE -> {
        String v = value.toUpperCase(Locale.ROOT);
        if (!v.equals("USER_INFO") && !v.equals("URL")) {
          throw new IllegalArgumentException("'" + value + "' is not USER_INFO or URL");
        }
      }
      case BEARER_AUTH_SOURCE -> {
        if (!value.equalsIgnoreCase("STATIC_TOKEN")) {
          throw new IllegalArgumentException(
              "'"
                  + value
                  + "' is not supported; use STATIC_TOKEN with "
                  + BEARER_AUTH_TOKEN
                  + ", or RestSchemaRegistry.builder(...).bearerToken(supplier) in code");
        }
      }
      case TIMEOUT_MS -> timeout = Duration.ofMillis(positiveInt(value));
      default -> {
        return false;
      }
    }
    return true;
  }

  private void url(String url) {
    if (url.startsWith(MOCK)) {
      mock = url.substring(MOCK.length());
      urls = null;
      return;
    }
    for (String part : url.split(",")) {
      Redaction.parseRegistryUrl(part); // throws naming the URL with credentials masked
    }
    urls = url;
    mock = null;
  }

  /** Forgets any registry named so far (a registry object given in code replaces it). */
  public void clear() {
    urls = null;
    mock = null;
  }

  /**
   * Whether a registry was named, by URL or as a mock.
   *
   * @return whether one was
   */
  public boolean named() {
    return urls != null || mock != null;
  }

  /**
   * The URLs of the registry named, as a contract lock records them.
   *
   * @return the URLs without credentials; empty for none or a mock
   */
  public List<String> locations() {
    return urls == null || mock != null ? List.of() : Redaction.locations(urls);
  }

  /**
   * Whether a real registry was named by its http(s) URLs.
   *
   * @return whether one was
   */
  public boolean isUrl() {
    return urls != null && mock == null;
  }

  /**
   * Whether the registry named is a shared in-memory one ({@code mock://name}).
   *
   * @return whether it is
   */
  public boolean isMock() {
    return mock != null;
  }

  /**
   * What is inconsistent: both kinds of authentication, or credentials without a URL.
   *
   * @return the problems, each starting with the key concerned
   */
  public List<String> problems() {
    List<String> all = new ArrayList<>();
    if (urls != null && bearerToken != null && basicAuthUserInfo != null) {
      all.add(
          BASIC_AUTH_USER_INFO
              + " and "
              + BEARER_AUTH_TOKEN
              + ": both are set; the registry takes one kind of authentication, choose one");
    } else if (urls == null && (basicAuthUserInfo != null || bearerToken != null)) {
      all.add(
          (bearerToken != null ? BEARER_AUTH_TOKEN : BASIC_AUTH_USER_INFO)
              + ": set without "
              + URL
              + " naming a registry server; credentials apply only to a registry configured by"
              + " URL");
    }
    return all;
  }

  /**
   * The registry named. A shared in-memory registry is not owned by the caller; a REST client is,
   * and must be closed by it.
   *
   * @param meters the meter registry for request meters, or null
   * @param application the application tag of those meters
   * @return the registry
   * @throws IllegalStateException if no registry was named
   * @throws MeshConfigurationException if the REST client cannot be built
   */
  public SchemaRegistry build(@Nullable MeterRegistry meters, String application) {
    if (mock != null) {
      return InMemorySchemaRegistry.named(mock);
    }
    if (urls == null) {
      throw new IllegalStateException("no registry named");
    }
    RestSchemaRegistry.Builder rest =
        RestSchemaRegistry.builder(Objects.requireNonNull(urls).split("\\s*,\\s*"));
    if (bearerToken != null) {
      rest.bearerToken(bearerToken);
    } else if (basicAuthUserInfo != null) {
      rest.basicAuthUserInfo(basicAuthUserInfo);
    }
    if (timeout != null) {
      rest.callTimeout(timeout);
    }
    if (meters != null) {
      rest.meterRegistry(meters, application);
    }
    return rest.build();
  }

  /**
   * The URLs with credentials masked, for messages.
   *
   * @return the description
   */
  public String describe() {
    if (mock != null) {
      return MOCK + mock;
    }
    return urls == null ? "no registry" : Redaction.url(urls);
  }

  private static int positiveInt(String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number", e);
    }
    if (n <= 0) {
      throw new IllegalArgumentException("time-out must be positive, got " + n + " ms");
    }
    return n;
  }
}
