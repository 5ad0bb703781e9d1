package io.meshsdk.catalog.internal;

import io.meshsdk.catalog.internal.OpenLineageSettings.Transport;
import io.meshsdk.config.internal.ConfigKeys;
import io.meshsdk.registry.internal.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The OpenLineage emitter configured by the {@code mesh.openlineage.*} keys: each value checked as
 * it is applied, the combinations checked by {@link #problems()} (an {@code http} transport needs a
 * URL, a {@code kafka} transport a topic, and a key the chosen transport does not read is a mistake
 * to report, not to ignore).
 *
 * <p>Thread-safety: not thread-safe; used while configuring. Never shows the API key; shows URLs
 * with credentials masked.
 */
public final class OpenLineageConfig {
  /** {@code none} (default), {@code log}, {@code http} or {@code kafka}. */
  public static final String TRANSPORT = "mesh.openlineage.transport";

  /** The base URL of the OpenLineage endpoint, for the {@code http} transport. */
  public static final String URL = "mesh.openlineage.url";

  /** The path appended to the URL (default {@code /api/v1/lineage}). */
  public static final String ENDPOINT = "mesh.openlineage.endpoint";

  /** An API key sent as {@code Authorization: Bearer ...} by the {@code http} transport. */
  public static final String API_KEY = "mesh.openlineage.api.key";

  /** The topic of the {@code kafka} transport. */
  public static final String TOPIC = "mesh.openlineage.topic";

  /** The job namespace (default {@code kafka://{first bootstrap server}}). */
  public static final String NAMESPACE = "mesh.openlineage.namespace";

  /** How often a {@code RUNNING} snapshot goes out, in milliseconds (default 60,000). */
  public static final String INTERVAL_MS = "mesh.openlineage.interval.ms";

  /** How many events may wait to be sent (default 100); more are dropped and counted. */
  public static final String QUEUE_CAPACITY = "mesh.openlineage.queue.capacity";

  /**
   * How long one send may take, and closing the mesh waits for the last events, in milliseconds
   * (default 5,000).
   */
  public static final String TIMEOUT_MS = "mesh.openlineage.timeout.ms";

  /** Every key read here. */
  public static final List<String> KEYS =
      List.of(
          TRANSPORT,
          URL,
          ENDPOINT,
          API_KEY,
          TOPIC,
          NAMESPACE,
          INTERVAL_MS,
          QUEUE_CAPACITY,
          TIMEOUT_MS);

  private Transport transport = Transport.NONE;
  private @Nullable String url;
  private @Nullable String endpoint;
  private @Nullable String apiKey;
  private @Nullable String topic;
  private @Nullable String namespace;
  private Duration interval = OpenLineageSettings.DEFAULT_INTERVAL;
  private int queueCapacity = OpenLineageSettings.DEFAULT_QUEUE_CAPACITY;
  private Duration timeout = OpenLineageSettings.DEFAULT_TIMEOUT;

  /** Nothing configured: no events. */
  public OpenLineageConfig() {}

  /**
   * Applies one key if it is an OpenLineage key.
   *
   * @param key the key
   * @param value its value, trimmed
   * @return whether the key was one of {@link #KEYS}
   * @throws IllegalArgumentException for a value that is wrong whatever the other keys say (the
   *     message never quotes the API key)
   */
  public boolean apply(String key, String value) {
    switch (key) {
      case TRANSPORT -> transport = transport(value);
      case URL -> url = nonBlank(value, "a URL");
      case ENDPOINT -> endpoint = value.isEmpty() || value.startsWith("/") ? value : "/" + value;
      case API_KEY -> {
        if (value.isBlank()) {
          throw new IllegalArgumentException("an API key must not be blank");
        }
        apiKey = value;
      }
      case TOPIC -> topic = nonBlank(value, "a topic");
      case NAMESPACE -> namespace = nonBlank(value, "a job namespace");
      case INTERVAL_MS -> interval = positiveMillis(value);
      case QUEUE_CAPACITY -> {
        int n = ConfigKeys.integer(value);
        if (n < 1) {
          throw new IllegalArgumentException("the queue capacity must be at least 1, got " + n);
        }
        queueCapacity = n;
      }
      case TIMEOUT_MS -> timeout = positiveMillis(value);
      default -> {
        return false;
      }
    }
    return true;
  }

