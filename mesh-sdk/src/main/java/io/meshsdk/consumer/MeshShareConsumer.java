package io.meshsdk.consumer;

import java.time.Duration;
import java.util.Optional;

/**
 * A running consumer of one data product in a Kafka <em>share group</em> (KIP-932, Kafka's queues):
 * the members of a share group take records of the same partitions, each record to one member at a
 * time, so a product is consumed by more members than it has partitions; records are not ordered,
 * and acknowledged one by one. Obtain one from {@code
 * mesh.shareConsumer(Type.class).group("g").handle(handler).start()}.
 *
 * <p>Each record is decoded into the product class with its headers and lineage, as by {@link
 * MeshConsumer}. When the handler returns, the record is accepted. A retriable failure releases it
 * for redelivery (to any member, at once) until Mesh's attempt limit, counted by Kafka's delivery
 * count; a record that cannot be decoded, fails for good, or reaches the limit is written to the
 * dead-letter topic ({@code {topic}.{group}.dlq}, the same format as {@link MeshConsumer}'s, so
 * {@link DeadLetters} replays it) and only then rejected, so Kafka never archives a record Mesh did
 * not keep. The attempt limit stays one below the group's {@code share.delivery.count.limit}: a
 * record delivered for the group's last time (after members crashed or timed out on it) is
 * dead-lettered without calling the handler, since Kafka would archive it if it came back. Records
 * that need a schema registry or a key service that is down are renewed (kept, with their delivery
 * count) and tried again with backoff. Exactly-once is not available with share groups.
 *
 * <p>Delivery is at-least-once: a member that crashes, or whose handler outlasts the record lock
 * ({@code share.record.lock.duration.ms}, 30 s by default), has its records delivered again.
 *
 * <p>Thread-safety: thread-safe. The handler runs on the members' own threads, one per member, so
 * with more than one member it must be thread-safe. {@link #close()} lets the records in hand
 * finish, acknowledges them, releases the rest (dead-lettering those at their last delivery), and
 * leaves the group. When one member fails, every member stops.
 *
 * @param <T> the product type
 */
public interface MeshShareConsumer<T> extends AutoCloseable {

  /**
   * The share group.
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
   * Whether every member is running.
   *
   * @return {@code false} after {@link #close()} or once a member stopped on its own
   */
  boolean isRunning();

  /**
   * Why a member stopped on its own.
   *
   * @return the cause, empty while running or after a normal close
   */
  Optional<Throwable> failure();

  /**
   * Waits for every member to end.
   *
   * @param timeout how long to wait
   * @return {@code true} if they ended
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /**
   * Stops the members, acknowledges what was handled, leaves the group. Idempotent. Called from the
   * handler, it only asks the members to stop and returns at once.
   */
  @Override
  void close();

  /**
   * Configures a share consumer. Not thread-safe.
   *
   * @param <T> the product type
   */
  interface Builder<T> {
    /**
     * Sets the share group (required). It names the dead-letter topic.
     *
     * @param group the group id
     * @return this builder
     * @throws IllegalArgumentException if it is not a legal part of a topic name
     */
    Builder<T> group(String group);

    /**
     * Sets the handler (required).
     *
     * @param handler the handler
     * @return this builder
     */
    Builder<T> handle(EventHandler<T> handler);

    /**
     * Runs several members of the share group in this JVM, each a {@code KafkaShareConsumer} on its
     * own thread (default 1). Unlike a consumer group's, they share partitions, so members beyond
     * the partition count still get work.
     *
     * @param members 1 to 1024
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    Builder<T> concurrency(int members);

    /**
     * Sets the handler calls per record before it is dead-lettered (default 3), counted by the
     * record's delivery count; capped one below the group's {@code share.delivery.count.limit}.
     *
     * @param maxAttempts at least 1
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    Builder<T> maxAttempts(int maxAttempts);

    /**
     * Declares an exception (and its subclasses) that retrying cannot fix: records failing with it
     * are dead-lettered at once.
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
     * @throws IllegalArgumentException if it is not a legal topic name
     */
    Builder<T> deadLetterTopic(String topic);

    /**
     * Sets where a share group that has no position yet starts: {@link StartPosition#earliest()} or
     * {@link StartPosition#committedOrEarliest()} read the partitions from their start, {@link
     * StartPosition#latest()} or {@link StartPosition#committedOrLatest()} from their end. It is
     * the group's {@code share.auto.offset.reset} configuration, which the consumer sets when it
     * differs. Without this call the consumer sets {@code earliest} only on a group that has no
     * setting of its own (Kafka's default is {@code latest}), never overriding one an operator
     * chose. Setting it needs the {@code ALTER_CONFIGS} permission on the group; without it, the
     * consumer logs a warning and the group's setting applies.
     *
     * @param position one of the four above
     * @return this builder
     * @throws IllegalArgumentException for positions a share group cannot take (offsets, times)
     */
    Builder<T> startFrom(StartPosition position);

    /**
     * Sets a Kafka share consumer property for this consumer only.
     *
     * @param key the property
     * @param value the value
     * @return this builder
     * @throws io.meshsdk.errors.MeshConfigurationException for keys the SDK owns
     */
    Builder<T> kafkaProperty(String key, Object value);

    /**
     * Validates, reads the group's delivery limit, and starts the members.
     *
     * @return the running share consumer
     * @throws io.meshsdk.errors.MeshConfigurationException naming what is missing or wrong, or when
     *     the mesh's Kafka clients make no share consumers (the testkit's in-memory Kafka)
     */
    MeshShareConsumer<T> start();
  }
}
