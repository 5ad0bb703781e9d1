package io.meshsdk.bridge.internal;

import io.meshsdk.bridge.BridgeFunction;
import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.bridge.SourceRecord;
import io.meshsdk.consumer.DeadLetterException;
import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.Failure;
import io.meshsdk.consumer.FailureReason;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.consumer.internal.DeadLetterWriter;
import io.meshsdk.consumer.internal.KafkaDeadLetters;
import io.meshsdk.consumer.internal.StartPositions;
import io.meshsdk.consumer.internal.TransactionHooks;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.producer.SendOptions;
import io.meshsdk.producer.SendResult;
import io.meshsdk.producer.internal.KafkaMeshProducer;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge's poll loop, on its own thread: each polled batch is read, mapped and sent; then, at
 * least once, the sends are awaited and the offsets committed, or, exactly once, the batch's
 * transaction is committed with the offsets. A batch that fails is read again from its start after
 * a backoff; a partition whose record waits for the registry (or the dead-letter topic) is paused
 * and read again from that record.
 */
public final class KafkaBridge<S, O> implements MeshBridge<S, O> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBridge.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** Batches that fail in a row before the bridge stops. */
  static final int MAX_BATCH_FAILURES = 10;

  private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(10);
  private static final long FIRST_BACKOFF = TimeUnit.MILLISECONDS.toNanos(100);

  private final MeshContext ctx;
  private final ProductContract<O> contract;
  private final SourceFormat<S> format;
  private final BridgeFunction<S, O> mapping;
  private final String sourceTopic;
  private final String group;
  private final String deadLetterTopic;
  private final String sourceType;
  private final StartPosition start;
  private final String clientId;
  private final String idPrefix;
  private final boolean state;
  private final Consumer<byte[], byte[]> consumer;
  private final AutoCloseable consumerMetrics;
  private final KafkaMeshProducer<O> producer;
  private final @Nullable Producer<byte[], byte[]> transactional;
  private final AutoCloseable producerMetrics;
  private final DeadLetterWriter deadLetters;
  private final BridgeMeters meters;
  private final Duration sendTimeout;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Set<TopicPartition> positioned = new HashSet<>();

  /** Partitions paused for an outage, and when each is read again. */
  private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();

  /** Outage waits in a row per partition, for the backoff. */
  private final Map<TopicPartition, Integer> waits = new HashMap<>();

  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;
  private int batchFailures;
  private boolean closed;
  private boolean started;

  KafkaBridge(
      MeshContext ctx,
      ProductContract<O> contract,
      SourceFormat<S> format,
      BridgeFunction<S, O> mapping,
      String sourceTopic,
      String group,
      String sourceType,
      StartPosition start,
      boolean exactlyOnce) {
    this.ctx = ctx;
    this.contract = contract;
    this.format = format;
    this.mapping = mapping;
    this.sourceTopic = sourceTopic;
    this.group = group;
    this.deadLetterTopic = sourceTopic + "." + group + ".dlq";
    this.sourceType = sourceType;
    this.start = start;
    this.state = contract.kind() == ProductKind.STATE;
    this.idPrefix = contract.eventType() + "|" + sourceTopic + "|";
    this.clientId =
        Clients.clientId(ctx.application() + "-" + group + "-" + sourceTopic + "-bridge");
    // a batch's sends are awaited as long as the producer tries, and a little more
    this.sendTimeout = DeadLetterWriter.deliveryTimeout(ctx).plusSeconds(5);
    StartPosition.Kind kind = start.kind();
    String reset =
        kind == StartPosition.Kind.COMMITTED_OR_LATEST || kind == StartPosition.Kind.LATEST
            ? "latest"
            : "earliest";
    List<AutoCloseable> made = new ArrayList<>();
    try {
      this.consumer = Clients.consumer(ctx, clientId, group, reset, exactlyOnce, Map.of());
      made.add(consumer::close);
      List<PartitionInfo> partitions;
      try {
        partitions = consumer.partitionsFor(sourceTopic, ctx.startupTimeout());
      } catch (KafkaException e) {
        throw new MeshConfigurationException(
            clientId + ": cannot read the partitions of the legacy topic " + sourceTopic + ": " + e,
            e);
      }
      if (partitions == null || partitions.isEmpty()) {
        throw new MeshConfigurationException(
            "the legacy topic "
                + sourceTopic
                + " does not exist on "
                + ctx.kafka().get("bootstrap.servers")
                + "; a bridge reads an existing topic");
      }
      this.consumerMetrics = Clients.bindMetrics(ctx.telemetry(), consumer, ctx.application());
      made.add(consumerMetrics);
      Producer<byte[], byte[]> tx = null;
      AutoCloseable txMetrics = () -> {};
      if (exactlyOnce) {
        tx =
            Clients.producer(
                ctx,
                Clients.clientId(ctx.application() + "-" + group + "-bridge"),
                ctx.application()
                    + "-"
                    + group
                    + "-bridge-"
                    + UUID.randomUUID().toString().substring(0, 8));
        Producer<byte[], byte[]> txToClose = tx;
        made.add(() -> txToClose.close(Duration.ZERO));
        txMetrics = Clients.bindMetrics(ctx.telemetry(), tx, ctx.application());
        made.add(txMetrics);
        tx.initTransactions();
      }
      this.transactional = tx;
      this.producerMetrics = txMetrics;
      this.producer = new KafkaMeshProducer<>(ctx, contract, tx);
    } catch (RuntimeException e) {
      for (int i = made.size() - 1; i >= 0; i--) {
        try {
          made.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    Producer<byte[], byte[]> tx = transactional;
    this.deadLetters =
        new DeadLetterWriter(
            ctx, clientId, deadLetterTopic, group, contract, tx == null ? null : new Hooks(tx));
    this.meters =
        new BridgeMeters(
            ctx.telemetry(),
            ctx.application(),
            contract.id(),
            contract.version().toString(),
            group,
            sourceTopic);
    this.thread = new Thread(this::run, "mesh-bridge-" + clientId);
  }

  /** Subscribes and starts the loop thread. */
  synchronized KafkaBridge<S, O> start() {
    consumer.subscribe(List.of(sourceTopic), new Rebalance());
    thread.start();
    started = true;
    LOG.info(
        "{}: bridging {} ({}) to {} {} in {} in group {} ({}{})",
        clientId,
        sourceTopic,
        format.name(),
        contract.id(),
        contract.version(),
        producer.topic(),
        group,
        start,
        transactional != null ? ", exactly once" : "");
    return this;
  }

  // ---- the loop ------------------------------------------------------------------------

  private void run() {
    try {
      while (running) {
        resumeDue();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          runBatch(records);
        }
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("{}: bridge stopped: {}", clientId, e.toString(), e);
    } finally {
      running = false;
      shutdown();
    }
  }

  private enum Step {
    CONTINUE,
    WAIT,
    STOP
  }

  private void runBatch(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, Long> batchStart = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      batchStart.put(tp, records.records(tp).get(0).offset());
    }
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    List<CompletableFuture<SendResult>> pending = new ArrayList<>(records.count());
    Producer<byte[], byte[]> tx = transactional;
    if (tx != null) {
      tx.beginTransaction();
    }
    try {
      outer:
      for (TopicPartition tp : records.partitions()) {
        for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
          if (!running) {
            break outer; // closing: what was bridged commits, the rest is read again
          }
          Step step = bridge(r, pending);
          if (step == Step.STOP) {
            running = false;
            break outer;
          }
          if (step == Step.WAIT) {
            consumer.seek(tp, r.offset());
            pauseFor(tp);
            break;
          }
          waits.remove(tp);
          next.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }
      }
    } catch (RuntimeException e) {
      // a producer that refuses synchronously; the batch is read again
      batchFailed(batchStart, e);
      return;
    }
    if (tx == null) {
      commitAtLeastOnce(batchStart, next, pending);
    } else {
      commitTransaction(tx, batchStart, next);
    }
  }

  private void commitAtLeastOnce(
      Map<TopicPartition, Long> batchStart,
      Map<TopicPartition, OffsetAndMetadata> next,
      List<CompletableFuture<SendResult>> pending) {
    long deadline = System.nanoTime() + sendTimeout.toNanos();
    try {
      for (CompletableFuture<SendResult> f : pending) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      batchFailed(batchStart, e.getCause() != null ? e.getCause() : e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return; // not committed: read again by the next owner
    }
    batchFailures = 0;
    if (next.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(next);
    } catch (CommitFailedException e) {
      // the group moved the partitions on: their next owner bridges the batch again, and its
      // events carry the same ids
      LOG.warn("{}: committing after a rebalance failed; the batch will be read again", clientId);
    }
  }

  private void commitTransaction(
      Producer<byte[], byte[]> tx,
      Map<TopicPartition, Long> batchStart,
      Map<TopicPartition, OffsetAndMetadata> next) {
    try {
      if (!next.isEmpty()) {
        ConsumerGroupMetadata metadata = consumer.groupMetadata();
        tx.sendOffsetsToTransaction(next, metadata);
      }
      tx.commitTransaction();
      batchFailures = 0;
    } catch (ProducerFencedException
        | InvalidProducerEpochException
        | UnsupportedVersionException
        | AuthorizationException e) {
      fatal("the transaction cannot go on: " + e, e);
    } catch (KafkaException e) {
      batchFailed(batchStart, e);
    }
  }

  /**
   * A batch failed as a whole: aborted when exactly once, and read again from its start after a
   * backoff; {@link #MAX_BATCH_FAILURES} in a row stop the bridge.
   */
  private void batchFailed(Map<TopicPartition, Long> batchStart, Throwable cause) {
    Producer<byte[], byte[]> tx = transactional;
    if (tx != null) {
      try {
        tx.abortTransaction();
      } catch (KafkaException e) {
        fatal("aborting the transaction failed: " + e, e);
        return;
      }
    }
    batchFailures++;
    Set<TopicPartition> assigned = consumer.assignment();
    for (Map.Entry<TopicPartition, Long> e : batchStart.entrySet()) {
      if (assigned.contains(e.getKey())) {
        consumer.seek(e.getKey(), e.getValue());
      }
    }
    if (batchFailures >= MAX_BATCH_FAILURES) {
      fatal(
          "a batch from "
              + batchStart
              + " failed "
              + batchFailures
              + " times in a row; stopping, nothing of it was committed: "
              + cause,
          cause);
      return;
    }
    LOG.warn(
        "{}: the batch from {} failed ({} in a row), it will be read again: {}",
        clientId,
        batchStart,
        batchFailures,
        cause.toString());
    long until = System.nanoTime() + backoff(batchFailures);
    for (TopicPartition tp : batchStart.keySet()) {
      if (assigned.contains(tp)) {
        pausedUntil.put(tp, until);
      }
    }
    consumer.pause(pausedUntil.keySet());
  }

  private void fatal(String message, Throwable cause) {
    failure = new MeshException(clientId + ": " + message, cause);
    running = false;
    LOG.error("{}: {}", clientId, message);
  }

  private static long backoff(int attempt) {
    long delay = FIRST_BACKOFF << Math.min(attempt - 1, 10);
    return Math.min(delay, MAX_BACKOFF);
  }

  private void pauseFor(TopicPartition tp) {
    int n = waits.merge(tp, 1, Integer::sum);
    pausedUntil.put(tp, System.nanoTime() + backoff(n));
    consumer.pause(List.of(tp));
  }

  private void resumeDue() {
    if (pausedUntil.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<TopicPartition> due = new ArrayList<>();
    pausedUntil
        .entrySet()
        .removeIf(
            e -> {
              if (now - e.getValue() >= 0) {
                due.add(e.getKey());
                return true;
              }
              return false;
            });
    due.retainAll(consumer.assignment());
    if (!due.isEmpty()) {
      consumer.resume(due);
    }
  }

  // ---- one record ----------------------------------------------------------------------

  private Step bridge(ConsumerRecord<byte[], byte[]> r, List<CompletableFuture<SendResult>> out) {
    byte[] eventId =
        UUID.nameUUIDFromBytes(
                (idPrefix + r.partition() + "|" + r.offset()).getBytes(StandardCharsets.UTF_8))
            .toString()
            .getBytes(StandardCharsets.ISO_8859_1);
    SendOptions options =
        SendOptions.builder()
            // a record without a timestamp (-1, from clients before 0.10) is dated now
            .eventTime(r.timestamp() >= 0 ? Instant.ofEpochMilli(r.timestamp()) : Instant.now())
            .parent(EventRef.external(sourceType, r.topic(), r.partition(), r.offset()))
            .build();
    byte[] bytes = r.value();
    if (bytes == null) {
      if (!state) {
        return deadLetter(
            r,
            false,
            new IllegalArgumentException(
                "a tombstone in the legacy topic, and "
                    + contract.id()
                    + " is an EVENTS product: its events are not deleted"));
      }
      if (r.key() == null) {
        return deadLetter(
            r, false, new IllegalArgumentException("a tombstone without a key deletes nothing"));
      }
      out.add(producer.send(null, new String(r.key(), StandardCharsets.UTF_8), options, eventId));
      meters.deleted();
      return Step.CONTINUE;
    }
    O value;
    try {
      S read = format.read(bytes, r.headers());
      if (read == null) {
        return deadLetter(
            r, false, new IllegalArgumentException(format + " read nothing from the record"));
      }
      value =
          mapping.map(
              new SourceRecord<>(
                  r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.headers(), read));
    } catch (SchemaRegistryException e) {
      if (e.isRetriable()) {
        return waitFor(r, "the schema registry", e);
      }
      return deadLetter(r, false, e);
    } catch (Exception | StackOverflowError e) {
      // the record is unreadable or the mapping refused it (a deeply nested record may overflow)
      return deadLetter(r, false, e);
    }
    if (value == null) {
      return deadLetter(
          r, false, new IllegalArgumentException("the mapping returned null for the record"));
    }
    CompletableFuture<SendResult> sent;
    try {
      sent = producer.send(value, null, options, eventId);
    } catch (ContractViolationException e) {
      return deadLetter(r, true, e);
    } catch (IllegalStateException e) {
      throw e; // the producer is closed: the bridge is closing
    } catch (RuntimeException e) {
      // the mapped value cannot be written (a value the codec refuses): the record's fault
      return deadLetter(r, false, e);
    }
    out.add(sent);
    meters.mapped();
    return Step.CONTINUE;
  }

  private Step deadLetter(ConsumerRecord<byte[], byte[]> r, boolean violation, Throwable error) {
    Failure f =
        Failure.of(
            r.topic(),
            r.partition(),
            r.offset(),
            1,
            violation ? FailureReason.CONTRACT_VIOLATION : FailureReason.UNMAPPABLE,
            error,
            false);
    try {
      deadLetters.write(r, f, null);
    } catch (DeadLetterException e) {
      if (e.isRetriable()) {
        return waitFor(r, "the dead-letter topic " + deadLetterTopic, e);
      }
      fatal(e.toString(), e);
      return Step.STOP;
    }
    meters.deadLettered(violation);
    return Step.CONTINUE;
  }

  private Step waitFor(ConsumerRecord<?, ?> r, String what, Exception e) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    if (!waits.containsKey(tp)) {
      LOG.warn(
          "{}: {} is unavailable; {}-{} waits at offset {}: {}",
          clientId,
          what,
          r.topic(),
          r.partition(),
          r.offset(),
          e.toString());
    }
    return Step.WAIT;
  }

  // ---- shutting down ---------------------------------------------------------------------

  private void shutdown() {
    try {
      consumer.close(ctx.closeTimeout());
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the consumer failed: {}", clientId, e.toString());
    }
    close(consumerMetrics);
    producer.close();
    close(producerMetrics);
    Producer<byte[], byte[]> tx = transactional;
    if (tx != null) {
      try {
        tx.close(ctx.closeTimeout());
      } catch (RuntimeException e) {
        // closing is best effort; the coordinator aborts what was open
      }
    }
    stopped.countDown();
    ctx.tracker().closed(this);
    LOG.info("{}: stopped", clientId);
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // unbinding metrics is best effort
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    running = false;
    synchronized (this) {
      if (!started) {
        shutdown(); // the loop never ran: release here
        return;
      }
    }
    if (Thread.currentThread() == thread) {
      return; // the mapping closed its own bridge: the loop ends after this record
    }
    try {
      if (!stopped.await(ctx.closeTimeout().plus(sendTimeout).toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: did not stop in time", clientId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the API ----------------------------------------------------------------------------

  @Override
  public String sourceTopic() {
    return sourceTopic;
  }

  @Override
  public String outputTopic() {
    return producer.topic();
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public String deadLetterTopic() {
    return deadLetterTopic;
  }

  @Override
  public DeadLetters<O> deadLetters() {
    return new KafkaDeadLetters<>(ctx, contract, deadLetterTopic);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return "MeshBridge[" + sourceTopic + " -> " + producer.topic() + ", group " + group + "]";
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // each batch is committed before the next poll: nothing is pending here
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
      if (!fresh.isEmpty()) {
        StartPositions.apply(consumer, fresh, start);
      }
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        pausedUntil.remove(tp);
        waits.remove(tp);
      }
    }
  }

  /** The transaction the dead letters join when exactly once. */
  private static final class Hooks implements TransactionHooks {
    private final Producer<byte[], byte[]> producer;

    Hooks(Producer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    @Override
    public Producer<byte[], byte[]> producer() {
      return producer;
    }

    @Override
    public void begin() {
      throw new UnsupportedOperationException("the bridge runs its transactions");
    }

    @Override
    public void commit(
        Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
      throw new UnsupportedOperationException("the bridge runs its transactions");
    }

    @Override
    public void abort() {
      throw new UnsupportedOperationException("the bridge runs its transactions");
    }
  }
}
