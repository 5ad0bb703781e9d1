package io.meshsdk.producer;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Per-record options of {@link MeshProducer#send(Object, SendOptions)}: event time, extra headers,
 * and parents beyond those of the current {@link io.meshsdk.lineage.LineageScope}.
 *
 * <p>Thread-safety: immutable; its builder is not thread-safe.
 */
public final class SendOptions {
  private static final SendOptions NONE = new SendOptions(null, Map.of(), List.of());

  private final @Nullable Instant eventTime;
  private final Map<String, byte[]> headers;
  private final List<EventRef> parents;

  private SendOptions(
      @Nullable Instant eventTime, Map<String, byte[]> headers, List<EventRef> parents) {
    this.eventTime = eventTime;
    this.headers = headers;
    this.parents = parents;
  }

  /**
   * No options.
   *
   * @return the empty options
   */
  public static SendOptions none() {
    return NONE;
  }

  /**
   * Starts options.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The event time.
   *
   * @return the time, empty for the time of sending
   */
  public Optional<Instant> eventTime() {
    return Optional.ofNullable(eventTime);
  }

  /**
   * Extra headers.
   *
   * @return an immutable map of header name to value bytes
   */
  public Map<String, byte[]> headers() {
    return headers;
  }

  /**
   * Extra parents.
   *
   * @return an immutable list
   */
  public List<EventRef> parents() {
    return parents;
  }

  /** Builds {@link SendOptions}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Instant eventTime;
    private final Map<String, byte[]> headers = new LinkedHashMap<>();
    private final List<EventRef> parents = new ArrayList<>();

    private Builder() {}

    /**
     * Sets when the event happened (default: when it is sent). Refused here, before anything is
     * sent or traced, when Kafka or {@code ce_time} cannot carry it.
     *
     * @param time the event time, from 1970-01-01T00:00:00Z to the end of the year 9999
     * @return this builder
     * @throws IllegalArgumentException if the time is before 1970 or after 9999
     */
    public Builder eventTime(Instant time) {
      Objects.requireNonNull(time, "time");
      if (time.isBefore(Instant.EPOCH)) {
        throw new IllegalArgumentException(
            "event time "
                + time
                + " is before 1970-01-01T00:00:00Z: a Kafka record's timestamp cannot be negative");
      }
      if (time.isAfter(LATEST)) {
        throw new IllegalArgumentException(
            "event time "
                + time
                + " is after the year 9999, which RFC 3339 (ce_time) cannot write");
      }
      this.eventTime = time;
      return this;
    }

    /** The last instant RFC 3339 can write. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * Adds a header. Names the SDK sets ({@code ce_*}, {@code content-type}, {@code mesh.dlq.*})
     * are refused; {@code traceparent} is allowed and then not injected again.
     *
     * @param name the header name
     * @param value the value, as UTF-8
     * @return this builder
     * @throws IllegalArgumentException for a reserved name
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(value, "value");
      return header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a header with raw bytes.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException for a reserved name
     */
    public Builder header(String name, byte[] value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.startsWith("ce_")
          || name.equals(MeshHeaders.CONTENT_TYPE)
          || name.startsWith(MeshHeaders.DLQ_PREFIX)) {
        throw new IllegalArgumentException(
            "header '" + name + "' is set by Mesh SDK and cannot be given");
      }
      headers.put(name, value.clone());
      return this;
    }

    /**
     * Adds a parent event, for work done outside the consumer's thread.
     *
     * @param parent the upstream event
     * @return this builder
     */
    public Builder parent(EventRef parent) {
      parents.add(Objects.requireNonNull(parent, "parent"));
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public SendOptions build() {
      return new SendOptions(eventTime, Map.copyOf(headers), List.copyOf(parents));
    }
  }
}
