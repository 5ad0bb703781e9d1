package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.DeadLetterException;
import io.meshsdk.consumer.ErrorAction;
import io.meshsdk.consumer.Failure;
import io.meshsdk.consumer.FailureReason;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshConsumer.Ordering;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.KeyManagementException;
import io.meshsdk.crypto.internal.Withheld;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.errors.MeshException;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.SchemaIdLocation;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.serde.internal.AvroKeys;
import io.meshsdk.serde.internal.Codecs;
import io.meshsdk.telemetry.internal.Meters;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * on. The attempt count follows the failing record (partition and offset). A record whose writer
 * schema the registry cannot give waits the same way without counting attempts, until the registry
 * answers. A dead letter that cannot be written is written again (without calling the handler) a
 * bounded number of times; then, or at once when the broker refuses it for good, the consumer stops
 * with the record unconsumed.
 *
 * <p>Exactly-once mode ({@link TransactionHooks}): each polled batch is a transaction; a record
 * that must be retried aborts the batch, every partition of the batch is sought back to where the
 * batch began, and the failing partition is paused.
 *
 * <p>Parallel mode ({@code KEY} and {@code UNORDERED} order, {@link ParallelScheduler}): the poll
 * thread still decodes every record (so registry and key outages pause and seek exactly as above),
 * then hands the event to the scheduler's workers, which call the handler, retry on the scheduler's
 * timer and write dead letters. The poll thread commits the scheduler's positions. When the records
 * held reach their bound, it pauses every partition and keeps the rest of the polled batch in a
 * backlog (fetching it again would cost the broker a read); once a quarter of the bound is free it
 * hands the backlog over, then resumes the partitions.
 *
 * <p>Collaborators: {@link EventReader} builds events from records, {@link DeadLetterWriter} writes
 * dead letters, {@link ConsumerMeters} and {@link ConsumerTracing} report.
 */
