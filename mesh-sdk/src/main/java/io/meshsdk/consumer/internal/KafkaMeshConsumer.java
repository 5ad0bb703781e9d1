package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ErrorAction;
import io.meshsdk.consumer.Failure;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.internal.DefaultProductContract;
import io.meshsdk.contract.internal.PropertyModel;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.Rfc3339;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.MeshTracing;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one consumer, on its own thread. See {@link MeshConsumer} for the guarantees.
 *
 * <p>Retries: a failed record's partition is sought back to the record and paused until its backoff
 * has passed; the loop keeps polling (so the group membership stays alive) and other partitions go
 * on. The attempt count is kept per partition and offset.
 *
 * <p>Exactly-once mode ({@link TransactionHooks}): each polled batch is a transaction; a record
 * that must be retried aborts the batch, every partition of the batch is sought back to where the
 * batch began, and the failing partition is paused.
 */
public final class KafkaMeshConsumer<T> implements MeshConsumer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaMeshConsumer.class);
  private static final int MAX_MESSAGE = 1000;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
          List<String> keys = new ArrayList<>();
          for (Header h : carrier) {
            keys.add(h.key());
          }
          return keys;
        }

        @Override
        public @Nullable String get(@Nullable Headers carrier, String key) {
          if (carrier == null) {
            return null;
          }
          Header h = carrier.lastHeader(key);
          return h == null || h.value() == null
              ? null
              : new String(h.value(), StandardCharsets.UTF_8);
        }
      };

  private final MeshContext ctx;
  private final ConsumerSettings<T> settings;
  private final ProductContract<T> contract;
  private final @Nullable TransactionHooks transactions;
  private final MeshDeserializer<T> deserializer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AutoCloseable consumerMetrics;
  private @Nullable Producer<byte[], byte[]> deadLetterProducer;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final String clientId;
  private final String spanName;
  private final String fallbackType;
  private final List<PropertyModel> piiProperties;
  private final byte[] fallbackTypeBytes;
  private final String versionText;
  private final String[] partitionIds = new String[64];
  private byte[] lastVersionBytes = new byte[0];
  private Optional<String> lastVersion = Optional.empty();
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;

  // poll-thread state
  private final Map<TopicPartition, Long> processed = new HashMap<>();
  private boolean dirty;
  private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
  private final Map<TopicPartition, long[]> attempts = new HashMap<>();
  private final Set<TopicPartition> positioned = new HashSet<>();
  private final AtomicLong lag = new AtomicLong();

  // meters
  private final Timer handled;
  private final Timer retried;
  private final Timer deadLettered;
  private final Timer skipped;
  private final Timer failed;
  private final Timer freshness;
  private final Map<String, Counter> dlqByReason = new ConcurrentHashMap<>();
  private final Tags tags;

  public KafkaMeshConsumer(
      MeshContext ctx, ConsumerSettings<T> settings, @Nullable TransactionHooks transactions) {
    this.ctx = ctx;
    this.settings = settings;
    this.contract = settings.contract();
    this.transactions = transactions;
    this.deserializer = MeshDeserializer.of(contract, ctx.registry());
    this.clientId = ctx.application() + "-" + settings.group() + "-" + settings.topic();
    this.spanName = MeshTracing.PROCESS + " " + settings.topic();
    this.fallbackType = contract.eventType();
    this.piiProperties = piiProperties(contract);
    this.fallbackTypeBytes = fallbackType.getBytes(StandardCharsets.UTF_8);
    this.versionText = contract.version().toString();
    StartPosition.Kind start = settings.start().kind();
    String reset =
        start == StartPosition.Kind.COMMITTED_OR_LATEST || start == StartPosition.Kind.LATEST
            ? "latest"
            : "earliest";
    this.consumer =
        Clients.consumer(
            ctx, clientId, settings.group(), reset, transactions != null, settings.kafka());
    this.consumerMetrics = Clients.bindMetrics(ctx.telemetry(), consumer, ctx.application());
    this.tags =
        Tags.of(
            MeshMetrics.TAG_APPLICATION, ctx.application(),
            MeshMetrics.TAG_PRODUCT, contract.id(),
            MeshMetrics.TAG_VERSION, contract.version().toString(),
            MeshMetrics.TAG_GROUP, settings.group());
    var meters = ctx.telemetry().meters();
    this.handled =
        Timer.builder(MeshMetrics.CONSUME)
            .tags(tags)
            .tag(MeshMetrics.TAG_OUTCOME, "success")
            .register(meters);
    this.retried =
        Timer.builder(MeshMetrics.CONSUME)
            .tags(tags)
            .tag(MeshMetrics.TAG_OUTCOME, "retry")
            .register(meters);
    this.deadLettered =
        Timer.builder(MeshMetrics.CONSUME)
            .tags(tags)
            .tag(MeshMetrics.TAG_OUTCOME, "dead_letter")
            .register(meters);
    this.skipped =
        Timer.builder(MeshMetrics.CONSUME)
            .tags(tags)
            .tag(MeshMetrics.TAG_OUTCOME, "skip")
            .register(meters);
    this.failed =
        Timer.builder(MeshMetrics.CONSUME)
            .tags(tags)
            .tag(MeshMetrics.TAG_OUTCOME, "failure")
            .register(meters);
    this.freshness = Timer.builder(MeshMetrics.CONSUME_FRESHNESS).tags(tags).register(meters);
    Gauge.builder(MeshMetrics.CONSUME_LAG, lag, AtomicLong::get).tags(tags).register(meters);
    this.thread = new Thread(this::run, "mesh-consumer-" + clientId);
    this.thread.setDaemon(false);
  }

  /** Subscribes and starts the loop thread. */
  public KafkaMeshConsumer<T> start() {
    consumer.subscribe(List.of(settings.topic()), new Rebalance());
    thread.start();
    LOG.info(
        "{}: consuming {} from {} in group {} ({})",
        clientId,
        contract.id(),
        settings.topic(),
        settings.group(),
        settings.start());
    return this;
  }

  private static List<PropertyModel> piiProperties(ProductContract<?> contract) {
    List<PropertyModel> result = new ArrayList<>();
    if (contract instanceof DefaultProductContract<?> c) {
      for (PropertyModel p : c.model().properties()) {
        if (p.pii() != null) {
          result.add(p);
        }
      }
    }
    return result;
  }

  // ---- the loop ------------------------------------------------------------------------

  private void run() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          resumeDue();
          records = consumer.poll(pollTimeout());
        } catch (WakeupException e) {
          continue;
        }
        updateLag();
        if (records.isEmpty()) {
          continue;
        }
        if (transactions != null) {
          runTransactionalBatch(records);
        } else {
          runBatch(records);
          commitAsync();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("{}: consumer loop stopped: {}", clientId, e.toString(), e);
    } finally {
      running = false;
      shutdown();
    }
  }

  private void runBatch(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (!running) {
          consumer.seek(tp, r.offset());
          break;
        }
        Step step = process(r, tp);
        if (step == Step.HALT_PARTITION) {
          break;
        }
        if (step == Step.STOP) {
          running = false;
          return;
        }
      }
      if (!running) {
        return;
      }
    }
  }

  private void runTransactionalBatch(ConsumerRecords<byte[], byte[]> records) {
    TransactionHooks tx = transactions;
    Map<TopicPartition, Long> batchStart = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      batchStart.put(tp, records.records(tp).get(0).offset());
    }
    tx.begin();
    boolean abort = false;
    outer:
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (!running) {
          abort = true;
          break outer;
        }
        Step step = process(r, tp);
        if (step != Step.CONTINUE) {
          abort = true;
          if (step == Step.STOP) {
            running = false;
          }
          break outer;
        }
      }
    }
    if (!abort) {
      try {
        tx.commit(offsets(batchStart.keySet()), consumer.groupMetadata());
        dirty = false;
        return;
      } catch (KafkaException e) {
        LOG.warn(
            "{}: committing the transaction failed, the batch will be processed again: {}",
            clientId,
            e.toString());
      }
    }
    try {
      tx.abort();
    } catch (KafkaException e) {
      failure = e;
      running = false;
      LOG.error("{}: aborting the transaction failed; stopping: {}", clientId, e.toString());
    }
    for (Map.Entry<TopicPartition, Long> e : batchStart.entrySet()) {
      consumer.seek(e.getKey(), e.getValue());
      processed.remove(e.getKey());
    }
  }

  private enum Step {
    CONTINUE,
    HALT_PARTITION,
    STOP
  }

  private Step process(ConsumerRecord<byte[], byte[]> r, TopicPartition tp) {
    int attempt = attemptsOf(tp, r.offset()) + 1;
    long start = System.nanoTime();
    T value = null;
    int schemaId = -1;
    Failure fail = null;
    try {
      if (r.value() != null) {
        schemaId = WireFormat.schemaId(r.value());
        value = deserializer.deserialize(r.topic(), r.value());
      }
    } catch (RecordDecodingException e) {
      fail =
          new Failure(
              r.topic(),
              r.partition(),
              r.offset(),
              attempt,
              e.reason().name().toLowerCase(java.util.Locale.ROOT),
              e,
              false);
    } catch (SchemaRegistryException e) {
      fail =
          new Failure(
              r.topic(), r.partition(), r.offset(), attempt, "registry", e, e.isRetriable());
    }
    if (fail == null) {
      DefaultConsumedEvent<T> event = event(r, value, schemaId);
      Throwable error = invoke(event);
      if (error == null) {
        recordTime(handled, start);
        long age = System.currentTimeMillis() - event.eventTime().toEpochMilli();
        Telemetry.safely(() -> freshness.record(Math.max(0, age), TimeUnit.MILLISECONDS));
        done(tp, r.offset());
        return Step.CONTINUE;
      }
      boolean retriable =
          !settings.isNonRetriable(error)
              && !(error instanceof MeshException m
                  && !m.isRetriable()
                  && !(error instanceof ProcessorOutputException));
      fail =
          new Failure(
              r.topic(), r.partition(), r.offset(), attempt, reasonOf(error), error, retriable);
    }
    ErrorAction action;
    try {
      action = settings.errorHandler().onFailure(fail);
    } catch (RuntimeException e) {
      LOG.warn("{}: the error handler failed ({}); dead-lettering", clientId, e.toString());
      action = ErrorAction.DEAD_LETTER;
    }
    switch (action) {
      case RETRY:
        recordTime(retried, start);
        retryLater(tp, r.offset(), attempt);
        LOG.info(
            "{}: {}-{}@{} failed (attempt {}, {}), retrying: {}",
            clientId,
            r.topic(),
            r.partition(),
            r.offset(),
            attempt,
            fail.reason(),
            safeMessage(fail.error(), value));
        return Step.HALT_PARTITION;
      case SKIP:
        recordTime(skipped, start);
        LOG.warn(
            "{}: skipped {}-{}@{} after {} attempt(s) ({}): {}",
            clientId,
            r.topic(),
            r.partition(),
            r.offset(),
            attempt,
            fail.reason(),
            safeMessage(fail.error(), value));
        done(tp, r.offset());
        return Step.CONTINUE;
      case STOP:
        recordTime(failed, start);
        failure = fail.error();
        LOG.error(
            "{}: stopping at {}-{}@{} ({}): {}",
            clientId,
            r.topic(),
            r.partition(),
            r.offset(),
            fail.reason(),
            safeMessage(fail.error(), value));
        consumer.seek(tp, r.offset());
        return Step.STOP;
      case DEAD_LETTER:
      default:
        try {
          deadLetter(r, fail, value);
        } catch (RuntimeException e) {
          LOG.warn(
              "{}: dead-lettering {}-{}@{} failed, retrying later: {}",
              clientId,
              r.topic(),
              r.partition(),
              r.offset(),
              e.toString());
          retryLater(tp, r.offset(), attempt - 1);
          return Step.HALT_PARTITION;
        }
        recordTime(deadLettered, start);
        String reason = fail.reason();
        Telemetry.safely(
            () ->
                dlqByReason
                    .computeIfAbsent(
                        reason,
                        x ->
                            Counter.builder(MeshMetrics.DLQ)
                                .tags(tags)
                                .tag(MeshMetrics.TAG_REASON, x)
                                .register(ctx.telemetry().meters()))
                    .increment());
        done(tp, r.offset());
        return Step.CONTINUE;
    }
  }

  private static String reasonOf(Throwable error) {
    return error instanceof MigrationFailure ? "migration" : "handler";
  }

  /** Marker for failures of a migration step, dead-lettered with reason {@code migration}. */
  public interface MigrationFailure {}

  /** A processor's output could not be sent; retried like a handler failure. */
  public static final class ProcessorOutputException extends MeshException {
    private static final long serialVersionUID = 1L;

    public ProcessorOutputException(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public boolean isRetriable() {
      return true;
    }
  }

  private @Nullable Throwable invoke(DefaultConsumedEvent<T> event) {
    Span span = startSpan(event);
    try (Scope scope = span.makeCurrent();
        LineageScope lineage = LineageScope.open(event.lineage().self())) {
      settings.handler().handle(event);
      Telemetry.safely(span::end);
      return null;
    } catch (Exception | LinkageError | AssertionError e) {
      Telemetry.safely(
          () -> {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            span.end();
          });
      return e;
    }
  }

  private Span startSpan(DefaultConsumedEvent<T> event) {
    try {
      Context extracted =
          ctx.telemetry().propagator().extract(Context.root(), event.headers(), GETTER);
      SpanBuilder builder =
          ctx.telemetry()
              .tracer()
              .spanBuilder(spanName)
              .setSpanKind(SpanKind.CONSUMER)
              .setAttribute(MeshTracing.MESSAGING_SYSTEM, "kafka")
              .setAttribute(MeshTracing.DESTINATION, event.topic())
              .setAttribute(MeshTracing.PARTITION, partitionId(event.partition()))
              .setAttribute(MeshTracing.OFFSET, event.offset())
              .setAttribute(MeshTracing.CONSUMER_GROUP, settings.group())
              .setAttribute(MeshTracing.OPERATION_TYPE, "process")
              .setAttribute(MeshTracing.OPERATION_NAME, MeshTracing.PROCESS)
              .setAttribute(MeshTracing.MESSAGE_ID, event.eventId())
              .setAttribute(MeshTracing.PRODUCT, contract.id())
              .setAttribute(MeshTracing.PRODUCT_VERSION, versionText);
      var producerSpan = Span.fromContext(extracted).getSpanContext();
      if (settings.traceAsLink()) {
        builder.setNoParent();
        if (producerSpan.isValid()) {
          builder.addLink(producerSpan);
        }
      } else {
        builder.setParent(extracted);
      }
      return builder.startSpan();
    } catch (RuntimeException e) {
      Telemetry.failed(e);
      return Span.getInvalid();
    }
  }

  private DefaultConsumedEvent<T> event(
      ConsumerRecord<byte[], byte[]> r, @Nullable T value, int schemaId) {
    Headers headers = r.headers();
    // one pass over the headers; values are decoded only where needed
    Header idHeader = null;
    Header typeHeader = null;
    Header time = null;
    Header versionHeader = null;
    Header parentsHeader = null;
    Header droppedHeader = null;
    for (Header h : headers) {
      switch (h.key()) {
        case MeshHeaders.ID -> idHeader = h;
        case MeshHeaders.TYPE -> typeHeader = h;
        case MeshHeaders.TIME -> time = h;
        case MeshHeaders.VERSION -> versionHeader = h;
        case MeshHeaders.PARENTS -> parentsHeader = h;
        case MeshHeaders.PARENTS_DROPPED -> droppedHeader = h;
        default -> {}
      }
    }
    String id =
        idHeader != null && idHeader.value() != null
            ? new String(idHeader.value(), StandardCharsets.UTF_8)
            : r.topic() + "-" + r.partition() + "@" + r.offset();
    String type = fallbackType;
    if (typeHeader != null
        && typeHeader.value() != null
        && !Arrays.equals(typeHeader.value(), fallbackTypeBytes)) {
      type = new String(typeHeader.value(), StandardCharsets.UTF_8);
    }
    Instant timestamp = Instant.ofEpochMilli(r.timestamp());
    Instant eventTime = timestamp;
    if (time != null && time.value() != null) {
      try {
        eventTime = Rfc3339.parse(time.value());
      } catch (DateTimeParseException e) {
        // keep the record timestamp
      }
    }
    List<EventRef> parents =
        parentsHeader == null || parentsHeader.value() == null
            ? List.of()
            : Lineage.parseParents(new String(parentsHeader.value(), StandardCharsets.UTF_8));
    int dropped =
        droppedHeader == null || droppedHeader.value() == null
            ? 0
            : parseIntOrZero(new String(droppedHeader.value(), StandardCharsets.UTF_8));
    EventRef self;
    try {
      self = new EventRef(type, id, r.topic(), r.partition(), r.offset());
    } catch (IllegalArgumentException e) {
      self =
          new EventRef(
              fallbackType,
              r.topic() + "-" + r.partition() + "@" + r.offset(),
              r.topic(),
              r.partition(),
              r.offset());
    }
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    return new DefaultConsumedEvent<>(
        value,
        key,
        new Lineage(self, parents, dropped),
        id,
        eventTime,
        writerVersion(versionHeader),
        r.topic(),
        r.partition(),
        r.offset(),
        timestamp,
        schemaId,
        readOnly(headers));
  }

  private Optional<String> writerVersion(@Nullable Header header) {
    if (header == null || header.value() == null) {
      return Optional.empty();
    }
    if (!Arrays.equals(header.value(), lastVersionBytes)) {
      lastVersionBytes = header.value().clone();
      lastVersion = Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
    return lastVersion;
  }

  private static Headers readOnly(Headers headers) {
    if (headers instanceof RecordHeaders own) {
      own.setReadOnly(); // the record's own headers: nothing else holds them
      return own;
    }
    RecordHeaders copy = new RecordHeaders(headers.toArray());
    copy.setReadOnly();
    return copy;
  }

  private String partitionId(int partition) {
    if (partition >= partitionIds.length) {
      return Integer.toString(partition);
    }
    String id = partitionIds[partition];
    if (id == null) {
      id = Integer.toString(partition);
      partitionIds[partition] = id;
    }
    return id;
  }

  private static int parseIntOrZero(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---- retries, commits, dead letters --------------------------------------------------

  private int attemptsOf(TopicPartition tp, long offset) {
    long[] a = attempts.get(tp);
    return a != null && a[0] == offset ? (int) a[1] : 0;
  }

  private void retryLater(TopicPartition tp, long offset, int attempt) {
    attempts.put(tp, new long[] {offset, attempt});
    consumer.seek(tp, offset);
    consumer.pause(List.of(tp));
    long delay = backoff(Math.max(1, attempt));
    resumeAt.put(tp, System.nanoTime() + delay);
  }

  private long backoff(int attempt) {
    long initial = settings.backoffInitial().toNanos();
    long max = settings.backoffMax().toNanos();
    long delay = initial;
    for (int i = 1; i < attempt && delay < max; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, max);
    // +/- 20 % jitter, so that many consumers do not retry in step
    long jitter = delay / 5;
    return jitter > 0
        ? delay - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1)
        : delay;
  }

  private void resumeDue() {
    if (resumeAt.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<TopicPartition> due = new ArrayList<>();
    resumeAt
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() - now <= 0) {
                due.add(e.getKey());
                return true;
              }
              return false;
            });
    if (!due.isEmpty()) {
      consumer.resume(due);
    }
  }

  private Duration pollTimeout() {
    if (resumeAt.isEmpty()) {
      return POLL;
    }
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (long t : resumeAt.values()) {
      next = Math.min(next, t - now);
    }
    return Duration.ofNanos(Math.max(0, Math.min(next, POLL.toNanos())));
  }

  private void done(TopicPartition tp, long offset) {
    attempts.remove(tp);
    processed.put(tp, offset + 1);
    dirty = true;
  }

  private Map<TopicPartition, OffsetAndMetadata> offsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Long next = processed.get(tp);
      if (next != null) {
        result.put(tp, new OffsetAndMetadata(next));
      }
    }
    return result;
  }

  private void commitAsync() {
    if (!dirty) {
      return;
    }
    dirty = false;
    consumer.commitAsync(
        new HashMap<>(offsets(processed.keySet())),
        (offsets, error) -> {
          if (error != null) {
            LOG.debug(
                "{}: asynchronous commit failed (the next commit covers it): {}",
                clientId,
                error.toString());
          }
        });
  }

  private void commitSync(Collection<TopicPartition> partitions) {
    if (transactions != null) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = offsets(partitions);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      try {
        consumer.commitSync(offsets, ctx.closeTimeout());
      } catch (WakeupException e) {
        // close() woke the consumer outside poll(); the wakeup is spent now, so commit again
        consumer.commitSync(offsets, ctx.closeTimeout());
      }
    } catch (KafkaException e) {
      LOG.warn(
          "{}: committing {} failed; those records will be delivered again: {}",
          clientId,
          offsets,
          e.toString());
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> r, Failure f, @Nullable T value) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      if (!h.key().startsWith(MeshHeaders.DLQ_PREFIX)) {
        headers.add(h);
      }
    }
    add(headers, MeshHeaders.DLQ_REASON, f.reason());
    add(headers, MeshHeaders.DLQ_EXCEPTION, f.error().getClass().getName());
    add(headers, MeshHeaders.DLQ_MESSAGE, safeMessage(f.error(), value));
    add(headers, MeshHeaders.DLQ_TOPIC, r.topic());
    add(headers, MeshHeaders.DLQ_PARTITION, Integer.toString(r.partition()));
    add(headers, MeshHeaders.DLQ_OFFSET, Long.toString(r.offset()));
    add(headers, MeshHeaders.DLQ_TIMESTAMP, Long.toString(r.timestamp()));
    add(headers, MeshHeaders.DLQ_GROUP, settings.group());
    add(headers, MeshHeaders.DLQ_ATTEMPTS, Integer.toString(f.attempts()));
    add(headers, MeshHeaders.DLQ_TIME, Instant.now().toString());
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(settings.deadLetterTopic(), null, null, r.key(), r.value(), headers);
    if (transactions != null) {
      transactions.producer().send(record);
      return;
    }
    try {
      deadLetterProducer().send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while dead-lettering", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new MeshException(
          "dead-lettering to " + settings.deadLetterTopic() + " failed: " + e, e);
    }
    LOG.warn(
        "{}: dead-lettered {}-{}@{} to {} after {} attempt(s) ({})",
        clientId,
        r.topic(),
        r.partition(),
        r.offset(),
        settings.deadLetterTopic(),
        f.attempts(),
        f.reason());
  }

  private Producer<byte[], byte[]> deadLetterProducer() {
    if (deadLetterProducer == null) {
      KafkaProducer<byte[], byte[]> p = Clients.producer(ctx, clientId + "-dlq", null);
      deadLetterProducer = p;
    }
    return deadLetterProducer;
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The exception message, truncated, with the record's PII values masked. */
  private String safeMessage(Throwable error, @Nullable T value) {
    String message = String.valueOf(error.getMessage());
    if (value != null) {
      for (PropertyModel p : piiProperties) {
        try {
          Object v = p.accessor().get(value);
          String text = v == null ? null : v.toString();
          if (text != null && text.length() >= 3) {
            message = message.replace(text, "***");
          }
        } catch (RuntimeException e) {
          // masking is best effort on a value that has already failed
        }
      }
    }
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
  }

  private void recordTime(Timer timer, long start) {
    long elapsed = System.nanoTime() - start;
    Telemetry.safely(() -> timer.record(elapsed, TimeUnit.NANOSECONDS));
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition tp : consumer.assignment()) {
      var l = consumer.currentLag(tp);
      if (l.isPresent()) {
        total += l.getAsLong();
      }
    }
    lag.set(total);
  }

  private void shutdown() {
    try {
      commitSync(processed.keySet());
    } finally {
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(ctx.closeTimeout()));
      } catch (RuntimeException e) {
        LOG.warn("{}: closing the consumer failed: {}", clientId, e.toString());
      }
      try {
        consumerMetrics.close();
      } catch (Exception e) {
        LOG.debug("unbinding metrics failed", e);
      }
      if (deadLetterProducer != null) {
        deadLetterProducer.close(ctx.closeTimeout());
      }
      stopped.countDown();
      LOG.info("{}: stopped", clientId);
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      commitSync(partitions);
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      List<TopicPartition> fresh = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        if (positioned.add(tp)) {
          fresh.add(tp);
        }
      }
      if (fresh.isEmpty()) {
        return;
      }
      StartPosition start = settings.start();
      switch (start.kind()) {
        case EARLIEST:
          consumer.seekToBeginning(fresh);
          break;
        case LATEST:
          consumer.seekToEnd(fresh);
          break;
        case TIMESTAMP:
          Map<TopicPartition, Long> query = new HashMap<>();
          for (TopicPartition tp : fresh) {
            query.put(tp, start.time().toEpochMilli());
          }
          Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
          for (TopicPartition tp : fresh) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
              consumer.seekToEnd(List.of(tp));
            } else {
              consumer.seek(tp, o.offset());
            }
          }
          break;
        default:
          break;
      }
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        processed.remove(tp);
        attempts.remove(tp);
        resumeAt.remove(tp);
      }
    }
  }

  // ---- handle --------------------------------------------------------------------------

  @Override
  public String group() {
    return settings.group();
  }

  @Override
  public String topic() {
    return settings.topic();
  }

  @Override
  public String deadLetterTopic() {
    return settings.deadLetterTopic();
  }

  @Override
  public boolean isRunning() {
    return running && stopped.getCount() > 0;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    running = false;
    if (Thread.currentThread() == thread) {
      return;
    }
    consumer.wakeup();
    try {
      if (!stopped.await(ctx.closeTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: did not stop within the close timeout", clientId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MeshConsumer[" + clientId + ", running=" + isRunning() + "]";
  }
}
