package io.meshsdk.consumer;

import java.time.Duration;
import java.util.Optional;

/**
 * A running consumer of one data product in a consumer group. Obtain one from {@code
 * mesh.consumer(Type.class).group("g").handle(handler).start()}.
 *
 * <p>Delivery is at-least-once: offsets are committed after the handler returned or the record was
 * dead-lettered (and the dead letter acknowledged), on partition revocation, and on close; order is
 * kept per partition. A failed record is retried with exponential backoff while its partition is
 * paused (other partitions go on, and {@code max.poll.interval.ms} is never exceeded), then
 * dead-lettered to {@code {topic}.{group}.dlq} with the original key, value and headers plus {@code
 * mesh.dlq.*} error headers. Records the registry cannot give a writer schema for wait, their
 * partition paused, until it answers ({@link State#WAITING_FOR_REGISTRY}): an outage never turns
 * good records into dead letters.
 *
 * <p>Parallel processing ({@link Builder#parallel(Ordering, int)}): with {@link Ordering#KEY} or
 * {@link Ordering#UNORDERED}, records of one partition are handled by several worker threads at
 * once, in key order or in none, up to a bound of records in flight; delivery stays at-least-once
 * (only offsets below the lowest record still in flight or retrying are committed), retries of one
 * record never hold up other keys, and the partitions are paused, not the poll loop, when the bound
 * is reached. See {@code docs/runtime.md} for the duplicates a crash can cause.
 *
 * <p>Thread-safety: thread-safe. The handler runs on the consumer's own thread, or on its worker
 * threads in parallel processing (then it must be thread-safe). {@link #close()} wakes the loop,
 * lets the records in hand finish, commits, and leaves the group.
 *
 * @param <T> the product type
 */
public interface MeshConsumer<T> extends AutoCloseable {

  /**
   * The consumer group.
   *
   * @return the group
   */
  String group();

  /**
   * The topic consumed.
   *
   * @return the topic
   */
  String topic();

  /**
   * The dead-letter topic.
   *
   * @return the topic
   */
  String deadLetterTopic();

  /**
   * Whether the poll loop is running.
   *
   * @return {@code false} after {@link #close()} or a {@link ErrorAction#STOP}
   */
  boolean isRunning();

  /**
   * What the consumer is doing now.
   *
   * @return the state
   */
  State state();

  /**
   * How the records of one partition may be handled relative to each other.
   *
   * @see Builder#parallel(Ordering, int)
   */
  enum Ordering {
    /** One record of a partition at a time, in offset order (the default). */
    PARTITION,
    /**
     * Records with the same key in offset order, records with different keys in parallel. Records
     * without a key are ordered among themselves, as one key of their partition.
     */
    KEY,
    /** Any record in parallel with any other: no order, the most throughput. */
    UNORDERED
  }

  /** What a consumer is doing. */
  enum State {
    /** Polling and handling records. */
    RUNNING,
    /**
     * The product's topic does not exist yet: the consumer waits for its producer to create it from
     * the product's contract (never creating it from its own guesses), up to the topic wait; then
     * it fails.
     */
    WAITING_FOR_TOPIC,
    /**
     * Polling, with the partitions whose next record needs a writer schema paused because the
     * schema registry cannot give it (unreachable, failing, refusing the credentials); they resume,
     * in order, once it answers. Nothing is dead-lettered meanwhile.
     */
    WAITING_FOR_REGISTRY,
    /**
     * Polling, with the partitions whose next record has an encrypted field whose data key cannot
     * be loaded because the KMS or the key store is unavailable (an outage, not a refusal) paused;
     * they resume, in order, once both answer. Nothing is dead-lettered or read as withheld
     * meanwhile.
     */
    WAITING_FOR_KEYS,
    /** Closed. */
    STOPPED,
    /** Stopped on its own: {@link #failure()} says why. */
    FAILED
  }

  /**
   * Why the loop stopped on its own.
   *
   * @return the cause, empty while running or after a normal close
   */
  Optional<Throwable> failure();

  /**
   * Waits for the loop to end.
   *
   * @param timeout how long to wait
   * @return {@code true} if it ended
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /**
   * Stops the loop, commits what was handled, leaves the group. Idempotent. Called from the handler
   * (on the poll thread or a worker), it only asks the loop to stop and returns at once: the loop
   * ends, commits and leaves the group after the handler returns.
   */
  @Override
  void close();

  /**
   * Configures a consumer. Not thread-safe.
   *
   * @param <T> the product type
   */
  interface Builder<T> {
    /**
     * Sets the consumer group (required).
     *
     * @param group the group id
     * @return this builder
     */
    Builder<T> group(String group);

    /**
     * Sets where to start (default {@link StartPosition#committedOrEarliest()}).
     *
     * @param position the position
     * @return this builder
     */
    Builder<T> startFrom(StartPosition position);

    /**
     * Reads another topic than the contract's (for example a migration copy); its {@code .v{major}}
     * suffix must match the reader's major version.
     *
     * @param topic the topic
     * @return this builder
     */
    Builder<T> topic(String topic);

    /**
     * Reads the topics of other major versions of the product, migrating every event to this
     * consumer's class through the mesh's registered migrations (upcasts from older majors,
     * downcasts from newer ones); list this class too to keep reading its own topic. With more than
     * one topic, events are de-duplicated by event id ({@code ce_id}, which dual publishing keeps),
     * so a cut-over from one major's topic to another's sees each event once: the window is seeded
     * at start from the group's already-committed history of each topic. A failing migration is
     * handled like a handler error (retried, then dead-lettered with the reason {@code migration}).
     *
     * @param majors the product classes whose topics to read, one per major
     * @return this builder
     * @throws IllegalArgumentException if none is given
     */
    Builder<T> readFrom(Class<?>... majors);

