package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.FailureReason;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.lineage.internal.LazyLineage;
import io.meshsdk.migration.MigrationException;
import io.meshsdk.telemetry.internal.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Calls a consumer's handler with the event's processing span current and its lineage scope open,
 * so that what the handler produces names the event as its parent; a failure is recorded on the
 * span without its message's PII. Shared by the poll thread, the workers of a parallel consumer and
 * the members of a share consumer; thread-safe.
 */
final class HandlerCall<T> {
  private static final AttributeKey<String> EXCEPTION_TYPE =
      AttributeKey.stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");

  private final ConsumerTracing tracing;
  private final EventHandler<T> handler;
  private final DeadLetterWriter deadLetters;

  HandlerCall(ConsumerTracing tracing, EventHandler<T> handler, DeadLetterWriter deadLetters) {
    this.tracing = tracing;
    this.handler = handler;
    this.deadLetters = deadLetters;
  }

  /** Why a handler's exception failed the record: a migration, or the handler itself. */
  static FailureReason reasonOf(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MigrationException) {
        return FailureReason.MIGRATION;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return FailureReason.HANDLER;
  }

  /**
   * Calls the handler.
   *
   * @return what it threw, or null when it returned
   */
  @SuppressWarnings("try") // both scopes act on this thread while the handler runs
  @Nullable Throwable invoke(DefaultConsumedEvent<T> event) {
    Span span = tracing.start(event);
    try (Scope scope = tracing.off() ? Scope.noop() : span.makeCurrent();
        LineageScope lineage = LazyLineage.open(event)) {
      handler.handle(event);
      Telemetry.safely(span::end);
      return null;
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      Telemetry.safely(
          () -> {
            // not span.recordException: its message and stack trace may quote PII values
            span.addEvent(
                "exception",
                Attributes.of(
                    EXCEPTION_TYPE,
                    e.getClass().getName(),
                    EXCEPTION_MESSAGE,
                    deadLetters.safeMessage(e, event.value())));
            span.setStatus(StatusCode.ERROR);
            span.end();
          });
      return e;
    }
  }
}
