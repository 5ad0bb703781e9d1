package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ConsumedEvent;
import org.jspecify.annotations.Nullable;

/** A consumed event with its value migrated to the reader's major; everything else as consumed. */
final class MigratedEvent {
  private MigratedEvent() {}

  static <S, T> ConsumedEvent<T> of(ConsumedEvent<S> e, @Nullable T value) {
    return new DefaultConsumedEvent<>(
        value,
        e.key(),
        e.keyFormat(),
        e.rawKey(),
        e.lineage(),
        e.eventId(),
        e.eventTime(),
        e.writerVersion(),
        e.topic(),
        e.partition(),
        e.offset(),
        e.timestamp(),
        e.schemaId(),
        e.headers(),
        e.withheldFields());
  }
}