    /**
     * Sets how many recent event ids the de-duplication of {@link #readFrom(Class...)} remembers
     * (default 10 000; the seed reads at most this many committed records per partition).
     *
     * @param events at least 1
     * @return this builder
     */
    Builder<T> deduplicationWindow(int events);

    /**
     * Sets attempts per record before dead-lettering (default 3). Ignored when an {@link
     * #errorHandler(ErrorHandler)} is set.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    Builder<T> maxAttempts(int maxAttempts);

    /**
     * Sets the exponential backoff between attempts (default 100 ms doubling up to 10 s).
     *
     * @param initial the first delay
     * @param max the largest delay
     * @return this builder
     */
    Builder<T> backoff(Duration initial, Duration max);

    /**
     * Declares an exception (and its subclasses) that retrying cannot fix: records failing with it
     * are dead-lettered at once. Call once per type.
     *
     * @param type the exception type
     * @return this builder
     */
    Builder<T> nonRetriable(Class<? extends Throwable> type);

    /**
     * Overrides the dead-letter topic (default {@code {topic}.{group}.dlq}).
     *
     * @param topic the topic
     * @return this builder
     */
    Builder<T> deadLetterTopic(String topic);

    /**
     * Replaces the retry policy.
     *
     * @param handler decides per failure
     * @return this builder
     */
    Builder<T> errorHandler(ErrorHandler handler);

    /**
     * Links the processing span to the producer's span instead of making it a child (for consumers
     * that batch or fan in).
     *
     * @return this builder
     */
    Builder<T> traceAsLink();

    /**
     * Sets how long the consumer waits for its topic to appear when it starts before any producer
     * of the product created it (default: the mesh's, {@code mesh.topic.wait.ms}, 2 minutes); then
     * it fails ({@link State#FAILED}, with a {@code MeshConfigurationException} naming the topic).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if the time-out is zero or negative
     */
    Builder<T> topicWait(Duration timeout);

    /**
     * Creates the product's topic from this consumer's contract when it does not exist (partitions,
     * cleanup policy and retention as the contract declares). By default a consumer never creates
     * the product's topic: its reader class may be a view of the product that does not carry the
     * product's settings, and a topic created with the wrong partitions or cleanup policy stays
     * wrong. Use it only when the reader class is the product's own contract.
     *
     * @return this builder
     */
    Builder<T> createTopicFromContract();

    /**
     * Sets a Kafka consumer property for this consumer only.
     *
     * @param key the property
     * @param value the value
     * @return this builder
     * @throws io.meshsdk.errors.MeshConfigurationException for keys the SDK owns
     */
    Builder<T> kafkaProperty(String key, Object value);

    /**
     * Runs several consumers of the group in this JVM, each on its own thread with its share of the
     * partitions (default 1). More than the topic's partition count leaves the extra ones idle. The
     * handler is called from all of them, so it must then be thread-safe.
     *
     * @param consumers at least 1
     * @return this builder
     */
    Builder<T> concurrency(int consumers);

    /**
     * Handles the records of each partition on {@code concurrency} worker threads instead of the
     * poll thread: records of one key in order and different keys in parallel ({@link
     * Ordering#KEY}), or without order ({@link Ordering#UNORDERED}). The handler must then be
     * thread-safe. Delivery stays at-least-once: per partition, only offsets below the lowest
     * record still in flight or waiting for a retry are committed, so after a crash at most {@link
     * #maxInFlight(int)} records per consumer that were already handled are handled again. A
     * failing record is retried with backoff while other keys go on (later records of its key wait
     * behind it in {@code KEY} order). Not available to exactly-once processors, whose transactions
     * follow the partition order.
     *
     * @param ordering {@link Ordering#KEY} or {@link Ordering#UNORDERED}; {@link
     *     Ordering#PARTITION} (with concurrency 1) restores the default
     * @param concurrency worker threads per consumer, 1 to 1024
     * @return this builder
     * @throws IllegalArgumentException if the concurrency is out of range, or above 1 with {@link
     *     Ordering#PARTITION}
     */
    Builder<T> parallel(Ordering ordering, int concurrency);

    /**
     * Sets how many records a parallel consumer holds at most (default: 4 &times; the concurrency,
     * at least 256). A partition's records are held from the lowest one not yet done (being
     * handled, queued behind its key, or waiting for a retry) to the last one taken, the done ones
     * in between included: they are the records a crash would deliver again, so this also bounds
     * the duplicates (with those done since the last commit, sent at most every 100 ms). The bound
     * is over all the consumer's partitions: when it is reached, the consumer pauses them all and
     * keeps polling (so {@code max.poll.interval.ms} is never exceeded) until the workers catch up;
     * a record retrying for long therefore holds up the consumer once this many later records are
     * done. Ignored without {@link #parallel(Ordering, int)}.
     *
     * @param records at least 1
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    Builder<T> maxInFlight(int records);

    /**
     * Sets the handler (required).
     *
     * @param handler the handler
     * @return this builder
     */
    Builder<T> handle(EventHandler<T> handler);

    /**
     * Validates, provisions, and starts the poll loop.
     *
     * @return the running consumer
     * @throws io.meshsdk.errors.MeshConfigurationException naming what is missing or wrong
     */
    MeshConsumer<T> start();
  }
}
