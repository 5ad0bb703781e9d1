package io.meshsdk.testkit;

import io.meshsdk.consumer.FailureReason;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one dead letter.
 *
 * <p>Thread-safety: not thread-safe; one per assertion chain.
 */
public final class DeadLetterAssert extends AbstractAssert<DeadLetterAssert, DeadLetter> {

  DeadLetterAssert(DeadLetter actual) {
    super(actual, DeadLetterAssert.class);
  }

  /**
   * Checks the reason ({@code truncated}, {@code unknown_schema_id}, {@code handler}, ...; see
   * docs/runtime.md).
   *
   * @param reason the expected reason
   * @return this assertion
   */
  public DeadLetterAssert hasReason(String reason) {
    isNotNull();
    if (!actual.reason().equals(reason)) {
      failWithMessage(
          "Expected dead letter %s to have reason <%s> but it was <%s>",
          actual, reason, actual.reason());
    }
    return this;
  }

  /**
   * Checks the reason.
   *
   * @param reason the expected reason
   * @return this assertion
   */
  public DeadLetterAssert hasReason(FailureReason reason) {
    return hasReason(reason.code());
  }

  /**
   * Checks the offset the record had in its original topic.
   *
   * @param offset the expected offset
   * @return this assertion
   */
  public DeadLetterAssert hasOriginalOffset(long offset) {
    isNotNull();
    if (actual.originalOffset() != offset) {
      failWithMessage(
          "Expected dead letter %s to come from offset %d but it came from %d",
          actual, offset, actual.originalOffset());
    }
    return this;
  }

  /**
   * Checks the topic the record came from.
   *
   * @param topic the expected topic
   * @return this assertion
   */
  public DeadLetterAssert hasOriginalTopic(String topic) {
    isNotNull();
    if (!actual.originalTopic().equals(topic)) {
      failWithMessage(
          "Expected dead letter %s to come from topic %s but it came from %s",
          actual, topic, actual.originalTopic());
    }
    return this;
  }

  /**
   * Checks how many attempts were made.
   *
   * @param attempts the expected number
   * @return this assertion
   */
  public DeadLetterAssert hasAttempts(int attempts) {
    isNotNull();
    if (actual.attempts() != attempts) {
      failWithMessage(
          "Expected dead letter %s after %d attempts but it was %d",
          actual, attempts, actual.attempts());
    }
    return this;
  }

  /**
   * Checks that the error message contains a text.
   *
   * @param text the text
   * @return this assertion
   */
  public DeadLetterAssert hasMessageContaining(String text) {
    isNotNull();
    if (!actual.message().filter(m -> m.contains(text)).isPresent()) {
      failWithMessage(
          "Expected dead letter %s to have a message containing <%s> but it was <%s>",
          actual, text, actual.message().orElse(null));
    }
    return this;
  }

  /**
   * Checks the exception class.
   *
   * @param type the exception class
   * @return this assertion
   */
  public DeadLetterAssert hasException(Class<? extends Throwable> type) {
    isNotNull();
    if (!actual.exception().filter(type.getName()::equals).isPresent()) {
      failWithMessage(
          "Expected dead letter %s to record exception %s but it recorded %s",
          actual, type.getName(), actual.exception().orElse(null));
    }
    return this;
  }
}