  private static Transport transport(String value) {
    for (Transport t : Transport.values()) {
      if (t.name().equalsIgnoreCase(value)) {
        return t;
      }
    }
    List<String> names = Arrays.stream(Transport.values()).map(Transport::toString).toList();
    String nearest = ConfigKeys.nearest(value.toLowerCase(Locale.ROOT), names);
    throw new IllegalArgumentException(
        "'"
            + value
            + "' is not a transport: one of "
            + String.join(", ", names)
            + (nearest != null ? "; did you mean " + nearest + "?" : ""));
  }

  private static String nonBlank(String value, String what) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " is required, got an empty value");
    }
    return value;
  }

  private static Duration positiveMillis(String value) {
    int ms = ConfigKeys.integer(value);
    if (ms <= 0) {
      throw new IllegalArgumentException("must be a positive number of milliseconds, got " + ms);
    }
    return Duration.ofMillis(ms);
  }

  /**
   * What is wrong with the keys together: a transport without its destination, a URL that is not an
   * http(s) URL with a host, keys the chosen transport does not read.
   *
   * @return the problems, each starting with the key; empty when the settings can be built
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (transport == Transport.HTTP) {
      if (url == null) {
        problems.add(URL + ": required when " + TRANSPORT + " is http");
      } else {
        String error = checkUrl(url, postedTo(url));
        if (error != null) {
          problems.add(URL + ": " + error);
        }
      }
    } else {
      unread(problems, URL, url, "http");
      unread(problems, ENDPOINT, endpoint, "http");
      unread(problems, API_KEY, apiKey, "http");
    }
    if (transport == Transport.KAFKA) {
      if (topic == null) {
        problems.add(TOPIC + ": required when " + TRANSPORT + " is kafka");
      }
    } else {
      unread(problems, TOPIC, topic, "kafka");
    }
    return problems;
  }

  private void unread(List<String> problems, String key, @Nullable String value, String reader) {
    if (value != null) {
      problems.add(
          key
              + ": set, but "
              + TRANSPORT
              + " is "
              + transport
              + "; only the "
              + reader
              + " transport reads it");
    }
  }

  /** The base URL and the endpoint. */
  private String postedTo(String base) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return trimmed + (endpoint != null ? endpoint : OpenLineageSettings.DEFAULT_ENDPOINT);
  }

  /** Why a URL cannot be posted to, with credentials masked; null when it can. */
  private static @Nullable String checkUrl(String raw, String posted) {
    URI uri;
    try {
      uri = new URI(posted);
    } catch (URISyntaxException e) {
      // the parser's message quotes the input: name the URL masked instead
      return "'" + Redaction.url(raw) + "' is not a URL";
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      return "'"
          + Redaction.url(raw)
          + "' is not an http(s) URL with a host, such as http://marquez:5000";
    }
    return null;
  }

  /**
   * The validated settings; call only when {@link #problems()} is empty.
   *
   * @return the settings
   * @throws IllegalStateException if a problem remains
   */
  public OpenLineageSettings settings() {
    if (!problems().isEmpty()) {
      throw new IllegalStateException("OpenLineage configuration has problems: " + problems());
    }
    URI uri = transport == Transport.HTTP && url != null ? URI.create(postedTo(url)) : null;
    return new OpenLineageSettings(
        transport, uri, apiKey, topic, namespace, interval, queueCapacity, timeout);
  }

  @Override
  public String toString() {
    return "OpenLineageConfig[" + transport + (apiKey != null ? ", api key ***" : "") + "]";
  }
}
