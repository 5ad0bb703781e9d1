package io.meshsdk.testkit;

import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a group's dead letters; size assertions wait up to the mesh's timeout.
 *
 * <p>Thread-safety: not thread-safe; one per assertion chain.
 */
public final class DeadLettersAssert extends AbstractAssert<DeadLettersAssert, DeadLetterQueue> {
  private List<DeadLetter> snapshot = List.of();

  DeadLettersAssert(DeadLetterQueue actual) {
    super(actual, DeadLettersAssert.class);
    isNotNull();
  }

  /**
   * Waits until exactly {@code count} dead letters exist; fails at once when there are more.
   *
   * @param count the expected number
   * @return this assertion
   */
  public DeadLettersAssert hasSize(int count) {
    snapshot = actual.awaitSize(count, "dead letters");
    return this;
  }

  /**
   * Checks that there is no dead letter now.
   *
   * @return this assertion
   */
  public DeadLettersAssert isEmpty() {
    snapshot = actual.now();
    if (!snapshot.isEmpty()) {
      failWithMessage(
          "Expected %s to be empty but found %d:%s",
          actual.description(), snapshot.size(), Live.describe(snapshot));
    }
    return this;
  }

  /**
   * Checks that no dead letter arrives for a while: a consumer that must handle everything, where
   * {@link #isEmpty()} would pass before a late dead letter is written. Fails as soon as one is
   * there.
   *
   * @param period how long the dead-letter topic must stay empty
   * @return this assertion
   */
  public DeadLettersAssert staysEmptyFor(java.time.Duration period) {
    snapshot = actual.stays(List::isEmpty, period, "stay empty");
    return this;
  }

  /**
   * The first dead letter (waiting for one).
   *
   * @return assertions on it
   */
  public DeadLetterAssert first() {
    return element(0);
  }

  /**
   * The dead letter at an index.
   *
   * @param index the index
   * @return assertions on it
   */
  public DeadLetterAssert element(int index) {
    if (snapshot.size() <= index) {
      snapshot =
          actual.await(l -> l.size() > index, "hold at least " + (index + 1) + " dead letters");
    }
    return new DeadLetterAssert(snapshot.get(index));
  }
}
