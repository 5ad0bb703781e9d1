package io.meshsdk.testkit;

import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on the events of a product's topic. Size and content assertions wait (up to the mesh's
 * timeout) for the events to arrive; element assertions then look at that snapshot.
 *
 * <p>Thread-safety: not thread-safe; one per assertion chain.
 *
 * @param <T> the product type
 */
public final class PublishedEventsAssert<T>
    extends AbstractAssert<PublishedEventsAssert<T>, PublishedEvents<T>> {
  private List<PublishedEvent<T>> snapshot;

  PublishedEventsAssert(PublishedEvents<T> actual) {
    super(actual, PublishedEventsAssert.class);
    isNotNull();
    this.snapshot = List.of();
  }

  /**
   * Waits until exactly {@code count} events are on the topic; fails at once when there are more
   * (events are never removed).
   *
   * @param count the expected number
   * @return this assertion
   */
  public PublishedEventsAssert<T> hasSize(int count) {
    snapshot = actual.awaitSize(count, "events");
    return this;
  }

  /**
   * Waits until at least {@code count} events are on the topic.
   *
   * @param count the minimum
   * @return this assertion
   */
  public PublishedEventsAssert<T> hasSizeGreaterThanOrEqualTo(int count) {
    snapshot = actual.await(l -> l.size() >= count, "hold at least " + count + " events");
    return this;
  }

  /**
   * Checks that no event is on the topic now.
   *
   * @return this assertion
   */
  public PublishedEventsAssert<T> isEmpty() {
    snapshot = actual.now();
    if (!snapshot.isEmpty()) {
      failWithMessage(
          "Expected %s to be empty but found %d:%s",
          actual.description(), snapshot.size(), Live.describe(snapshot));
    }
    return this;
  }

  /**
   * Checks that no event arrives on the topic for a while: for what must not be published (a
   * refused event, a consumer that must not forward), where {@link #isEmpty()} would pass before a
   * late event arrives. Fails as soon as one is there.
   *
   * @param period how long the topic must stay empty
   * @return this assertion
   */
  public PublishedEventsAssert<T> staysEmptyFor(java.time.Duration period) {
    snapshot = actual.stays(List::isEmpty, period, "stay empty");
    return this;
  }

  /**
   * Waits until some event satisfies the requirements.
   *
   * @param requirements assertions on one event
   * @return this assertion
   */
  public PublishedEventsAssert<T> anySatisfy(Consumer<PublishedEvent<T>> requirements) {
    snapshot =
        actual.await(
            l -> l.stream().anyMatch(e -> satisfies(e, requirements)),
            "hold an event satisfying the requirements");
    return this;
  }

  private static <E> boolean satisfies(E e, Consumer<E> requirements) {
    try {
      requirements.accept(e);
      return true;
    } catch (AssertionError error) {
      return false;
    }
  }

  /**
   * The first event (waiting for one if none was seen yet).
   *
   * @return assertions on it
   */
  public PublishedEventAssert<T> first() {
    return element(0);
  }

  /**
   * The last event seen.
   *
   * @return assertions on it
   */
  public PublishedEventAssert<T> last() {
    ensure(1);
    return new PublishedEventAssert<>(snapshot.get(snapshot.size() - 1));
  }

  /**
   * The event at an index, in partition and offset order.
   *
   * @param index the index
   * @return assertions on it
   */
  public PublishedEventAssert<T> element(int index) {
    ensure(index + 1);
    return new PublishedEventAssert<>(snapshot.get(index));
  }

  /**
   * The decoded values, for AssertJ's list assertions.
   *
   * @return a list assertion
   */
  public ListAssert<T> values() {
    if (snapshot.isEmpty()) {
      snapshot = actual.now();
    }
    return Assertions.assertThat(snapshot.stream().map(PublishedEvent::value).toList());
  }

  /**
   * The keys, for AssertJ's list assertions.
   *
   * @return a list assertion
   */
  public ListAssert<String> keys() {
    if (snapshot.isEmpty()) {
      snapshot = actual.now();
    }
    return Assertions.assertThat(snapshot.stream().map(PublishedEvent::key).toList());
  }

  private void ensure(int size) {
    if (snapshot.size() < size) {
      snapshot = actual.await(l -> l.size() >= size, "hold at least " + size + " events");
    }
  }
}
