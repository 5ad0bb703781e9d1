package io.meshsdk.spring.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as the handler of a Mesh consumer, started with the application
 * context and stopped gracefully with it. The method takes one parameter: the product class (a
 * {@code @DataProduct} record) or {@code ConsumedEvent<Product>} for the headers, key and lineage.
 * It runs on the consumer's poll thread; an exception it throws is retried with backoff and then
 * dead-lettered, as for any Mesh consumer; producing from it names the consumed event as parent.
 *
 * <pre>{@code
 * @MeshListener(group = "shipping", maxAttempts = "3")
 * void on(OrderPlaced order) { ... }
 * }</pre>
 *
 * <p>Every attribute but {@link #group()} is optional and every one takes property placeholders
 * ({@code "${shipping.group}"}); numbers and durations are strings for that reason, and a value
 * that does not parse fails the start naming the listener and the attribute.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MeshListener {
  /**
   * The consumer group (required).
   *
   * @return the group
   */
  String group();

  /**
   * The listener's id in health and logs (default {@code beanName.methodName}).
   *
   * @return the id
   */
  String id() default "";

  /**
   * The topic, when it is not the product's (default: the contract's topic).
   *
   * @return the topic
   */
  String topic() default "";

  /**
   * Consumer threads, each with its partitions (default 1).
   *
   * @return a positive integer
   */
  String concurrency() default "";

  /**
   * How the records of one partition may be handled relative to each other: {@code PARTITION} (the
   * default: one at a time, in order), {@code KEY} (one key at a time, in order; keys in parallel)
   * or {@code UNORDERED}. With {@code KEY} or {@code UNORDERED}, {@link #parallelism()} worker
   * threads call the method, which must then be thread-safe. See {@code
   * MeshConsumer.Builder.parallel}.
   *
   * @return {@code PARTITION}, {@code KEY} or {@code UNORDERED}
   */
  String ordering() default "";

  /**
   * Worker threads per consumer with {@code ordering} {@code KEY} or {@code UNORDERED} (default
   * 16).
   *
   * @return 1 to 1024
   */
  String parallelism() default "";

  /**
   * Records a parallel consumer holds at most (default: the SDK's, 4 &times; the parallelism, at
   * least 256); see {@code MeshConsumer.Builder.maxInFlight}.
   *
   * @return a positive integer
   */
  String maxInFlight() default "";

  /**
   * Attempts per record before it is dead-lettered (default: the SDK's).
   *
   * @return a positive integer
   */
  String maxAttempts() default "";

  /**
   * First backoff between attempts, a {@code Duration} ({@code 200ms}, {@code PT1S}); needs {@link
   * #maxBackoff()}.
   *
   * @return the backoff
   */
  String backoff() default "";

  /**
   * Largest backoff between attempts; needs {@link #backoff()}.
   *
   * @return the backoff
   */
  String maxBackoff() default "";

  /**
   * The dead-letter topic (default: the SDK's convention for the group).
   *
   * @return the topic
   */
  String deadLetterTopic() default "";

  /**
   * Where a group without committed offsets starts: {@code EARLIEST}, {@code LATEST}, {@code
   * COMMITTED_OR_EARLIEST}, {@code COMMITTED_OR_LATEST} (default: the SDK's).
   *
   * @return the position
   */
  String startFrom() default "";

  /**
   * The name of an {@code io.meshsdk.consumer.ErrorHandler} bean deciding what a failed record gets
   * (default: retry, then dead-letter).
   *
   * @return the bean name
   */
  String errorHandler() default "";

  /**
   * Whether the listener starts with the context: {@code true} or {@code false} (default {@code
   * mesh.listener.auto-startup}).
   *
   * @return whether it starts
   */
  String autoStartup() default "";
}
