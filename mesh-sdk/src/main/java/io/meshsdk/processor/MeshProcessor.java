package io.meshsdk.processor;

import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import java.time.Duration;
import java.util.Optional;

/**
 * A running processor: consumes product {@code I}, produces product {@code O}.
 *
 * <p>At-least-once (default): an input's offset is committed after its outputs were acknowledged.
 * Exactly-once ({@link Builder#exactlyOnce()}): a transactional producer (transactional id {@code
 * {application}-{group}-} plus a per-instance suffix; fencing follows the consumer group), {@code
 * read_committed} input, and the consumed offsets sent in the transaction; a failure aborts the
 * batch, which is processed again, so downstream {@code read_committed} readers never see a
 * duplicate.
 *
 * <p>Thread-safety: thread-safe; the function runs on the processor's own thread. {@link #close()}
 * stops the loop and closes the producer it created.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public interface MeshProcessor<I, O> extends AutoCloseable {

  /**
   * The input consumer (group, topics, state).
   *
   * @return the consumer
   */
  MeshConsumer<I> input();

  /**
   * The output topic.
   *
   * @return the topic
   */
  String outputTopic();

  /**
   * Whether it is running.
   *
   * @return {@code true} until closed or stopped by a failure
   */
  default boolean isRunning() {
    return input().isRunning();
  }

  /**
   * Why it stopped on its own.
   *
   * @return the cause, empty while running
   */
  default Optional<Throwable> failure() {
    return input().failure();
  }

  /** Stops the loop, commits, closes the producer. Idempotent. */
  @Override
  void close();

  /**
   * Configures a processor. Not thread-safe.
   *
   * @param <I> the input type
   * @param <O> the output type
   */
  interface Builder<I, O> {
    /**
     * Sets the consumer group (required).
     *
     * @param group the group
     * @return this builder
     */
    Builder<I, O> group(String group);

    /**
     * Sets where to start reading.
     *
     * @param position the position
     * @return this builder
     */
    Builder<I, O> startFrom(StartPosition position);

    /**
     * Sets attempts per input before dead-lettering (default 3).
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    Builder<I, O> maxAttempts(int maxAttempts);

    /**
     * Sets the backoff between attempts.
     *
     * @param initial the first delay
     * @param max the largest delay
     * @return this builder
     */
    Builder<I, O> backoff(Duration initial, Duration max);

    /**
     * Replaces the retry policy.
     *
     * @param handler decides per failure
     * @return this builder
     */
    Builder<I, O> errorHandler(ErrorHandler handler);

    /**
     * Turns on exactly-once processing.
     *
     * @return this builder
     */
    Builder<I, O> exactlyOnce();

    /**
     * Sets the function (required).
     *
     * @param function the function
     * @return this builder
     */
    Builder<I, O> process(ProcessFunction<I, O> function);

    /**
     * Validates, provisions both topics, and starts.
     *
     * @return the running processor
     * @throws io.meshsdk.errors.MeshConfigurationException naming what is missing or wrong
     */
    MeshProcessor<I, O> start();
  }
}
