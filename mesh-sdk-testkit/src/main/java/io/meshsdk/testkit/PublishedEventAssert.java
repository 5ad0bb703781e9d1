package io.meshsdk.testkit;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import java.util.Objects;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one published event.
 *
 * <p>Thread-safety: not thread-safe; one per assertion chain.
 *
 * @param <T> the product type
 */
public final class PublishedEventAssert<T>
    extends AbstractAssert<PublishedEventAssert<T>, PublishedEvent<T>> {

  PublishedEventAssert(PublishedEvent<T> actual) {
    super(actual, PublishedEventAssert.class);
  }

  /**
   * Checks the record key.
   *
   * @param key the expected key
   * @return this assertion
   */
  public PublishedEventAssert<T> hasKey(String key) {
    isNotNull();
    if (!Objects.equals(actual.key(), key)) {
      failWithMessage(
          "Expected event %s to have key <%s> but it was <%s>", actual.ref(), key, actual.key());
    }
    return this;
  }

  /**
   * Checks that the event is a tombstone: the deletion of its key.
   *
   * @return this assertion
   */
  public PublishedEventAssert<T> isDeletion() {
    isNotNull();
    if (!actual.isDeletion()) {
      failWithMessage(
          "Expected event %s to be a deletion (a tombstone) but it has the value%n  <%s>",
          actual.ref(), actual.value());
    }
    return this;
  }

  /**
   * Checks the decoded value with {@code equals}.
   *
   * @param value the expected value
   * @return this assertion
   */
  public PublishedEventAssert<T> hasValue(T value) {
    isNotNull();
    if (!Objects.equals(actual.value(), value)) {
      failWithMessage(
          "Expected event %s to have value%n  <%s>%nbut it was%n  <%s>",
          actual.ref(), value, actual.value());
    }
    return this;
  }

  /**
   * Runs assertions on the decoded value.
   *
   * @param requirements assertions on the value
   * @return this assertion
   */
  public PublishedEventAssert<T> hasValueSatisfying(Consumer<T> requirements) {
    isNotNull();
    T value = actual.value();
    if (value == null) {
      failWithMessage("Expected event %s to have a value but it is a deletion", actual.ref());
      return this;
    }
    requirements.accept(value);
    return this;
  }

  /**
   * Checks a header's value.
   *
   * @param name the header name
   * @param value the expected value
   * @return this assertion
   */
  public PublishedEventAssert<T> hasHeader(String name, String value) {
    isNotNull();
    String found = actual.headers().get(name);
    if (!Objects.equals(found, value)) {
      failWithMessage(
          "Expected event %s to have header %s=<%s> but %s; headers: %s",
          actual.ref(),
          name,
          value,
          found == null ? "it has none" : "it was <" + found + ">",
          actual.headers());
    }
    return this;
  }

  /**
   * Checks that a header is present.
   *
   * @param name the header name
   * @return this assertion
   */
  public PublishedEventAssert<T> hasHeader(String name) {
    isNotNull();
    if (!actual.headers().containsKey(name)) {
      failWithMessage(
          "Expected event %s to have header %s; headers: %s",
          actual.ref(), name, actual.headers().keySet());
    }
    return this;
  }

  /**
   * Checks the CloudEvents type ({@code {domain}.{name}.v{major}}).
   *
   * @param type the expected type
   * @return this assertion
   */
  public PublishedEventAssert<T> hasType(String type) {
    return hasHeader(MeshHeaders.TYPE, type);
  }

  /**
   * Checks that the event names another as its direct parent.
   *
   * @param parent the parent event
   * @return this assertion
   */
  public PublishedEventAssert<T> hasParent(PublishedEvent<?> parent) {
    return hasParent(parent.ref());
  }

  /**
   * Checks that the event names a reference as its direct parent.
   *
   * @param parent the parent reference (type, id, topic, partition and offset all compared)
   * @return this assertion
   */
  public PublishedEventAssert<T> hasParent(EventRef parent) {
    isNotNull();
    if (!actual.lineage().parents().contains(parent)) {
      failWithMessage(
          "Expected event %s to have parent%n  %s%nbut its parents are%n  %s",
          actual.ref(), parent, actual.lineage().parents());
    }
    return this;
  }

  /**
   * Checks that the event is a root: not derived from any other.
   *
   * @return this assertion
   */
  public PublishedEventAssert<T> hasNoParents() {
    isNotNull();
    if (actual.lineage().isDerived()) {
      failWithMessage(
          "Expected event %s to have no parents but it has %s",
          actual.ref(), actual.lineage().parents());
    }
    return this;
  }
}
