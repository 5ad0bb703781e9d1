package io.meshsdk.catalog.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where and how often a mesh sends its OpenLineage run events, as {@code MeshBuilder} validated
 * them from the {@code mesh.openlineage.*} keys.
 *
 * <p>Thread-safety: immutable. {@link #toString()} never shows the API key, and shows the URL with
 * any user-info masked.
 *
 * @param transport where events go
 * @param uri for {@link Transport#HTTP}: the URL events are posted to (base URL and endpoint)
 * @param apiKey for {@link Transport#HTTP}: sent as {@code Authorization: Bearer ...}, or null
 * @param topic for {@link Transport#KAFKA}: the topic events are written to
 * @param namespace the job namespace, or null for the default ({@code kafka://{first bootstrap
 *     server}}, the namespace of the application's datasets)
 * @param interval how often a {@code RUNNING} snapshot goes out
 * @param queueCapacity how many events may wait to be sent; more are dropped and counted
 * @param timeout how long one send may take, and how long closing the mesh waits for the last
 *     events
 */
public record OpenLineageSettings(
    Transport transport,
    @Nullable URI uri,
    @Nullable String apiKey,
    @Nullable String topic,
    @Nullable String namespace,
    Duration interval,
    int queueCapacity,
    Duration timeout) {

  /** Default {@link #interval()}: one snapshot a minute. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** Default {@link #queueCapacity()}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 100;

  /** Default {@link #timeout()}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** Default endpoint path of the HTTP transport, as OpenLineage's own clients use it. */
  public static final String DEFAULT_ENDPOINT = "/api/v1/lineage";

  /** Where the events go. */
  public enum Transport {
    /** Nowhere: no events, no thread (the default). */
    NONE,
    /** SLF4J at INFO, logger {@code io.meshsdk.openlineage}, one line per event. */
    LOG,
    /** POSTed as JSON to an OpenLineage endpoint (Marquez, DataHub, OpenMetadata, ...). */
    HTTP,
    /** Written to a Kafka topic through the mesh's producer, keyed by job namespace and name. */
    KAFKA;

    /** The name as configured: lower case. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks what the other components rely on. */
  public OpenLineageSettings {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (transport == Transport.HTTP && uri == null) {
      throw new IllegalArgumentException("the http transport needs a URL");
    }
    if (transport == Transport.KAFKA && topic == null) {
      throw new IllegalArgumentException("the kafka transport needs a topic");
    }
    if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("interval and timeout must be positive");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1");
    }
  }

  /**
   * No events (the default).
   *
   * @return the settings
   */
  public static OpenLineageSettings none() {
    return new OpenLineageSettings(
        Transport.NONE,
        null,
        null,
        null,
        null,
        DEFAULT_INTERVAL,
        DEFAULT_QUEUE_CAPACITY,
        DEFAULT_TIMEOUT);
  }

  /**
   * Where events go, for messages: the masked URL, the topic, or the logger.
   *
   * @return the description, without secrets
   */
  public String destination() {
    return switch (transport) {
      case NONE -> "nowhere";
      case LOG -> "the log (" + OpenLineageEmitter.EVENT_LOGGER + ")";
      case HTTP -> masked(Objects.requireNonNull(uri));
      case KAFKA -> "topic " + topic;
    };
  }

  /** The URL without user-info or query, which may hold credentials. */
  static String masked(URI uri) {
    String host = uri.getHost() == null ? "?" : uri.getHost();
    return uri.getScheme()
        + "://"
        + (uri.getRawUserInfo() != null ? "***@" : "")
        + host
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() != null ? "?***" : "");
  }

  @Override
  public String toString() {
    return "OpenLineageSettings["
        + transport
        + ", "
        + destination()
        + (apiKey != null ? ", api key ***" : "")
        + ", namespace "
        + (namespace != null ? namespace : "(kafka://{bootstrap})")
        + ", every "
        + interval
        + ", queue "
        + queueCapacity
        + ", timeout "
        + timeout
        + "]";
  }
}
