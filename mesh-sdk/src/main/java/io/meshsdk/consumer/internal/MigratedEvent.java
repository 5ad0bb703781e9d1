package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ConsumedEvent;
import org.jspecify.annotations.Nullable;

/** A consumed event with its value migrated to the reader's major; everything else as consumed. */
final class MigratedEvent {
  private MigratedEvent() {}

  static <S, T> ConsumedEvent<T> of(ConsumedEvent<S> e, @Nullable T value) {
    return DefaultConsumedEvent.withValue(e, value);
  }
}
