package io.meshsdk.producer.internal;

import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.EventIds;
import io.meshsdk.lineage.internal.Rfc3339;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendFailedException;
import io.meshsdk.producer.SendOptions;
import io.meshsdk.producer.SendResult;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.runtime.internal.TopicProvisioner;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.serde.internal.AbstractCodec;
import io.meshsdk.serde.internal.Codecs;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.MeshTracing;
import io.meshsdk.telemetry.internal.Meters;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of one product. Everything derivable from the contract is computed here, once: the
 * schema id, the static header bytes, the meter handles, whether the key may go into spans.
 */
public final class KafkaMeshProducer<T> implements MeshProducer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaMeshProducer.class);
  private static final TextMapSetter<Headers> SETTER =
      (headers, key, value) -> {
        if (headers != null) {
          headers.remove(key);
          headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
      };

  private final MeshContext ctx;
  private final ProductContract<T> contract;
  private final AbstractCodec<T> codec;
  private final Producer<byte[], byte[]> producer;
  private final Telemetry telemetry;
  private final String topic;
  private final String name;
  private final boolean fullHeaders;

  /** Whether a meter registry was given: without one, no clock is read per record for timers. */
  private final boolean timing;

  private final int propagatedFields;
  private final int schemaId;
  private final Header[] staticHeaders;
  private final Header[] tombstoneHeaders;
  private final boolean keyIsPii;
  private final String spanName;
  private final Timer sendSuccess;
  private final Timer sendFailure;
  private final DistributionSummary bytes;
  private final Counter violations;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong inFlight =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Creates the producer: governance, provisioning and schema registration happen here, so a
   * mis-configured product fails at creation rather than at the first send.
   *
   * @param ctx the mesh's context
   * @param contract the product
   * @param transactional a transactional producer to send through (owned by the caller), or null
   *     for the mesh's shared producer
   */
  public KafkaMeshProducer(
      MeshContext ctx,
      ProductContract<T> contract,
      @Nullable Producer<byte[], byte[]> transactional) {
    this.ctx = ctx;
    this.contract = Objects.requireNonNull(contract, "contract");
    ctx.governance().enforce(contract);
    this.topic = ctx.topicOf(contract);
    ctx.provisioner().provision(List.of(TopicProvisioner.specOf(contract, topic)));
    this.codec = Codecs.create(contract, ctx.fieldCipher());
    this.schemaId =
        MeshSerializer.builder(contract, ctx.registry())
            .registration(ctx.registration())
            .checkContract(false)
            .build()
            .schemaId(topic);
    this.telemetry = ctx.telemetry();
    this.timing = telemetry.metricsEnabled();
    this.propagatedFields = telemetry.tracingOff() ? 0 : propagatedFields(telemetry);
    this.name = ctx.application() + "-" + contract.id() + "-producer";
    this.producer = transactional != null ? transactional : ctx.producer();
    List<Header> fixed = new ArrayList<>();
    fixed.add(header(MeshHeaders.SPEC_VERSION, "1.0"));
    fixed.add(header(MeshHeaders.SOURCE, "/mesh/" + ctx.application()));
    fixed.add(header(MeshHeaders.TYPE, contract.eventType()));
    this.fullHeaders = ctx.headerProfile() == HeaderProfile.FULL;
    if (fullHeaders) {
      fixed.add(
          header(
              MeshHeaders.DATA_SCHEMA,
              ctx.registry().schemaUrl(schemaId).orElse(ctx.schemaLocation() + schemaId)));
      fixed.add(header(MeshHeaders.CONTENT_TYPE, "application/avro"));
      fixed.add(header(MeshHeaders.VERSION, contract.version().toString()));
    }
    contract.sunset().ifPresent(s -> fixed.add(header(MeshHeaders.SUNSET, s.date().toString())));
    this.staticHeaders = fixed.toArray(new Header[0]);
    this.tombstoneHeaders =
        fixed.stream()
            .filter(
                h ->
                    !h.key().equals(MeshHeaders.DATA_SCHEMA)
                        && !h.key().equals(MeshHeaders.CONTENT_TYPE))
            .toArray(Header[]::new);
    this.keyIsPii =
        contract
            .keyField()
            .flatMap(k -> contract.fields().stream().filter(f -> f.name().equals(k)).findFirst())
            .map(ContractField::isPii)
            .orElse(true);
    this.spanName = MeshTracing.PUBLISH + " " + topic;
    Tags tags =
        Tags.of(
            MeshMetrics.TAG_APPLICATION, ctx.application(),
            MeshMetrics.TAG_PRODUCT, contract.id(),
            MeshMetrics.TAG_VERSION, contract.version().toString());
    var meters = telemetry.meters();
    this.sendSuccess =
        telemetry.retain(() -> Meters.timer(meters, MeshMetrics.PRODUCE, tags, "success"));
    this.sendFailure =
        telemetry.retain(() -> Meters.timer(meters, MeshMetrics.PRODUCE, tags, "failure"));
    this.bytes =
        telemetry.retain(
            () ->
                DistributionSummary.builder(MeshMetrics.PRODUCE_BYTES)
                    .baseUnit("bytes")
                    .tags(tags)
                    .register(meters));
    this.violations =
        telemetry.retain(
            () -> Counter.builder(MeshMetrics.CONTRACT_VIOLATIONS).tags(tags).register(meters));
    ctx.tracker().producing(contract, topic);
    LOG.info(
        "{}: producing {} {} to {} with schema id {}",
        name,
        contract.id(),
        contract.version(),
        topic,
        schemaId);
  }

  private static int propagatedFields(Telemetry telemetry) {
    try {
      return telemetry.propagator().fields().size();
    } catch (RuntimeException e) {
      Telemetry.failed(e);
      return 2;
    }
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public CompletableFuture<SendResult> send(T value) {
    return send(value, SendOptions.none());
  }

  @Override
  public CompletableFuture<SendResult> send(T value, SendOptions options) {
    return send(value, options, List.of());
  }

  /**
   * Sends with extra headers the SDK sets (dual publishing: the translated record names the
   * original's type and id).
   *
   * @param value the value
   * @param options the options
   * @param extra headers to add
   * @return the result
   */
  public CompletableFuture<SendResult> send(T value, SendOptions options, List<Header> extra) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(options, "options");
    return guarded(value, null, options, extra, null);
  }

  /**
   * Sends, or with no value deletes the key, with an event id the caller derived (a bridge: the
   * same legacy record always gets the same id), in the 36-character text form of a UUID.
   *
   * @param value the value, or null for the tombstone of {@code deletedKey}
   * @param deletedKey the key a tombstone deletes (STATE products only), null with a value
   * @param options the options
   * @param eventId the {@code ce_id} bytes
   * @return the result
   */
  public CompletableFuture<SendResult> send(
      @Nullable T value, @Nullable String deletedKey, SendOptions options, byte[] eventId) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(eventId, "eventId");
    if (value == null) {
      requireState();
    }
    return guarded(value, deletedKey, options, List.of(), eventId);
  }

  @Override
  public CompletableFuture<SendResult> delete(String key) {
    return delete(key, SendOptions.none());
  }

  @Override
  public CompletableFuture<SendResult> delete(String key, SendOptions options) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(options, "options");
    requireState();
    return guarded(null, key, options, List.of(), null);
  }

  private void requireState() {
    if (contract.kind() != ProductKind.STATE) {
      throw new IllegalStateException(
          contract.id()
              + " is an EVENTS product: its records say what happened and are not deleted;"
              + " only STATE products (the latest value per key) delete keys");
    }
  }

  /** Counts the record in flight, refuses it once closed, and sends it. */
  private CompletableFuture<SendResult> guarded(
      @Nullable T value,
      @Nullable String deletedKey,
      SendOptions options,
      List<Header> extra,
      byte @Nullable [] eventId) {
    // counted before the closed check, so that a close() that begins now waits for this record
    inFlight.incrementAndGet();
    boolean handedOver = false;
    try {
      if (closed) {
        throw new IllegalStateException("producer of " + contract.id() + " is closed");
      }
      CompletableFuture<SendResult> result = new CompletableFuture<>();
      handedOver = doSend(value, deletedKey, options, extra, eventId, result);
      return result;
    } finally {
      if (!handedOver) {
        sent();
      }
    }
  }

  /**
   * Checks, encodes and hands the record to Kafka; with no value, a tombstone of the key.
   *
   * @return whether Kafka took it, so that its callback will count it as done
   */
  private boolean doSend(
      @Nullable T value,
      @Nullable String deletedKey,
      SendOptions options,
      List<Header> extra,
      byte @Nullable [] eventId,
      CompletableFuture<SendResult> result) {
    boolean tracingOff = telemetry.tracingOff();
    String key;
    byte[] valueBytes;
    Header[] fixedHeaders;
    if (value != null) {
      try {
        valueBytes = codec.encodeFramedChecked(schemaId, value);
      } catch (ContractViolationException e) {
        Telemetry.safely(violations::increment);
        throw e;
      }
      key = contract.key(value);
      fixedHeaders = staticHeaders;
    } else {
      key = Objects.requireNonNull(deletedKey, "key");
      valueBytes = null; // a tombstone: no data, so no data schema or content type either
      fixedHeaders = tombstoneHeaders;
    }
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    byte[] eventIdBytes = eventId != null ? eventId : EventIds.nextBytes();
    // millisecond precision, like the record timestamp, so every reader sees the same time
    Instant given = options.eventTime().orElse(null);
    Instant eventTime =
        Instant.ofEpochMilli(given != null ? given.toEpochMilli() : System.currentTimeMillis());

    List<EventRef> scoped = LineageScope.currentParents();
    boolean lineage = !scoped.isEmpty() || !options.parents().isEmpty();
    // sized for every header this send may write; the static ones are not cloned per record
    HeaderBuffer all =
        new HeaderBuffer(
            fixedHeaders.length
                + (fullHeaders ? 2 : 1)
                + (lineage ? 2 : 0)
                + extra.size()
                + options.headers().size()
                + (tracingOff ? 0 : propagatedFields));
    all.addAll(fixedHeaders);
    all.add(new RecordHeader(MeshHeaders.ID, eventIdBytes));
    if (fullHeaders) {
      all.add(new RecordHeader(MeshHeaders.TIME, Rfc3339.format(eventTime)));
    }
    if (lineage) {
      addParents(all, scoped, options.parents());
    }
    for (Header h : extra) {
      all.add(h);
    }
    for (Map.Entry<String, byte[]> h : options.headers().entrySet()) {
      all.add(new RecordHeader(h.getKey(), h.getValue()));
    }
    Span span;
    if (tracingOff) {
      span = Span.getInvalid(); // a no-op tracer and nothing to propagate: skip the span work
    } else {
      span = startSpan(key, new String(eventIdBytes, StandardCharsets.ISO_8859_1));
      injectTrace(span, all);
    }
    // ProducerRecord copies a RecordHeaders with one array copy; any other Iterable it walks
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            topic,
            null,
            eventTime.toEpochMilli(),
            keyBytes,
            valueBytes,
            new RecordHeaders(all.toArray()));
    long start = timing ? System.nanoTime() : 0L;
    try {
      producer.send(
          record,
          (metadata, error) -> {
            try {
              completed(
                  metadata,
                  error,
                  result,
                  span,
                  start,
                  valueBytes == null ? 0 : valueBytes.length,
                  eventIdBytes,
                  eventTime);
            } finally {
              sent(); // after the future: a close() returns once the caller has its answer
            }
          });
      return true;
    } catch (RuntimeException e) {
      Telemetry.safely(
          () -> {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            span.end();
          });
      result.completeExceptionally(
          new SendFailedException(contract.id() + ": sending to " + topic + " failed: " + e, e));
      return false;
    }
  }

  /** Completes a send on Kafka's I/O thread: meters, span, then the caller's future. */
  private void completed(
      @Nullable RecordMetadata metadata,
      @Nullable Exception error,
      CompletableFuture<SendResult> result,
      Span span,
      long start,
      int size,
      byte[] eventIdBytes,
      Instant eventTime) {
    long elapsed = System.nanoTime() - start;
    if (error != null || metadata == null) {
      Exception cause = error != null ? error : new KafkaException("no metadata");
      Telemetry.safely(
          () -> {
            sendFailure.record(elapsed, TimeUnit.NANOSECONDS);
            span.recordException(cause);
            span.setStatus(StatusCode.ERROR);
            span.end();
          });
      result.completeExceptionally(
          new SendFailedException(
              contract.id() + ": sending to " + topic + " failed: " + cause, cause));
      return;
    }
    Telemetry.safely(
        () -> {
          if (timing) {
            sendSuccess.record(elapsed, TimeUnit.NANOSECONDS);
            bytes.record(size);
          }
          span.setAttribute(MeshTracing.PARTITION, Integer.toString(metadata.partition()));
          span.setAttribute(MeshTracing.OFFSET, metadata.offset());
          span.end();
        });
    result.complete(
        SendResult.of(
            topic,
            metadata.partition(),
            metadata.offset(),
            new String(eventIdBytes, StandardCharsets.ISO_8859_1),
            schemaId,
            eventTime));
  }

  private Span startSpan(@Nullable String key, String eventId) {
    try {
      var builder =
          telemetry
              .tracer()
              .spanBuilder(spanName)
              .setSpanKind(SpanKind.PRODUCER)
              .setAttribute(MeshTracing.MESSAGING_SYSTEM, "kafka")
              .setAttribute(MeshTracing.DESTINATION, topic)
              .setAttribute(MeshTracing.OPERATION_TYPE, "send")
              .setAttribute(MeshTracing.OPERATION_NAME, MeshTracing.PUBLISH)
              .setAttribute(MeshTracing.MESSAGE_ID, eventId)
              .setAttribute(MeshTracing.PRODUCT, contract.id())
              .setAttribute(MeshTracing.PRODUCT_VERSION, contract.version().toString());
      if (key != null && !keyIsPii) {
        builder.setAttribute(MeshTracing.MESSAGE_KEY, key);
      }
      return builder.startSpan();
    } catch (RuntimeException e) {
      Telemetry.failed(e);
      return Span.getInvalid();
    }
  }

  /** Injects the trace context unless the caller already put a traceparent in the headers. */
  private void injectTrace(Span span, HeaderBuffer all) {
    if (all.contains(MeshHeaders.TRACEPARENT)) {
      return;
    }
    RecordHeaders carrier = new RecordHeaders();
    Telemetry.safely(
        () -> telemetry.propagator().inject(Context.current().with(span), carrier, SETTER));
    for (Header h : carrier) {
      all.replace(h);
    }
  }

  private static void addParents(
      HeaderBuffer headers, List<EventRef> scoped, List<EventRef> explicit) {
    List<EventRef> all = new ArrayList<>(scoped.size() + explicit.size());
    for (EventRef r : scoped) {
      if (!all.contains(r)) {
        all.add(r);
      }
    }
    for (EventRef r : explicit) {
      if (!all.contains(r)) {
        all.add(r);
      }
    }
    int kept = Math.min(all.size(), MeshHeaders.MAX_PARENTS);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kept; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(all.get(i));
    }
    headers.add(
        new RecordHeader(MeshHeaders.PARENTS, sb.toString().getBytes(StandardCharsets.UTF_8)));
    if (all.size() > kept) {
      headers.add(
          new RecordHeader(
              MeshHeaders.PARENTS_DROPPED,
              Integer.toString(all.size() - kept).getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The headers of one record, collected in an array of the size they will have. */
  private static final class HeaderBuffer {
    private Header[] items;
    private int size;

    HeaderBuffer(int capacity) {
      items = new Header[capacity];
    }

    void add(Header h) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2 + 1);
      }
      items[size++] = h;
    }

    void addAll(Header[] hs) {
      for (Header h : hs) {
        add(h);
      }
    }

    boolean contains(String key) {
      for (int i = 0; i < size; i++) {
        if (items[i].key().equals(key)) {
          return true;
        }
      }
      return false;
    }

    /** Adds h in place of any header with its key. */
    void replace(Header h) {
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (!items[i].key().equals(h.key())) {
          items[kept++] = items[i];
        }
      }
      Arrays.fill(items, kept, size, null);
      size = kept;
      add(h);
    }

    Header[] toArray() {
      return size == items.length ? items : Arrays.copyOf(items, size);
    }
  }

  @Override
  public ProductContract<T> contract() {
    return contract;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public int schemaId() {
    return schemaId;
  }

  /** Flushes the Kafka producer this producer sends through (shared: others' records too). */
  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public Producer<byte[], byte[]> kafkaProducer() {
    return producer;
  }

  /**
   * Stops sending: waits, up to the close time-out, until every record this producer sent is
   * acknowledged or failed; the meters no other producer of the product uses leave the registry,
   * and the mesh forgets this producer. The Kafka producer it sent through is shared and closes
   * with the mesh.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      awaitInFlight(ctx.closeTimeout());
    } finally {
      telemetry.release(sendSuccess, sendFailure, bytes, violations);
      ctx.tracker().closed(this);
    }
  }

  /** Waits until every record this producer sent is acknowledged or failed, up to the time-out. */
  private void awaitInFlight(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          LOG.warn(
              "{}: {} records still unacknowledged after the close time-out of {}",
              name,
              inFlight.get(),
              timeout);
          return;
        }
        try {
          inFlight.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void sent() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (inFlight) {
        inFlight.notifyAll();
      }
    }
  }
}
