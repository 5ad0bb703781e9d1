package io.meshsdk.testkit;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The events on a product's topic, read when asked: {@code assertThat(mesh.published(X.class))}
 * waits until the assertion holds or the mesh's timeout passes.
 *
 * <p>Thread-safety: thread-safe.
 *
 * @param <T> the product type
 */
public final class PublishedEvents<T> extends Live<PublishedEvent<T>> {
  PublishedEvents(String description, Supplier<List<PublishedEvent<T>>> source, Duration timeout) {
    super(description, source, timeout);
  }
}