public final class KafkaMeshConsumer<T> implements MeshConsumer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaMeshConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** Writes of one dead letter before the consumer stops when the broker keeps failing them. */
  static final int DEAD_LETTER_WRITES = 5;

  /** Transactions that may fail to commit in a row before an exactly-once consumer stops. */
  static final int COMMIT_FAILURES = 10;

  /** The shortest time between two asynchronous commits of a parallel consumer. */
  private static final long PARALLEL_COMMIT_INTERVAL = Duration.ofMillis(100).toNanos();

  /** When a parallel consumer last committed asynchronously. Poll thread only. */
  private long lastCommit = System.nanoTime();

  /** The shortest wait before asking the registry again. */
  private static final long MIN_REGISTRY_WAIT = Duration.ofMillis(100).toNanos();

  private final MeshContext ctx;
  private final ConsumerSettings<T> settings;
  private final ProductContract<T> contract;

  /** Whether the product has encrypted fields, whose withheld values the events name. */
  private final boolean encrypted;

  private final @Nullable TransactionHooks transactions;
  private final MeshDeserializer<T> deserializer;
  private final AvroKeys keys;
  private final Consumer<byte[], byte[]> consumer;
  private final AutoCloseable consumerMetrics;
  private final EventReader<T> events;
  private final DeadLetterWriter deadLetters;
  private final ConsumerMeters meters;
  private final ConsumerTracing tracing;
  private final HandlerCall<T> call;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final String clientId;
  private volatile boolean running = true;
  private volatile boolean closeRequested;
  private final java.util.concurrent.atomic.AtomicBoolean released =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile @Nullable Throwable failure;

  // poll-thread state
  private final CommitProgress progress = new CommitProgress();

  /** Whether a meter registry was given: without one, no clock is read per record for timers. */
  private final boolean timing;

  private final RetrySchedule retries;
  private final Set<TopicPartition> positioned;

  /** The workers of a consumer in KEY or UNORDERED order; null in partition order. */
  private final @Nullable ParallelScheduler parallel;

  /**
   * How long a revocation waits for the handlers of the revoked partitions: the close time-out, but
   * at most half of {@code max.poll.interval.ms}, since it runs inside poll().
   */
  private final Duration revokeWait;

  /** Set once the scheduler shut down: a revocation while closing has nothing to wait for. */
  private boolean handlersStopped;

  /** Partitions paused because the records held reached their bound. Poll thread only. */
  private final Set<TopicPartition> pausedForRoom = new HashSet<>();

  /**
   * Records polled while the records held were at their bound, in poll order: handed to the workers
   * as room frees, before the paused partitions resume. Poll thread only.
   */
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();

  /**
   * Partitions waiting for a service their next record needs, and which: {@link
   * State#WAITING_FOR_REGISTRY} (a writer schema) or {@link State#WAITING_FOR_KEYS} (a data key).
   * While any wait, an outage is on. Poll thread only.
   */
  private final Map<TopicPartition, State> waitingFor = new HashMap<>();

  /** When each outage began, by what it waits for. Poll thread only. */
  private final Map<State, Long> outageSince = new java.util.EnumMap<>(State.class);

  /** The state an outage shows: the registry's first, then the keys'; null when none. */
  private volatile @Nullable State outageState;

  private int outageWaits;

  /** Records whose dead letter could not be written yet, per partition: written next, no retry. */
  private final Map<TopicPartition, PendingDeadLetter<T>> pendingDeadLetters = new HashMap<>();

  /** Transactions that failed to commit in a row (exactly-once mode). */
  private int commitFailures;

  /** Whether the topic was seen to exist; until then the loop checks for it, up to a deadline. */
  private boolean topicSeen;

  private volatile boolean waitingForTopic;
  private long topicDeadline;
  private long nextTopicCheck;

  /**
   * A record the error handler gave up on whose dead letter failed to be written: the next time its
   * partition reaches it, the dead letter is written again without calling the handler.
   */
  private record PendingDeadLetter<T>(
      long offset, Failure failure, @Nullable T value, int writes) {}

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
    this.encrypted = !contract.encryptedFields().isEmpty();
    this.deserializer =
        MeshDeserializer.of(
            Codecs.create(contract, ctx.fieldCipher()).limits(ctx.decodeLimits()), ctx.registry());
    this.keys = new AvroKeys(ctx.registry(), ctx.decodeLimits());
    this.clientId =
        Clients.clientId(
            ctx.application() + "-" + settings.group() + "-" + settings.topic() + suffix);
    String version = contract.version().toString();
    if (settings.ordering() == Ordering.PARTITION) {
      this.parallel = null;
    } else {
      if (transactions != null) {
        throw new MeshConfigurationException(
            clientId
                + ": an exactly-once processor handles records in partition order; ordering "
                + settings.ordering()
                + " is for at-least-once consumers");
      }
      this.parallel =
          new ParallelScheduler(
              settings.ordering() == Ordering.KEY,
              settings.parallelism(),
              settings.maxInFlight(),
              "mesh-consumer-" + clientId);
    }
    this.revokeWait = revokeWait(ctx, settings);
    this.events = new EventReader<>(contract.eventType());
    this.deadLetters =
        new DeadLetterWriter(
            ctx, clientId, settings.deadLetterTopic(), settings.group(), contract, transactions);
    this.meters =
        new ConsumerMeters(
            ctx.telemetry(), ctx.application(), contract.id(), version, settings.group());
    this.timing = ctx.telemetry().metricsEnabled();
    this.tracing =
        new ConsumerTracing(
            ctx.telemetry(),
            settings.topic(),
            settings.group(),
            contract.id(),
            version,
            settings.traceAsLink());
    this.call = new HandlerCall<>(tracing, settings.handler(), deadLetters);
    StartPosition.Kind start = settings.start().kind();
    String reset =
        start == StartPosition.Kind.COMMITTED_OR_LATEST || start == StartPosition.Kind.LATEST
            ? "latest"
            : "earliest";
    try {
      this.consumer =
          Clients.consumer(
              ctx, clientId, settings.group(), reset, transactions != null, settings.kafka());
    } catch (RuntimeException e) {
      meters.close(); // nothing else holds resources yet
      throw e;
    }
    this.consumerMetrics = Clients.bindMetrics(ctx.telemetry(), consumer, ctx.application());
    this.retries = new RetrySchedule(settings.backoffInitial(), settings.backoffMax(), POLL);
    this.thread = new Thread(this::run, "mesh-consumer-" + clientId);
    ctx.tracker()
        .consuming(contract, settings.topic(), settings.group(), settings.deadLetterTopic());
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
    topicDeadline = System.nanoTime() + settings.topicWait().toNanos();
    try {
      while (running) {
        if (!topicSeen && !awaitTopic()) {
          break;
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
          List<TopicPartition> due = retries.due();
          if (!due.isEmpty()) {
            consumer.resume(due);
          }
          Duration timeout = retries.pollTimeout();
          if (!pausedForRoom.isEmpty() || !backlog.isEmpty()) {
            timeout = makeRoom(timeout);
          }
          records = consumer.poll(timeout);
        } catch (WakeupException e) {
          continue;
        }
        updateLag();
        if (records.isEmpty()) {
          if (parallel != null) {
            parallel.positions(progress::position);
            commitAsync();
          }
          continue;
        }
        if (transactions != null) {
          runTransactionalBatch(records, transactions);
        } else {
          runBatch(records);
          if (parallel != null) {
            parallel.positions(progress::position);
          }
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
    try {
      runRecords(records);
    } finally {
      if (parallel != null) {
        parallel.flush(); // the batch's records to the workers, under one lock
      }
    }
  }

  private void runRecords(ConsumerRecords<byte[], byte[]> records) {
    boolean full = false;
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (full || (parallel != null && parallel.full())) {
          // the bound of records held is reached: this one and the rest of the batch wait here,
          // with the partitions paused, rather than be fetched again
          if (!full) {
            full = true;
            pauseForRoom();
          }
          backlog.add(r);
          continue;
        }
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

  /** Pauses every partition not already paused until the workers have room again. */
  private void pauseForRoom() {
    Set<TopicPartition> active = new HashSet<>(consumer.assignment());
    active.removeAll(consumer.paused());
    if (!active.isEmpty()) {
      consumer.pause(active);
      pausedForRoom.addAll(active);
    }
  }

  /**
   * Hands the records polled while the workers had no room to them, in order, while there is room.
   * A partition that must wait for an outage drops its records from the backlog: they are fetched
   * again from where it was sought back to.
   */
  private void drainBacklog() {
    ParallelScheduler p = Objects.requireNonNull(parallel);
    while (!backlog.isEmpty() && running && !p.full()) {
      ConsumerRecord<byte[], byte[]> r = backlog.poll();
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (process(r, tp) == Step.HALT_PARTITION) {
        backlog.removeIf(b -> b.partition() == r.partition() && b.topic().equals(r.topic()));
        pausedForRoom.remove(tp); // paused for the outage now, resumed by its schedule
      }
    }
    p.flush();
  }

  /**
   * Waits, up to the poll time-out, for the workers to make room; then hands them the backlog, and
   * resumes the partitions paused for room (those still assigned) once it is empty.
   *
   * @return how long the poll may still wait: nothing while there is no room (only the group's
   *     business is done), the time-out otherwise
   */
  private Duration makeRoom(Duration timeout) {
    ParallelScheduler p = Objects.requireNonNull(parallel);
    boolean room;
    try {
      room = p.awaitRoom(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return Duration.ZERO;
    }
    p.positions(progress::position);
    commitAsync();
    if (!room) {
      return Duration.ZERO;
    }
    drainBacklog();
    if (!backlog.isEmpty()) {
      return Duration.ZERO; // full again
    }
    Set<TopicPartition> assigned = consumer.assignment();
    pausedForRoom.removeIf(tp -> !assigned.contains(tp));
    consumer.resume(pausedForRoom);
    pausedForRoom.clear();
    return timeout;
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
    boolean commitFailed = false;
    if (!abort) {
      try {
        tx.commit(progress.offsets(batchStart.keySet()), consumer.groupMetadata());
        progress.takeDirty();
        commitFailures = 0;
        return;
      } catch (KafkaException e) {
        commitFailed = true;
        commitFailures++;
        if (commitFailures >= COMMIT_FAILURES) {
          failure =
              new MeshException(
                  clientId
                      + ": the transaction of the batch from "
                      + batchStart
                      + " failed to commit "
                      + commitFailures
                      + " times in a row; stopping, nothing of it was committed: "
                      + e,
                  e);
          running = false;
          LOG.error("{}", failure.getMessage());
        } else {
          LOG.warn(
              "{}: committing the transaction failed ({} in a row), the batch will be processed"
                  + " again: {}",
              clientId,
              commitFailures,
              e.toString());
        }
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
      if (commitFailed) {
        // back off before the batch runs again, as for a failing record
        retries.scheduleWait(e.getKey(), retries.backoff(commitFailures));
        consumer.pause(List.of(e.getKey()));
      }
    }
  }

  private enum Step {
    CONTINUE,
    HALT_PARTITION,
    STOP
  }

  private Step process(ConsumerRecord<byte[], byte[]> r, TopicPartition tp) {
    long start = timing ? System.nanoTime() : 0L;
    if (!pendingDeadLetters.isEmpty()) {
      PendingDeadLetter<T> pending = pendingDeadLetters.get(tp);
      if (pending != null && pending.offset() == r.offset()) {
        return deadLetter(r, tp, pending.failure(), pending.value(), start);
      }
    }
    int attempt = retries.attemptsOf(tp, r.offset()) + 1;
    T value = null;
    SchemaIdLocation where = null;
    EventReader.Key key = EventReader.Key.NONE;
    Failure fail = null;
    List<String> withheld = List.of();
    try {
      if (r.value() != null) {
        where = WireFormat.locate(r.value(), r.headers());
        meters.schemaIdSource(where.source());
        if (encrypted) {
          Withheld.begin();
          try {
            value = deserializer.deserialize(r.topic(), where, r.value());
          } finally {
            withheld = Withheld.drain();
          }
        } else {
          value = deserializer.deserialize(r.topic(), where, r.value());
        }
      }
      key = EventReader.key(r.topic(), r.key(), keys);
    } catch (RecordDecodingException e) {
      fail = failure(r, attempt, FailureReason.of(e.reason()), e, false);
    } catch (SchemaRegistryException e) {
      // the registry did not answer (or refused us): the record is fine, it waits
      return waitForRegistry(r, tp, e);
    } catch (KeyManagementException e) {
      if (e.isRetriable()) {
        // the KMS or the key store is down: the record is fine and its key may exist, it waits
        return waitForOutage(r, tp, State.WAITING_FOR_KEYS, e);
      }
      fail = failure(r, attempt, FailureReason.KEY_UNAVAILABLE, e, false);
    } catch (RuntimeException | Error e) {
      // the deserializer turns every failure into a RecordDecodingException; should anything
      // else escape, the record still must not stop the loop
      fail = failure(r, attempt, FailureReason.DECODER_FAILURE, e, false);
    }
    if (!waitingFor.isEmpty()) {
      answered(tp);
    }
    if (parallel != null) {
      DefaultConsumedEvent<T> event = null;
      if (fail == null) {
        event = events.read(r, value, where, key, withheld);
        if (events.deprecated()) {
          meters.deprecated(event, clientId);
        }
      }
      parallel.stage(tp, r.offset(), r.key(), new Work(r, value, event, fail));
      return Step.CONTINUE;
    }
    if (fail == null) {
      DefaultConsumedEvent<T> event = events.read(r, value, where, key, withheld);
      if (events.deprecated()) {
        meters.deprecated(event, clientId);
      }
      Throwable error = call.invoke(event);
      if (error == null) {
        if (timing) {
          Meters.recordSince(meters.handled, start);
          meters.freshness(event.eventTime());
        }
        done(tp, r.offset());
        return Step.CONTINUE;
      }
      fail = failure(r, attempt, HandlerCall.reasonOf(error), error, settings.isRetriable(error));
    }
    return decide(r, tp, fail, value, start);
  }

  private static Failure failure(
      ConsumerRecord<?, ?> r,
      int attempt,
      FailureReason reason,
      Throwable error,
      boolean retriable) {
    return Failure.of(r.topic(), r.partition(), r.offset(), attempt, reason, error, retriable);
  }

  // ---- a topic that does not exist yet ------------------------------------------------------

  /**
   * Checks, once a second, whether the topic exists; a consumer never creates it from its own
   * guesses (and {@code allow.auto.create.topics} is off), so it waits for the product's producer.
   *
   * @return false when the wait is over without the topic: the consumer fails
   */
  private boolean awaitTopic() {
    long now = System.nanoTime();
    if (now - nextTopicCheck < 0) {
      return true;
    }
    List<?> partitions;
    try {
      partitions = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(1));
    } catch (KafkaException e) {
      partitions = List.of();
    }
    if (partitions != null && !partitions.isEmpty()) {
      topicSeen = true;
      if (waitingForTopic) {
        waitingForTopic = false;
        LOG.info("{}: topic {} exists now; consuming", clientId, settings.topic());
      }
      return true;
    }
    if (!waitingForTopic) {
      waitingForTopic = true;
      LOG.warn(
          "{}: topic {} does not exist; waiting up to {} for the product's producer to create it"
              + " from the contract",
          clientId,
          settings.topic(),
          settings.topicWait());
    }
    if (now - topicDeadline >= 0) {
      failure =
          new MeshConfigurationException(
              clientId
                  + ": topic "
                  + settings.topic()
                  + " did not appear within "
                  + settings.topicWait()
                  + " (mesh.topic.wait.ms); it is created by the product's producer from its"
                  + " contract, or by this consumer with createTopicFromContract() when its class"
                  + " is the product's own");
      LOG.error("{}", failure.getMessage());
      return false;
    }
    nextTopicCheck = now + TimeUnit.SECONDS.toNanos(1);
    return true;
  }

  // ---- registry outages -------------------------------------------------------------------

  /**
   * Pauses the record's partition until the registry may answer: no attempt is counted and no dead
   * letter written, since nothing is wrong with the record. Logged and counted once per outage, not
   * per record.
   */
  private Step waitForRegistry(
      ConsumerRecord<byte[], byte[]> r, TopicPartition tp, SchemaRegistryException e) {
    return waitForOutage(r, tp, State.WAITING_FOR_REGISTRY, e);
  }

  /**
   * Pauses the record's partition until what it needs answers again: the schema registry ({@link
   * State#WAITING_FOR_REGISTRY}) or the KMS or key store of field encryption ({@link
   * State#WAITING_FOR_KEYS}). The same wait, backoff and resumption for both.
   */
  private Step waitForOutage(
      ConsumerRecord<byte[], byte[]> r, TopicPartition tp, State cause, RuntimeException e) {
    if (waitingFor.isEmpty()) {
      outageWaits = 0;
    }
    if (!outageSince.containsKey(cause)) {
      // a new outage of this service: logged and counted once, not per record or partition
      outageSince.put(cause, System.nanoTime());
      if (cause == State.WAITING_FOR_KEYS) {
        meters.keyOutage();
        LOG.warn(
            "{}: the data key of an encrypted field of {}-{}@{} cannot be loaded ({}); partitions"
                + " that need it wait, paused, and are retried until the KMS and the key store"
                + " answer. Nothing is dead-lettered or read as withheld meanwhile.",
            clientId,
            r.topic(),
            r.partition(),
            r.offset(),
            e.getMessage());
      } else {
        meters.registryOutage();
        LOG.warn(
            "{}: the schema registry cannot give the writer schema of {}-{}@{} ({}); partitions"
                + " that need it wait, paused, and are retried until it answers. Nothing is"
                + " dead-lettered meanwhile.",
            clientId,
            r.topic(),
            r.partition(),
            r.offset(),
            e.getMessage());
      }
    }
    State before = waitingFor.put(tp, cause);
    if (before != null && before != cause) {
      ended(before);
    }
    outageState();
    outageWaits = Math.min(outageWaits + 1, 30);
    retries.scheduleWait(tp, Math.max(MIN_REGISTRY_WAIT, retries.backoff(outageWaits)));
    consumer.seek(tp, r.offset());
    consumer.pause(List.of(tp));
    return Step.HALT_PARTITION;
  }

  /** A waiting partition's record got past what it waited for. */
  private void answered(TopicPartition tp) {
    State cause = waitingFor.remove(tp);
    if (cause != null) {
      ended(cause);
      outageState();
    }
  }

  /** Ends the outage of a service once no partition waits for it any more. */
  private void ended(State cause) {
    if (waitingFor.containsValue(cause)) {
      return;
    }
    Long since = outageSince.remove(cause);
    if (since != null) {
      LOG.info(
          "{}: the {} answers again; waiting partitions resumed after {} ms",
          clientId,
          cause == State.WAITING_FOR_KEYS ? "KMS and key store" : "schema registry",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    }
  }

  /** Publishes what the outage shows: the registry's before the keys'. */
  private void outageState() {
    outageState =
        waitingFor.containsValue(State.WAITING_FOR_REGISTRY)
            ? State.WAITING_FOR_REGISTRY
            : waitingFor.isEmpty() ? null : State.WAITING_FOR_KEYS;
  }

  private Step decide(
      ConsumerRecord<byte[], byte[]> r,
      TopicPartition tp,
      Failure fail,
      @Nullable T value,
      long start) {
    switch (action(fail)) {
      case RETRY:
        retrying(r, fail, value, start);
        retryLater(tp, r.offset(), fail.attempts());
        return Step.HALT_PARTITION;
      case SKIP:
        skipped(r, fail, value, start);
        done(tp, r.offset());
        return Step.CONTINUE;
      case STOP:
        stopping(r, fail, value, start);
        consumer.seek(tp, r.offset());
        return Step.STOP;
      case DEAD_LETTER:
      default:
        return deadLetter(r, tp, fail, value, start);
    }
  }

  /** What the error handler decides; dead-lettering when it fails itself. */
  private ErrorAction action(Failure fail) {
    try {
      return settings.errorHandler().onFailure(fail);
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      LOG.warn("{}: the error handler failed ({}); dead-lettering", clientId, e.toString());
      return ErrorAction.DEAD_LETTER;
    }
  }

  private static String where(ConsumerRecord<?, ?> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  private void retrying(ConsumerRecord<?, ?> r, Failure fail, @Nullable T value, long start) {
    Meters.recordSince(meters.retried, start);
    LOG.info(
        "{}: {} failed (attempt {}, {}), retrying: {}",
        clientId,
        where(r),
        fail.attempts(),
        fail.reason().code(),
        deadLetters.safeMessage(fail.error(), value));
  }

  private void skipped(ConsumerRecord<?, ?> r, Failure fail, @Nullable T value, long start) {
    Meters.recordSince(meters.skipped, start);
    LOG.warn(
        "{}: skipped {} after {} attempt(s) ({}): {}",
        clientId,
        where(r),
        fail.attempts(),
        fail.reason().code(),
        deadLetters.safeMessage(fail.error(), value));
  }

  /** The error handler said stop: the record stays unconsumed and the loop ends. */
  private void stopping(ConsumerRecord<?, ?> r, Failure fail, @Nullable T value, long start) {
    Meters.recordSince(meters.failed, start);
    failed(fail.error());
    LOG.error(
        "{}: stopping at {} ({}): {}",
        clientId,
        where(r),
        fail.reason().code(),
        deadLetters.safeMessage(fail.error(), value));
  }

  /** Keeps the first reason the loop stops for (several workers may fail at once). */
  private synchronized void failed(Throwable error) {
    if (failure == null) {
      failure = error;
    }
  }

  /**
   * A dead letter could not be written: whether to give up (the broker refused it for good, or
   * failed it {@link #DEAD_LETTER_WRITES} times), in which case the consumer's failure is set.
   */
  private boolean deadLetterGivesUp(DeadLetterException e, int writes, long start) {
    if (e.isRetriable() && writes < DEAD_LETTER_WRITES) {
      LOG.warn(
          "{}: {} (try {} of {}); trying again",
          clientId,
          e.getMessage(),
          writes,
          DEAD_LETTER_WRITES);
      return false;
    }
    Meters.recordSince(meters.failed, start);
    failed(
        e.isRetriable()
            ? new DeadLetterException(
                e.getMessage() + " (" + writes + " tries); stopping, the record stays unconsumed",
                true,
                e.getCause())
            : e);
    LOG.error("{}: stopping: {}", clientId, e.getMessage());
    return true;
  }

  private void deadLettered(Failure fail, long start) {
    Meters.recordSince(meters.deadLettered, start);
    meters.deadLettered(fail.reason().code());
  }

  /**
   * Writes a record's dead letter. When the broker refuses it for good (or keeps failing it {@link
   * #DEAD_LETTER_WRITES} times), the consumer stops with a {@link DeadLetterException}: the record
   * stays unconsumed rather than lost or retried forever.
   */
  private Step deadLetter(
      ConsumerRecord<byte[], byte[]> r,
      TopicPartition tp,
      Failure fail,
      @Nullable T value,
      long start) {
    try {
      deadLetters.write(r, fail, value);
    } catch (DeadLetterException e) {
      PendingDeadLetter<T> before = pendingDeadLetters.remove(tp);
      int writes = (before != null && before.offset() == r.offset() ? before.writes() : 0) + 1;
      if (deadLetterGivesUp(e, writes, start)) {
        consumer.seek(tp, r.offset());
        return Step.STOP;
      }
      pendingDeadLetters.put(tp, new PendingDeadLetter<>(r.offset(), fail, value, writes));
      retries.scheduleWait(tp, retries.backoff(writes));
      consumer.seek(tp, r.offset());
      consumer.pause(List.of(tp));
      return Step.HALT_PARTITION;
    }
    if (!pendingDeadLetters.isEmpty()) {
      pendingDeadLetters.remove(tp);
    }
    deadLettered(fail, start);
    done(tp, r.offset());
    return Step.CONTINUE;
  }

  // ---- parallel handling (KEY and UNORDERED order) ------------------------------------------

  /**
   * One record's handling on a worker thread, decoded by the poll thread: its attempts, and the
   * dead letter it is being given up to. Runs again after a backoff when a retry is due.
   */
  private final class Work implements ParallelScheduler.Task {
    private final ConsumerRecord<byte[], byte[]> record;
    private final @Nullable T value;
    private final @Nullable DefaultConsumedEvent<T> event;
    private final @Nullable Failure undecodable;
    private int attempts;
    private @Nullable Failure deadLetter;
    private int deadLetterWrites;

    Work(
        ConsumerRecord<byte[], byte[]> record,
        @Nullable T value,
        @Nullable DefaultConsumedEvent<T> event,
        @Nullable Failure undecodable) {
      this.record = record;
      this.value = value;
      this.event = event;
      this.undecodable = undecodable;
    }

    @Override
    public long run() {
      try {
        return handle(this);
      } catch (RuntimeException | Error e) {
        // the handler's own failures are decided in handle(); this is the SDK failing (a VM error,
        // a dead-letter writer or meter throwing): the consumer stops as the poll loop would
        failed(e);
        LOG.error(
            "{}: handling {} failed unexpectedly; stopping: {}",
            clientId,
            where(record),
            e.toString(),
            e);
        stopAsync();
        return ParallelScheduler.ABANDON;
      }
    }
  }

  /**
   * Handles a record on a worker thread: the same decisions, meters, spans, lineage scope and dead
   * letters as on the poll thread, but a retry waits on the scheduler's timer instead of pausing
   * the partition, so other keys go on.
   *
   * @return what {@link ParallelScheduler.Task#run()} returns
   */
  private long handle(Work w) {
    long start = timing ? System.nanoTime() : 0L;
    ConsumerRecord<byte[], byte[]> r = w.record;
    Failure fail = w.deadLetter;
    if (fail == null) {
      int attempt = ++w.attempts;
      DefaultConsumedEvent<T> event = w.event;
      if (event == null) {
        // not decodable; decoding again would give the same result, so the failure is repeated
        Failure u = Objects.requireNonNull(w.undecodable);
        fail = attempt == 1 ? u : failure(r, attempt, u.reason(), u.error(), u.retriable());
      } else {
        Throwable error = call.invoke(event);
        if (error == null) {
          if (timing) {
            Meters.recordSince(meters.handled, start);
            meters.freshness(event.eventTime());
          }
          return ParallelScheduler.DONE;
        }
        fail = failure(r, attempt, HandlerCall.reasonOf(error), error, settings.isRetriable(error));
      }
      switch (action(fail)) {
        case RETRY:
          retrying(r, fail, w.value, start);
          return retries.backoff(fail.attempts());
        case SKIP:
          skipped(r, fail, w.value, start);
          return ParallelScheduler.DONE;
        case STOP:
          stopping(r, fail, w.value, start);
          stopAsync();
          return ParallelScheduler.ABANDON;
        case DEAD_LETTER:
        default:
          w.deadLetter = fail;
      }
    }
    try {
      deadLetters.write(r, fail, w.value);
    } catch (DeadLetterException e) {
      int writes = ++w.deadLetterWrites;
      if (deadLetterGivesUp(e, writes, start)) {
        stopAsync();
        return ParallelScheduler.ABANDON;
      }
      return retries.backoff(writes);
    }
    deadLettered(fail, start);
    return ParallelScheduler.DONE;
  }

  // ---- retries and commits -------------------------------------------------------------

  private void retryLater(TopicPartition tp, long offset, int attempt) {
    retries.scheduleRetry(tp, offset, attempt);
    consumer.seek(tp, offset);
    consumer.pause(List.of(tp));
  }

  private void done(TopicPartition tp, long offset) {
    retries.passed(tp, offset);
    progress.done(tp, offset);
  }

  private void commitAsync() {
    if (parallel != null) {
      // the loop turns whenever workers free room, far more often than it polls new data: one
      // commit per interval keeps the group coordinator's writes bounded
      long now = System.nanoTime();
      if (now - lastCommit < PARALLEL_COMMIT_INTERVAL) {
        return;
      }
      lastCommit = now;
    }
    if (!progress.takeDirty()) {
      return;
    }
    consumer.commitAsync(
        progress.offsets(progress.partitions()),
        (offsets, error) -> {
          if (error instanceof org.apache.kafka.common.errors.RetriableException) {
            progress.markDirty(); // runs on the poll thread, in poll(): committed again next time
          } else if (error != null) {
            LOG.warn(
                "{}: asynchronous commit failed for good; the next commit after new progress,"
                    + " revocation or close covers it: {}",
                clientId,
                error.toString());
            return;
          }
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
      if (parallel != null) {
        // the records being handled finish; those not started are left for the next owner
        boolean idle = parallel.shutdown(ctx.closeTimeout());
        handlersStopped = true;
        if (!idle) {
          LOG.warn(
              "{}: handlers still running after {}; their records are not committed",
              clientId,
              ctx.closeTimeout());
        }
        parallel.positions(progress::position);
      }
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
      meters.stopped();
      if (closeRequested) {
        release();
      }
      Throwable failed = failure;
      if (failed != null) {
        ctx.tracker().failed(this, describe(failed));
      }
      stopped.countDown();
      LOG.info("{}: stopped", clientId);
    }
  }

  /**
   * What stopped the loop, for the mesh's OpenLineage {@code FAIL} event, which leaves the
   * application for a catalog: the consumer, its product, topic and group, and the classes of the
   * exception and its causes. Never a message: the SDK's, Kafka's and a handler's may all quote a
   * key or a value (the application's log has the masked message).
   */
  private String describe(Throwable failed) {
    StringBuilder classes = new StringBuilder(failed.getClass().getName());
    int depth = 0;
    for (Throwable c = failed.getCause(); c != null && c != failed && depth < 5; c = c.getCause()) {
      classes.append(" caused by ").append(c.getClass().getName());
      depth++;
    }
    return clientId
        + ": the consumer of "
        + contract.id()
        + " "
        + contract.version()
        + " from "
        + settings.topic()
        + " in group "
        + settings.group()
        + " stopped: "
        + classes
        + " (the message is in the application's log)";
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (parallel != null) {
        // the records being handled finish; those not started are left for the next owner
        // closing: shutdown() waited for the handlers already
        parallel
            .revoke(partitions, handlersStopped ? Duration.ZERO : revokeWait)
            .forEach(progress::position);
      }
      commitSync(partitions);
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (parallel != null) {
        parallel.revoke(partitions, Duration.ZERO); // another member owns them already
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty() && !topicSeen) {
        topicSeen = true; // partitions of it were assigned: it exists
        waitingForTopic = false;
      }
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
      pausedForRoom.removeAll(partitions);
      if (!backlog.isEmpty()) {
        backlog.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      }
      for (TopicPartition tp : partitions) {
        progress.forget(tp);
        pendingDeadLetters.remove(tp);
        State cause = waitingFor.remove(tp);
        if (cause != null && !waitingFor.containsValue(cause)) {
          outageSince.remove(cause); // revoked: this consumer no longer waits for it
        }
        outageState();
      }
      retries.forget(partitions);
    }
  }

  private static Duration revokeWait(MeshContext ctx, ConsumerSettings<?> settings) {
    Object configured =
        settings
            .kafka()
            .getOrDefault(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                ctx.kafka().getOrDefault(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000));
    long interval;
    try {
      interval = Long.parseLong(configured.toString().trim());
    } catch (NumberFormatException e) {
      interval = 300_000; // refused by the consumer itself at start
    }
    Duration half = Duration.ofMillis(Math.max(1, interval / 2));
    return half.compareTo(ctx.closeTimeout()) < 0 ? half : ctx.closeTimeout();
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
  public State state() {
    if (!running || stopped.getCount() == 0) {
      return failure != null ? State.FAILED : State.STOPPED;
    }
    if (waitingForTopic) {
      return State.WAITING_FOR_TOPIC;
    }
    State outage = outageState;
    return outage != null ? outage : State.RUNNING;
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
    closeRequested = true;
    running = false;
    if (stopped.getCount() == 0) {
      release(); // the loop stopped on its own before: its meters were kept until now
      return;
    }
    if (Thread.currentThread() == thread
        || (parallel != null && parallel.isWorker(Thread.currentThread()))) {
      stopAsync(); // from the handler: the loop stops when it returns; waiting would deadlock
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
    if (stopped.getCount() == 0) {
      release(); // when the loop ended before it saw the close request
    }
  }

  /**
   * Removes the meters no other consumer uses and lets the mesh forget this consumer: when it is
   * closed, not when its loop stops on its own (a consumer that failed keeps its failure counts
   * visible until someone closes it). Idempotent.
   */
  private void release() {
    if (released.compareAndSet(false, true)) {
      meters.close();
      ctx.tracker().closed(this);
    }
  }

  @Override
  public String toString() {
    return "MeshConsumer[" + clientId + ", running=" + isRunning() + "]";
  }
}
