package io.meshsdk.bridge;

import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.StartPosition;
import java.time.Duration;
import java.util.Optional;

/**
 * A running bridge: reads a legacy topic, maps each record onto product {@code O}, and writes it as
 * the product's producer would (contract checked, Confluent framing, CloudEvents headers, metrics).
 *
 * <p>Every bridged event names its legacy record as its parent ({@link
 * io.meshsdk.lineage.EventRef#external}: type {@code legacy.{format}} unless {@link
 * Builder#sourceType} says otherwise, id {@code {topic}-{partition}@{offset}}), takes the legacy
 * record's timestamp as its event time, and has an event id derived from the product type and the
 * legacy position: a record bridged twice (a restart before a commit, a second run over the
 * history) carries the same {@code ce_id}, so consumers that deduplicate drop the copy.
 *
 * <p>A record the format cannot read, or the mapping throws on or maps to {@code null}, is
 * dead-lettered with reason {@code unmappable}; a mapped value that breaks the contract with reason
 * {@code contract_violation}; both with the original key, value and headers, to {@link
 * #deadLetterTopic()}. A tombstone in the legacy topic deletes the key in a {@code STATE} product
 * and is dead-lettered ({@code unmappable}) for an {@code EVENTS} product. Nothing is skipped
 * silently. The meter {@code mesh.bridge.records} counts each record's outcome ({@code mapped},
 * {@code unmappable}, {@code contract_violation}, {@code deleted}).
 *
 * <p>At-least-once (default): each polled batch's products are acknowledged before its offsets are
 * committed; if a send fails, the batch is read again from its start. Exactly-once ({@link
 * Builder#exactlyOnce()}): each batch's products, dead letters and offsets commit in one Kafka
 * transaction. A registry or broker outage makes the bridge wait and retry, never dead-letter.
 *
 * <p>Thread-safety: thread-safe; the mapping runs on the bridge's own thread. {@link #close()}
 * stops the loop after the batch in hand, commits it, and closes the clients the bridge made.
 *
 * @param <S> what the source format reads
 * @param <O> the product type
 */
public interface MeshBridge<S, O> extends AutoCloseable {

  /**
   * The legacy topic read.
   *
   * @return the topic
   */
  String sourceTopic();

  /**
   * The product's topic written.
   *
   * @return the topic
   */
  String outputTopic();

  /**
   * The consumer group, which holds the bridge's position in the legacy topic.
   *
   * @return the group
   */
  String group();

  /**
   * Where records that cannot be bridged go: {@code {legacy topic}.{group}.dlq}.
   *
   * @return the topic
   */
  String deadLetterTopic();

  /**
   * The bridge's dead letters. {@link DeadLetters#replay(Duration)} writes them back to the legacy
   * topic (every reader of that topic sees them again); {@link DeadLetters#replay(
   * io.meshsdk.consumer.FailedEventHandler, Duration)} hands them to code, their values undecoded
   * (they are legacy records, not products: {@code FailedEvent.decodingError()} says so).
   *
   * @return the dead letters
   */
  DeadLetters<O> deadLetters();

  /**
   * Whether it is running.
   *
   * @return {@code true} until closed or stopped by a failure
   */
  boolean isRunning();

  /**
   * Why it stopped on its own (the broker refused a transaction, the dead-letter topic refused a
   * record, commits failed again and again).
   *
   * @return the cause, empty while running or when closed
   */
  Optional<Throwable> failure();

  /**
   * Stops the loop, commits what was bridged, and closes the clients the bridge made. Idempotent.
   */
  @Override
  void close();

  /**
   * Configures a bridge. Not thread-safe.
   *
   * @param <S> what the source format reads
   * @param <O> the product type
   */
  interface Builder<S, O> {
    /**
     * Sets the legacy topic (required).
     *
     * @param topic the topic
     * @return this builder
     */
    Builder<S, O> from(String topic);

    /**
     * Sets the consumer group (required). It names the dead-letter topic.
     *
     * @param group the group
     * @return this builder
     */
    Builder<S, O> group(String group);

    /**
     * Sets where to start reading; the default, {@link StartPosition#committedOrEarliest()},
     * bridges the legacy topic's whole history on the first run and goes on from the group's commit
     * afterwards.
     *
     * @param position the position
     * @return this builder
     */
    Builder<S, O> startFrom(StartPosition position);

    /**
     * Names the legacy system in the parents of bridged events (default {@code legacy.{format
     * name}}).
     *
     * @param type for instance {@code crm.customers.json}, without {@code ;} or {@code ,}
     * @return this builder
     */
    Builder<S, O> sourceType(String type);

    /**
     * Turns on exactly-once bridging (a transactional producer; the legacy topic is read {@code
     * read_committed}).
     *
     * @return this builder
     */
    Builder<S, O> exactlyOnce();

    /**
     * Sets the mapping (required).
     *
     * @param mapping the mapping
     * @return this builder
     */
    Builder<S, O> map(BridgeFunction<S, O> mapping);

    /**
     * Validates, checks governance and provisions the product's topic, and starts.
     *
     * @return the running bridge
     * @throws io.meshsdk.errors.MeshConfigurationException naming what is missing or wrong
     */
    MeshBridge<S, O> start();
  }
}
