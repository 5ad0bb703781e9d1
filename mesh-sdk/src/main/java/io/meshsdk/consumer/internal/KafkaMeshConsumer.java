package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ErrorAction;
import io.meshsdk.consumer.Failure;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.migration.MigrationException;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.telemetry.internal.Meters;
import io.meshsdk.telemetry.internal.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
 *
 * <p>Collaborators: {@link EventReader} builds events from records, {@link DeadLetterWriter} writes
 * dead letters, {@link ConsumerMeters} and {@link ConsumerTracing} report.
 */
public final class KafkaMeshConsumer<T> implements MeshConsumer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaMeshConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final MeshContext ctx;
  private final ConsumerSettings<T> settings;
  private final ProductContract<T> contract;
  private final @Nullable TransactionHooks transactions;
  private final MeshDeserializer<T> deserializer;
  private final Consumer<byte[], byte[]> consumer;
  private final AutoCloseable consumerMetrics;
  private final EventReader<T> events;
  private final DeadLetterWriter deadLetters;
  private final ConsumerMeters meters;
  private final ConsumerTracing tracing;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final String clientId;
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;

  // poll-thread state
  private final CommitProgress progress = new CommitProgress();

  /** Whether a meter registry was given: without one, no clock is read per record for timers. */
  private final boolean timing;

  private final RetrySchedule retries;
  private final Set<TopicPartition> positioned;

  public KafkaMeshConsumer(
      MeshContext ctx, ConsumerSettings<T> settings, @Nullable TransactionHooks transactions) {
    this(ctx, settings, transactions, "");
  }

  /**
   * A consumer whose client id (and thread name) ends with {@code suffix}, for several in one
   * group.
   */
  public KafkaMeshConsumer(
      MeshContext ctx,
      ConsumerSettings<T> settings,
      @Nullable TransactionHooks transactions,
      String suffix) {
    this.ctx = ctx;
    this.settings = settings;
    this.positioned = settings.positioned();
    this.contract = settings.contract();
    this.transactions = transactions;
    this.deserializer = MeshDeserializer.of(contract, ctx.registry());
    this.clientId = ctx.application() + "-" + settings.group() + "-" + settings.topic() + suffix;
    String version = contract.version().toString();
    this.events = new EventReader<>(contract.eventType());
    this.deadLetters =
        new DeadLetterWriter(
            ctx, clientId, settings.deadLetterTopic(), settings.group(), contract, transactions);
    this.meters =
        new ConsumerMeters(
            ctx.telemetry().meters(), ctx.application(), contract.id(), version, settings.group());
    this.timing = ctx.telemetry().metricsEnabled();
    this.tracing =
        new ConsumerTracing(
            ctx.telemetry(),
            settings.topic(),
            settings.group(),
            contract.id(),
            version,
            settings.traceAsLink());
    StartPosition.Kind start = settings.start().kind();
    String reset =
        start == StartPosition.Kind.COMMITTED_OR_LATEST || start == StartPosition.Kind.LATEST
            ? "latest"
            : "earliest";
    this.consumer =
        Clients.consumer(
            ctx, clientId, settings.group(), reset, transactions != null, settings.kafka());
    this.consumerMetrics = Clients.bindMetrics(ctx.telemetry(), consumer, ctx.application());
    this.retries = new RetrySchedule(settings.backoffInitial(), settings.backoffMax(), POLL);
    this.thread = new Thread(this::run, "mesh-consumer-" + clientId);
  }

  /** Subscribes and starts the loop thread. */
  public synchronized KafkaMeshConsumer<T> start() {
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

  // ---- the loop ------------------------------------------------------------------------

  private void run() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          List<TopicPartition> due = retries.due();
          if (!due.isEmpty()) {
            consumer.resume(due);
          }
          records = consumer.poll(retries.pollTimeout());
        } catch (WakeupException e) {
          continue;
        }
        updateLag();
        if (records.isEmpty()) {
          continue;
        }
        if (transactions != null) {
          runTransactionalBatch(records, transactions);
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
          return;
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
    }
  }

  private void runTransactionalBatch(ConsumerRecords<byte[], byte[]> records, TransactionHooks tx) {
    Map<TopicPartition, Long> batchStart = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      batchStart.put(tp, records.records(tp).get(0).offset());
    }
    tx.begin();
    boolean abort = false;
    outer:
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        Step step = running ? process(r, tp) : Step.HALT_PARTITION;
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
        tx.commit(progress.offsets(batchStart.keySet()), consumer.groupMetadata());
        progress.takeDirty();
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
      progress.forget(e.getKey());
    }
  }

  private enum Step {
    CONTINUE,
    HALT_PARTITION,
    STOP
  }

  private Step process(ConsumerRecord<byte[], byte[]> r, TopicPartition tp) {
    int attempt = retries.attemptsOf(tp, r.offset()) + 1;
    long start = timing ? System.nanoTime() : 0L;
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
              e.reason().name().toLowerCase(Locale.ROOT),
              e,
              false);
    } catch (SchemaRegistryException e) {
      fail =
          new Failure(
              r.topic(), r.partition(), r.offset(), attempt, "registry", e, e.isRetriable());
    }
    if (fail == null) {
      DefaultConsumedEvent<T> event = events.read(r, value, schemaId);
      if (events.deprecated()) {
        meters.deprecated(event, clientId);
      }
      Throwable error = invoke(event);
      if (error == null) {
        if (timing) {
          Meters.recordSince(meters.handled, start);
          meters.freshness(event.eventTime());
        }
        done(tp, r.offset());
        return Step.CONTINUE;
      }
      fail =
          new Failure(
              r.topic(),
              r.partition(),
              r.offset(),
              attempt,
              reasonOf(error),
              error,
              isRetriable(error));
    }
    return decide(r, tp, fail, value, start);
  }

  private boolean isRetriable(Throwable error) {
    if (settings.isNonRetriable(error)) {
      return false;
    }
    return !(error instanceof MeshException m) || m.isRetriable();
  }

  private Step decide(
      ConsumerRecord<byte[], byte[]> r,
      TopicPartition tp,
      Failure fail,
      @Nullable T value,
      long start) {
    ErrorAction action;
    try {
      action = settings.errorHandler().onFailure(fail);
    } catch (RuntimeException e) {
      LOG.warn("{}: the error handler failed ({}); dead-lettering", clientId, e.toString());
      action = ErrorAction.DEAD_LETTER;
    }
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    switch (action) {
      case RETRY:
        Meters.recordSince(meters.retried, start);
        retryLater(tp, r.offset(), fail.attempts());
        LOG.info(
            "{}: {} failed (attempt {}, {}), retrying: {}",
            clientId,
            where,
            fail.attempts(),
            fail.reason(),
            deadLetters.safeMessage(fail.error(), value));
        return Step.HALT_PARTITION;
      case SKIP:
        Meters.recordSince(meters.skipped, start);
        LOG.warn(
            "{}: skipped {} after {} attempt(s) ({}): {}",
            clientId,
            where,
            fail.attempts(),
            fail.reason(),
            deadLetters.safeMessage(fail.error(), value));
        done(tp, r.offset());
        return Step.CONTINUE;
      case STOP:
        Meters.recordSince(meters.failed, start);
        failure = fail.error();
        LOG.error(
            "{}: stopping at {} ({}): {}",
            clientId,
            where,
            fail.reason(),
            deadLetters.safeMessage(fail.error(), value));
        consumer.seek(tp, r.offset());
        return Step.STOP;
      case DEAD_LETTER:
      default:
        try {
          deadLetters.write(r, fail, value);
        } catch (RuntimeException e) {
          LOG.warn(
              "{}: dead-lettering {} failed, retrying later: {}", clientId, where, e.toString());
          retryLater(tp, r.offset(), fail.attempts() - 1);
          return Step.HALT_PARTITION;
        }
        Meters.recordSince(meters.deadLettered, start);
        meters.deadLettered(fail.reason());
        done(tp, r.offset());
        return Step.CONTINUE;
    }
  }

  private static String reasonOf(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MigrationException) {
        return "migration";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return "handler";
  }

  @SuppressWarnings("try") // both scopes act on this thread while the handler runs
  private @Nullable Throwable invoke(DefaultConsumedEvent<T> event) {
    Span span = tracing.start(event);
    try (Scope scope = tracing.off() ? Scope.noop() : span.makeCurrent();
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

  // ---- retries and commits -------------------------------------------------------------

  private void retryLater(TopicPartition tp, long offset, int attempt) {
    retries.scheduleRetry(tp, offset, attempt);
    consumer.seek(tp, offset);
    consumer.pause(List.of(tp));
  }

  private void done(TopicPartition tp, long offset) {
    retries.passed(tp);
    progress.done(tp, offset);
  }

  private void commitAsync() {
    if (!progress.takeDirty()) {
      return;
    }
    consumer.commitAsync(
        progress.offsets(progress.partitions()),
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
    Map<TopicPartition, OffsetAndMetadata> offsets = progress.offsets(partitions);
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

  private void updateLag() {
    long total = 0;
    for (TopicPartition tp : consumer.assignment()) {
      var l = consumer.currentLag(tp);
      if (l.isPresent()) {
        total += l.getAsLong();
      }
    }
    meters.lag(total);
  }

  private void shutdown() {
    try {
      commitSync(progress.partitions());
    } finally {
      try {
        consumer.close(CloseOptions.timeout(ctx.closeTimeout()));
      } catch (RuntimeException e) {
        LOG.warn("{}: closing the consumer failed: {}", clientId, e.toString());
      }
      try {
        consumerMetrics.close();
      } catch (Exception e) {
        LOG.debug("unbinding metrics failed", e);
      }
      deadLetters.close();
      meters.close();
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
      StartPositions.apply(consumer, fresh, settings.start());
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        progress.forget(tp);
      }
      retries.forget(partitions);
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

  /** Asks the loop to stop without waiting for it. */
  void stopAsync() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void close() {
    running = false;
    if (Thread.currentThread() == thread) {
      return;
    }
    synchronized (this) {
      if (thread.getState() == Thread.State.NEW && stopped.getCount() > 0) {
        // never started (start() failed or was not called): release what was created, no loop to
        // wait for
        shutdown();
        return;
      }
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
