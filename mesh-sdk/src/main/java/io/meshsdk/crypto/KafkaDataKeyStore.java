package io.meshsdk.crypto;

import io.meshsdk.errors.MeshConfigurationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataKeyStore} in a compacted Kafka topic with one partition (default {@value
 * #DEFAULT_TOPIC}), so that producers and consumers in different processes share their wrapped data
 * keys through the cluster they already use.
 *
 * <p><b>The records.</b> Creating a key writes a <em>proposal</em>: record key {@code
 * key/{ref}/{random UUID}}, value a format version byte ({@code 0x01}) and the wrapped key. For
 * each reference the first proposal in the partition (the lowest offset) wins, and every process
 * that reads the partition agrees on it; {@link #putIfAbsent} writes its proposal, reads the
 * partition up to it, returns the winner (maybe another process's) and tombstones its own proposal
 * if it lost. Shredding ({@link #delete}) writes a permanent <em>marker</em> ({@code
 * shredded/{ref}}, a non-null value, never tombstoned), then tombstones every proposal of the
 * reference; proposals after a marker are ignored, so a shredded reference never gets a key again.
 *
 * <p>Each proposal has a record key of its own on purpose. With one record key per reference,
 * compaction would keep the <em>last</em> value written under it: two processes creating the same
 * key at once would both write, both agree on the first, and compaction would later silently
 * replace it by the second, under data already encrypted with the first. With distinct record keys
 * compaction removes only what was tombstoned (losers, after their winner, and the proposals of a
 * shredded reference), so a reader of the compacted topic finds the same winner as one that read
 * every record.
 *
 * <p><b>Reading.</b> At start the store reads the topic to its end (bounded by the {@linkplain
 * Builder#syncTimeout sync time-out}); then a background thread tails it and keeps a view in
 * memory. {@link #get} answers from the view when it knows the reference (a key, or shredded);
 * otherwise it first reads up to the topic's end offset as of the call. Since a producer stores its
 * key before it writes records encrypted with it, a consumer in another process that meets such a
 * record finds the key (read-your-writes across processes). A shredding in another process reaches
 * the view as soon as the background thread reads its marker, usually within milliseconds;
 * processes also cache unwrapped keys themselves ({@code FieldEncryption.keyCacheTtl}).
 *
 * <p><b>Memory.</b> The view holds every reference ever written to the topic (a wrapped key of
 * about a hundred bytes, or a shredded mark) and is not bounded: size the process for the number of
 * data subjects.
 *
 * <p>Arrays given are copied and arrays returned are copies. {@link #toString()} shows the topic
 * and counts, never key material.
 *
 * <p>Thread-safety: thread-safe; share one instance per process and topic. It owns one producer
 * ({@code acks=all}, idempotent), one consumer with no group (assigned the partition, read by its
 * own thread {@code mesh-data-keys-N}) and, while starting, an admin client. The caller owns the
 * store and closes it after the meshes that use it: a mesh does not close its store.
 */
public final class KafkaDataKeyStore implements DataKeyStore, AutoCloseable {
  /** The default topic. */
  public static final String DEFAULT_TOPIC = "_mesh.data-keys";

  /** The default bound on each call's wait for the broker, and on the start. */
  public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The default {@code max.compaction.lag.ms} of a topic the store creates: one day. Within about
   * this long after a shredding (plus the log cleaner's own delay), the log segment holding the
   * tombstones is rolled and compacted, and the wrapped key is gone from the broker's disks.
   */
  public static final Duration DEFAULT_MAX_COMPACTION_LAG = Duration.ofDays(1);

  private static final Logger LOG = LoggerFactory.getLogger(KafkaDataKeyStore.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final long ERROR_BACKOFF_MS = 500;

  /** Keys the store sets for its own clients; refused. */
  private static final Set<String> OWNED =
      Set.of(
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
          ProducerConfig.CLIENT_ID_CONFIG);

  /** Keys whose value the store fixes, whatever is given: anything else would break it. */
  private static final Map<String, String> FIXED =
      Map.of(
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

  private final String topic;
  private final TopicPartition partition;
  private final Duration syncTimeout;
  private final String clientId;
  private final String bootstrapServers;
  private final DataKeyLog log = new DataKeyLog();
  private final BlockingQueue<Sync> requests = new LinkedBlockingQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer; // used by the tail thread only (and wakeup)
  private final Thread tail;

  /** True while the tail thread waits in poll: only then is it woken for a request. */
  private volatile boolean polling;

  /** A wait of a caller until the view covers an offset. */
  private static final class Sync {
    final CompletableFuture<Long> done = new CompletableFuture<>();

    /** The view must reach this position; -1 until the end offset as of the request is known. */
    long target;

    Sync(long target) {
      this.target = target;
    }
  }

  private KafkaDataKeyStore(Builder b, Map<String, Object> kafka) {
    this.topic = b.topic;
    this.partition = new TopicPartition(topic, 0);
    this.syncTimeout = b.syncTimeout;
    this.clientId = "mesh-data-keys-" + INSTANCES.incrementAndGet();
    this.bootstrapServers = String.valueOf(kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    prepareTopic(b, only(kafka, AdminClientConfig.configNames()), deadline);

    Map<String, Object> producerConfig = only(kafka, ProducerConfig.configNames());
    producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.putAll(FIXED);
    producerConfig.keySet().removeIf(k -> !knownTo(ProducerConfig.configNames(), k));
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, syncTimeout.toMillis());
    Map<String, Object> consumerConfig = only(kafka, ConsumerConfig.configNames());
    consumerConfig.putAll(FIXED);
    consumerConfig.keySet().removeIf(k -> !knownTo(ConsumerConfig.configNames(), k));
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-tail");
    KafkaProducer<byte[], byte[]> p = null;
    try {
      p = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
      this.consumer =
          new KafkaConsumer<>(
              consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      if (p != null) {
        p.close(Duration.ZERO);
      }
      throw new MeshConfigurationException(
          "the Kafka clients of the data-key store on topic " + topic + " refused their settings",
          e instanceof ConfigException ? e : e.getCause() instanceof ConfigException c ? c : e);
    }
    this.producer = p;
    this.tail = new Thread(this::tail, clientId);
    tail.setDaemon(true);
    tail.start();
    try {
      awaitPosition(-1, deadline, "reading the key topic at start");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("{}: read {} up to offset {}", clientId, topic, log.position());
  }

  /**
   * Starts the settings of a store.
   *
   * @return the builder, with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Answers from the view when it knows the reference; otherwise reads the topic up to its end
   * offset as of this call first.
   *
   * @throws KeyManagementException retriable if the topic could not be read up to date within the
   *     sync time-out; not retriable if the broker refused access, or the key was written in a
   *     format this version does not read
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Optional<byte[]> get(String keyRef) {
    Objects.requireNonNull(keyRef, "keyRef");
    ensureOpen();
    DataKeyLog.Entry entry = log.entry(keyRef);
    if (entry instanceof DataKeyLog.Entry.Unknown) {
      awaitPosition(
          -1, System.nanoTime() + syncTimeout.toNanos(), "reading the data key " + keyRef);
      entry = log.entry(keyRef);
    }
    if (entry instanceof DataKeyLog.Entry.Key key) {
      return Optional.of(key.wrappedKey().clone());
    }
    if (entry instanceof DataKeyLog.Entry.Unreadable unreadable) {
      throw unreadable(keyRef, unreadable);
    }
    return Optional.empty();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Answers from the view when it knows the reference. Otherwise writes a proposal, reads the
   * topic up to it, and returns the first proposal of the reference (this one or another
   * process's); a proposal that lost is tombstoned.
   *
   * @throws KeyManagementException not retriable if the reference was shredded, the broker refused
   *     access, or the winning key was written in a format this version does not read; retriable if
   *     the broker did not acknowledge or could not be read within the sync time-out (the proposal
   *     may still be written; a retry then finds it or another)
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public byte[] putIfAbsent(String keyRef, byte[] wrappedKey) {
    Objects.requireNonNull(keyRef, "keyRef");
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    ensureOpen();
    DataKeyLog.Entry entry = log.entry(keyRef);
    if (entry instanceof DataKeyLog.Entry.Unknown) {
      long deadline = System.nanoTime() + syncTimeout.toNanos();
      String recordKey = DataKeyLog.proposalKey(keyRef);
      String what = "storing the data key " + keyRef;
      RecordMetadata written =
          send(recordKey, DataKeyLog.proposalValue(wrappedKey.clone()), deadline, what);
      awaitPosition(written.offset() + 1, deadline, what);
      entry = log.entry(keyRef);
      if (!(entry instanceof DataKeyLog.Entry.Key key && key.recordKey().equals(recordKey))) {
        tombstoneLater(recordKey); // lost to an earlier proposal, or to a shredding
      }
    }
    if (entry instanceof DataKeyLog.Entry.Key key) {
      return key.wrappedKey().clone();
    }
    if (entry instanceof DataKeyLog.Entry.Shredded) {
      throw new KeyManagementException(
          "The data key " + keyRef + " was shredded (deleted) and is never created again", null);
    }
    if (entry instanceof DataKeyLog.Entry.Unreadable unreadable) {
      throw unreadable(keyRef, unreadable);
    }
    // our own proposal is below the position, and proposals are never compacted unless tombstoned
    throw new KeyManagementException(
        "The data key " + keyRef + " was written to " + topic + " but not read back", null, true);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes the permanent marker, reads the topic up to it, then tombstones every proposal of the
   * reference and waits for the broker to acknowledge them. Returns true only to the call whose
   * marker was the first, when a key had been stored before it.
   *
   * @throws KeyManagementException retriable if the broker did not acknowledge within the sync
   *     time-out (a retry completes the shredding); not retriable if it refused access
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public boolean delete(String keyRef) {
    Objects.requireNonNull(keyRef, "keyRef");
    ensureOpen();
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    String what = "shredding the data key " + keyRef;
    boolean hadKey = false;
    if (!(log.entry(keyRef) instanceof DataKeyLog.Entry.Shredded)) {
      RecordMetadata marker =
          send(DataKeyLog.markerKey(keyRef), DataKeyLog.markerValue(), deadline, what);
      awaitPosition(marker.offset() + 1, deadline, what);
      hadKey =
          log.entry(keyRef) instanceof DataKeyLog.Entry.Shredded s
              && s.markerOffset() == marker.offset()
              && s.hadKey();
    }
    List<Future<RecordMetadata>> tombstones = new ArrayList<>();
    for (String proposal : log.liveProposals(keyRef)) {
      tombstones.add(sendAsync(proposal, null, what));
    }
    for (Future<RecordMetadata> t : tombstones) {
      await(t, deadline, what);
    }
    if (!tombstones.isEmpty()) {
      LOG.info(
          "{}: shredded a data key in {} ({} proposals tombstoned)",
          clientId,
          topic,
          tombstones.size());
    }
    return hadKey;
  }

  /**
   * The topic this store reads and writes.
   *
   * @return the topic name
   */
  public String topic() {
    return topic;
  }

  /**
   * Stops the background thread and closes the Kafka clients, waiting up to the sync time-out for
   * writes in flight. Idempotent. Calls after closing throw {@link IllegalStateException}; calls
   * waiting for the topic when it closes fail with a {@link KeyManagementException}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    requests.add(new Sync(0)); // wakes a tail thread backing off after an error
    consumer.wakeup();
    try {
      tail.join(syncTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(syncTimeout);
  }

  @Override
  public String toString() {
    return "KafkaDataKeyStore["
        + topic
        + ", "
        + log.keys()
        + " keys, "
        + log.shredded()
        + " shredded, read to offset "
        + log.position()
        + (closed.get() ? ", closed]" : "]");
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the data-key store on " + topic + " is closed");
    }
  }

  private KeyManagementException unreadable(String keyRef, DataKeyLog.Entry.Unreadable entry) {
    return new KeyManagementException(
        "The data key "
            + keyRef
            + " in "
            + topic
            + " was written in format version "
            + entry.version()
            + ", which this version of Mesh SDK does not read",
        null);
  }

  // ---------------------------------------------------------------- writing

  private Future<RecordMetadata> sendAsync(String recordKey, byte @Nullable [] value, String what) {
    try {
      return producer.send(
          new ProducerRecord<>(topic, 0, recordKey.getBytes(StandardCharsets.UTF_8), value));
    } catch (KafkaException e) {
      throw failure(what, e);
    }
  }

  private RecordMetadata send(String recordKey, byte[] value, long deadline, String what) {
    return await(sendAsync(recordKey, value, what), deadline, what);
  }

  private RecordMetadata await(Future<RecordMetadata> sent, long deadline, String what) {
    try {
      return sent.get(left(deadline), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyManagementException(what + " in " + topic + ": interrupted", e, true);
    } catch (TimeoutException e) {
      throw new KeyManagementException(
          what
              + ": the brokers at "
              + bootstrapServers
              + " did not acknowledge the write to "
              + topic
              + " within "
              + syncTimeout,
          e,
          true);
    } catch (ExecutionException e) {
      throw failure(what, e.getCause() == null ? e : e.getCause());
    }
  }

  /** Tombstones a proposal that lost, without waiting: a failure leaves an unused proposal. */
  private void tombstoneLater(String recordKey) {
    try {
      Future<RecordMetadata> unused = // the callback reports the outcome
          producer.send(
              new ProducerRecord<>(topic, 0, recordKey.getBytes(StandardCharsets.UTF_8), null),
              (metadata, e) -> {
                if (e != null) {
                  LOG.warn(
                      "{}: could not tombstone a proposal that lost in {}; it stays unused: {}",
                      clientId,
                      topic,
                      e.toString());
                }
              });
    } catch (KafkaException e) {
      LOG.warn(
          "{}: could not tombstone a proposal that lost in {}: {}", clientId, topic, e.toString());
    }
  }

  private KeyManagementException failure(String what, Throwable cause) {
    boolean refused =
        cause instanceof AuthorizationException || cause instanceof AuthenticationException;
    return new KeyManagementException(
        what
            + " ("
            + topic
            + " at "
            + bootstrapServers
            + (refused ? "): access refused: " : "): ")
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
        cause,
        !refused
            && (cause instanceof RetriableException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException
                || cause instanceof InterruptException));
  }

  private static long left(long deadline) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  // ---------------------------------------------------------------- reading

  /**
   * Waits until the view covers {@code target} (exclusive), or the topic's end offset as of now
   * when {@code target} is -1.
   */
  private void awaitPosition(long target, long deadline, String what) {
    if (target >= 0 && log.position() >= target) {
      return;
    }
    Sync sync = new Sync(target);
    requests.add(sync);
    if (polling) {
      consumer.wakeup(); // only in poll: a wake-up elsewhere would abort the offset lookup
    }
    try {
      sync.done.get(left(deadline), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      sync.done.cancel(false);
      Thread.currentThread().interrupt();
      throw new KeyManagementException(what + " in " + topic + ": interrupted", e, true);
    } catch (TimeoutException e) {
      sync.done.cancel(false);
      throw new KeyManagementException(
          what
              + ": "
              + topic
              + " at "
              + bootstrapServers
              + " could not be read up to date within "
              + syncTimeout
              + " (read to offset "
              + log.position()
              + ")",
          e,
          true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      boolean retriable =
          cause instanceof KeyManagementException k ? k.isRetriable() : cause == null;
      throw new KeyManagementException(
          what + ": " + (cause == null ? e.toString() : cause.getMessage()),
          cause == null ? e : cause,
          retriable);
    }
  }

  /** The background thread: owns the consumer, applies records, answers waits. */
  private void tail() {
    List<Sync> waiting = new ArrayList<>();
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!closed.get()) {
        try {
          requests.drainTo(waiting);
          waiting.removeIf(s -> s.done.isDone());
          if (waiting.stream().anyMatch(s -> s.target < 0)) {
            Long end = consumer.endOffsets(List.of(partition), syncTimeout).get(partition);
            for (Sync s : waiting) {
              if (s.target < 0) {
                s.target = end == null ? 0 : end;
              }
            }
          }
          if (!waiting.isEmpty()) {
            log.advanceTo(consumer.position(partition, syncTimeout));
            long position = log.position();
            waiting.removeIf(
                s -> {
                  if (s.target > position) {
                    return false;
                  }
                  s.done.complete(position);
                  return true;
                });
          }
          ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
          polling = true;
          try {
            if (requests.isEmpty()) {
              records = consumer.poll(IDLE_POLL);
            }
          } finally {
            polling = false;
          }
          for (ConsumerRecord<byte[], byte[]> r : records) {
            log.apply(r.offset(), r.key(), r.value());
          }
          if (!records.isEmpty()) {
            log.advanceTo(consumer.position(partition, syncTimeout));
          }
        } catch (WakeupException e) {
          // a new request, or closing
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          // the brokers did not answer: the callers' own deadlines bound their waits
          LOG.debug("{}: reading {} timed out: {}", clientId, topic, e.toString());
        } catch (AuthorizationException | AuthenticationException e) {
          fail(
              waiting,
              new KeyManagementException(
                  "the brokers at "
                      + bootstrapServers
                      + " refused to let "
                      + clientId
                      + " read "
                      + topic,
                  e));
          backOff(waiting);
        } catch (InterruptException e) {
          if (closed.get()) {
            break;
          }
          Thread.interrupted(); // not ours to keep: only close() ends this thread
          backOff(waiting);
        } catch (RuntimeException e) {
          LOG.warn("{}: reading {} failed; retrying: {}", clientId, topic, e.toString());
          fail(waiting, new KeyManagementException("reading " + topic + " failed: " + e, e, true));
          backOff(waiting);
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("{}: the thread reading {} stopped", clientId, topic, e);
      throw e;
    } finally {
      requests.drainTo(waiting);
      fail(
          waiting,
          new KeyManagementException("the data-key store on " + topic + " is closed", null));
      try {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      } catch (RuntimeException e) {
        LOG.debug("{}: closing the consumer failed: {}", clientId, e.toString());
      }
    }
  }

  private static void fail(List<Sync> waiting, KeyManagementException e) {
    for (Sync s : waiting) {
      s.done.completeExceptionally(e);
    }
    waiting.clear();
  }

  /** Waits a little after a failure, or until the next request (or close) arrives. */
  private void backOff(List<Sync> waiting) {
    try {
      Sync next = requests.poll(ERROR_BACKOFF_MS, TimeUnit.MILLISECONDS);
      if (next != null) {
        waiting.add(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- the topic

  private void prepareTopic(Builder b, Map<String, Object> adminConfig, long deadline) {
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
    Admin admin;
    try {
      admin = Admin.create(adminConfig);
    } catch (KafkaException e) {
      throw new MeshConfigurationException(
          "the admin client of the data-key store on topic " + topic + " refused its settings", e);
    }
    String step = "describing";
    try {
      TopicDescription description = describe(admin, deadline);
      if (description == null) {
        if (!b.createTopic) {
          throw new MeshConfigurationException(
              "the data-key topic "
                  + topic
                  + " does not exist at "
                  + bootstrapServers
                  + " and creating it is turned off (createTopic(false))");
        }
        step = "creating";
        create(admin, b, deadline);
        step = "describing";
        while (description == null || !hasLeader(description)) {
          if (left(deadline) == 0) {
            throw new KeyManagementException(
                "the data-key topic " + topic + " was created but has no leader yet", null, true);
          }
          Thread.sleep(50); // polling the cluster's metadata after creating the topic, not a test
          description = describe(admin, deadline);
        }
      }
      step = "checking the configuration of";
      check(admin, description, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyManagementException(
          step + " the data-key topic " + topic + ": interrupted", e, true);
    } catch (TimeoutException e) {
      throw new KeyManagementException(
          step
              + " the data-key topic "
              + topic
              + ": no answer from "
              + bootstrapServers
              + " within "
              + syncTimeout,
          e,
          true);
    } catch (ExecutionException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof InvalidReplicationFactorException
          || cause instanceof InvalidConfigurationException
          || cause instanceof PolicyViolationException) {
        throw new MeshConfigurationException(
            "the Kafka cluster at "
                + bootstrapServers
                + " refused to create the data-key topic "
                + topic
                + ": "
                + cause.getMessage(),
            cause);
      }
      throw failure(step + " the data-key topic", cause);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  private @Nullable TopicDescription describe(Admin admin, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, left(deadline)));
    try {
      return Objects.requireNonNull(
              admin
                  .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeout))
                  .topicNameValues()
                  .get(topic),
              topic)
          .get(timeout, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException t) {
        TimeoutException timedOut = new TimeoutException(t.getMessage());
        timedOut.initCause(t);
        throw timedOut;
      }
      throw e;
    }
  }

  private static boolean hasLeader(TopicDescription d) {
    return !d.partitions().isEmpty()
        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
  }

  private void create(Admin admin, Builder b, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, String> configs = new HashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    configs.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0");
    configs.put(
        TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(b.maxCompactionLag.toMillis()));
    configs.put(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(1), Optional.of((short) b.replicationFactor))
            .configs(configs);
    int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, left(deadline)));
    try {
      admin
          .createTopics(List.of(newTopic), new CreateTopicsOptions().timeoutMs(timeout))
          .all()
          .get(timeout, TimeUnit.MILLISECONDS);
      LOG.info("{}: created the data-key topic {}", clientId, topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  private void check(Admin admin, TopicDescription description, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> problems = new ArrayList<>();
    int partitions = description.partitions().size();
    if (partitions != 1) {
      problems.add(
          "it has "
              + partitions
              + " partitions; the store needs exactly 1, so that every process reads the proposals"
              + " of a key in the same order");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, left(deadline)));
    Config config =
        Objects.requireNonNull(
                admin
                    .describeConfigs(
                        List.of(resource), new DescribeConfigsOptions().timeoutMs(timeout))
                    .values()
                    .get(resource),
                topic)
            .get(timeout, TimeUnit.MILLISECONDS);
    ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    String cleanup =
        policy == null || policy.value() == null
            ? ""
            : policy.value().replace(" ", "").toLowerCase(Locale.ROOT);
    if (!cleanup.equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      problems.add(
          "its cleanup.policy is '"
              + cleanup
              + "'; the store needs exactly 'compact' (deleting by time or size would drop keys"
              + " in use and shredding markers)");
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(
          "the data-key topic " + topic + " at " + bootstrapServers + " cannot be used", problems);
    }
    ConfigEntry maxLag = config.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG);
    if (maxLag != null && String.valueOf(Long.MAX_VALUE).equals(maxLag.value())) {
      LOG.warn(
          "{}: the data-key topic {} has no max.compaction.lag.ms: a shredded key may stay on the"
              + " brokers' disks until its log segment is compacted, without a bound in time",
          clientId,
          topic);
    }
  }

  // ---------------------------------------------------------------- settings

  private static Map<String, Object> only(Map<String, Object> kafka, Set<String> names) {
    Map<String, Object> result = new HashMap<>();
    for (Map.Entry<String, Object> e : kafka.entrySet()) {
      if (knownTo(names, e.getKey())) {
        result.put(e.getKey(), e.getValue());
      }
    }
    return result;
  }

  private static boolean knownTo(Set<String> names, String key) {
    return names.contains(key)
        || key.startsWith("ssl.")
        || key.startsWith("sasl.")
        || key.startsWith("security.");
  }

  private static boolean knownToAny(String key) {
    return knownTo(ProducerConfig.configNames(), key)
        || knownTo(ConsumerConfig.configNames(), key)
        || knownTo(AdminClientConfig.configNames(), key);
  }

  /** Keys of Mesh SDK's own configuration, which {@link Builder#properties} skips. */
  private static boolean meshKey(String key) {
    return key.startsWith("mesh.")
        || key.startsWith("schema.registry.")
        || key.startsWith("basic.auth.")
        || key.startsWith("bearer.auth.");
  }

  /**
   * Settings of a {@link KafkaDataKeyStore}: the Kafka client properties (at least {@code
   * bootstrap.servers}), the topic, the sync time-out, and how to create the topic.
   *
   * <p>Kafka client properties pass through to the store's producer, consumer and admin client,
   * each taking the keys it knows ({@code security.*}, {@code ssl.*} and {@code sasl.*} go to all).
   * Keys that name the clients' identity or code (serializers, {@code group.id}, {@code
   * transactional.id}, interceptors, {@code client.id}) are refused. The store sets {@code
   * acks=all}, {@code enable.idempotence=true}, {@code enable.auto.commit=false}, {@code
   * isolation.level=read_uncommitted} and {@code auto.offset.reset=earliest} itself, whatever is
   * given (so a mesh's own properties with other values can be passed as they are), {@code
   * max.block.ms} to the sync time-out, and {@code linger.ms} to 0 unless given.
   *
   * <p>Thread-safety: not thread-safe; use it on one thread, then {@link #build()}.
   */
  public static final class Builder {
    private final Map<String, Object> kafka = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private String topic = DEFAULT_TOPIC;
    private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
    private boolean createTopic = true;
    private int replicationFactor = -1;
    private Duration maxCompactionLag = DEFAULT_MAX_COMPACTION_LAG;

    private Builder() {}

    /**
     * The brokers.
     *
     * @param bootstrapServers {@code host:port[,host:port...]}
     * @return this builder
     */
    public Builder bootstrapServers(String bootstrapServers) {
      return kafkaProperty(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    }

    /**
     * Passes one Kafka client property to the store's clients. Keys whose value the store fixes
     * ({@code acks}, {@code enable.idempotence}, {@code enable.auto.commit}, {@code
     * isolation.level}, {@code auto.offset.reset}) are ignored.
     *
     * @param key the property
     * @param value its value
     * @return this builder
     * @throws MeshConfigurationException if the key names the clients' identity or code
     *     (serializers, {@code group.id}, {@code transactional.id}, interceptors, {@code
     *     client.id})
     */
    public Builder kafkaProperty(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (OWNED.contains(key)) {
        throw new MeshConfigurationException(
            "Kafka property '"
                + key
                + "' is set by the data-key store itself and cannot be passed");
      }
      if (!FIXED.containsKey(key)) {
        kafka.put(key, value);
      }
      return this;
    }

    /**
     * Applies the Kafka client properties of a map, for example the same map a mesh is built from
     * ({@code Mesh.builder().properties(map)}): its {@code bootstrap.servers}, {@code security.*},
     * {@code ssl.*} and {@code sasl.*} keys pass through. Mesh SDK's own keys ({@code mesh.*},
     * {@code schema.registry.*}, {@code basic.auth.*}, {@code bearer.auth.*}) are skipped; other
     * keys are taken as by {@link #kafkaProperty} (the refused ones are reported by {@link
     * #build()}), and keys no Kafka client knows are logged and passed to none.
     *
     * @param properties the properties
     * @return this builder
     */
    public Builder properties(Map<String, ?> properties) {
      Objects.requireNonNull(properties, "properties");
      for (Map.Entry<String, ?> e : properties.entrySet()) {
        String key = Objects.requireNonNull(e.getKey(), "property key");
        if (meshKey(key)) {
          continue;
        }
        try {
          kafkaProperty(key, Objects.requireNonNull(e.getValue(), key));
        } catch (MeshConfigurationException ex) {
          problems.add(ex.getMessage());
        }
      }
      return this;
    }

    /**
     * The topic (default {@value #DEFAULT_TOPIC}). Every process sharing keys names the same one.
     *
     * @param topic the topic name
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * How long the start, and each call, may wait for the brokers: to acknowledge a write, or for
     * the topic to be read up to date (default 30 seconds). A call that waits longer fails with a
     * retriable {@link KeyManagementException}.
     *
     * @param syncTimeout positive
     * @return this builder
     */
    public Builder syncTimeout(Duration syncTimeout) {
      this.syncTimeout = Objects.requireNonNull(syncTimeout, "syncTimeout");
      return this;
    }

    /**
     * Whether to create the topic when it is missing (default true): one partition, {@code
     * cleanup.policy=compact}, {@code min.compaction.lag.ms=0}, {@code max.compaction.lag.ms} from
     * {@link #maxCompactionLag}, {@code unclean.leader.election.enable=false}. Without it, a
     * missing topic is a {@link MeshConfigurationException}.
     *
     * @param createTopic whether to create it
     * @return this builder
     */
    public Builder createTopic(boolean createTopic) {
      this.createTopic = createTopic;
      return this;
    }

    /**
     * The replication factor of a topic the store creates (default -1: the broker's default).
     *
     * @param replicationFactor -1, or at least 1
     * @return this builder
     */
    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    /**
     * The {@code max.compaction.lag.ms} of a topic the store creates (default {@link
     * #DEFAULT_MAX_COMPACTION_LAG}): the bound on how long a shredded key stays on the brokers'
     * disks, plus the log cleaner's delay. A shorter bound rolls log segments more often.
     *
     * @param maxCompactionLag positive
     * @return this builder
     */
    public Builder maxCompactionLag(Duration maxCompactionLag) {
      this.maxCompactionLag = Objects.requireNonNull(maxCompactionLag, "maxCompactionLag");
      return this;
    }

    /**
     * Checks the settings, prepares the topic (creating it if asked, then checking that it has one
     * partition and is compacted), and reads it to its end.
     *
     * @return the started store; the caller closes it
     * @throws MeshConfigurationException listing every bad setting, or naming the topic and what is
     *     wrong with it (several partitions, not compacted, missing and not to be created), or if
     *     the cluster refused to create it as asked
     * @throws KeyManagementException retriable if the brokers could not be reached or the topic not
     *     read within the sync time-out; not retriable if they refused access
     */
    public KafkaDataKeyStore build() {
      List<String> all = new ArrayList<>(problems);
      Object servers = kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
      if (servers == null || String.valueOf(servers).isBlank()) {
        all.add("bootstrap.servers is not set");
      }
      if (topic.isBlank()) {
        all.add("topic is blank");
      }
      if (syncTimeout.isNegative() || syncTimeout.isZero()) {
        all.add("syncTimeout must be positive, was " + syncTimeout);
      }
      if (replicationFactor != -1
          && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
        all.add(
            "replicationFactor must be -1 (the broker's default) or at least 1, was "
                + replicationFactor);
      }
      if (maxCompactionLag.isNegative() || maxCompactionLag.isZero()) {
        all.add("maxCompactionLag must be positive, was " + maxCompactionLag);
      }
      if (!all.isEmpty()) {
        throw new MeshConfigurationException("the data-key store cannot be built", all);
      }
      Set<String> unknown = new TreeSet<>();
      for (String key : kafka.keySet()) {
        if (!knownToAny(key)) {
          unknown.add(key);
        }
      }
      if (!unknown.isEmpty()) {
        LOG.warn(
            "data-key store on {}: Kafka properties {} are not known to Kafka's clients and are"
                + " ignored; check their spelling",
            topic,
            unknown);
      }
      return new KafkaDataKeyStore(this, new HashMap<>(kafka));
    }
  }
}
