package io.meshsdk.lineage;

import io.meshsdk.lineage.internal.LazyLineage;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The upstream events of the work running on this thread. Consumers and processors open a scope
 * around each handler call, so every record produced inside names the consumed event as its parent
 * with no code. To hand work to another thread, capture {@code event.lineage().self()} and open a
 * scope there:
 *
 * <pre>{@code
 * EventRef parent = event.lineage().self();
 * executor.submit(() -> {
 *   try (LineageScope scope = LineageScope.open(parent)) {
 *     producer.send(derived);            // lists parent
 *   }
 * });
 * }</pre>
 *
 * <p>Scopes nest; closing one restores the nearest enclosing scope that is still open. A scope
 * closed out of order (an outer one before an inner one) stops counting at once, and the inner one,
 * when it closes, skips it: later records never name a closed scope's parents. Thread-safety: a
 * scope belongs to the thread that opened it and must be closed there.
 */
public final class LineageScope implements AutoCloseable {
  private static final ThreadLocal<LineageScope> CURRENT = new ThreadLocal<>();

  static {
    LazyLineage.install(LineageScope::openLazily);
  }

  private @Nullable List<EventRef> parents;
  private final @Nullable Supplier<EventRef> parent;
  private final @Nullable LineageScope previous;
  private final Thread owner;
  private boolean closed;

  private LineageScope(
      @Nullable List<EventRef> parents,
      @Nullable Supplier<EventRef> parent,
      @Nullable LineageScope previous) {
    this.parents = parents;
    this.parent = parent;
    this.previous = previous;
    this.owner = Thread.currentThread();
  }

  /**
   * A scope of one parent, asked for when a record produced inside first needs it: consumers open
   * one per handler call, most of which produce nothing ({@link LazyLineage}).
   */
  private static LineageScope openLazily(Supplier<EventRef> parent) {
    LineageScope scope = new LineageScope(null, parent, CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** The parents; the scope belongs to one thread, so a lazy parent is asked for once. */
  private List<EventRef> parents() {
    List<EventRef> p = parents;
    if (p == null) {
      p = List.of(Objects.requireNonNull(Objects.requireNonNull(parent).get(), "parent"));
      parents = p;
    }
    return p;
  }

  /**
   * Opens a scope whose records list the given parents.
   *
   * @param parents the upstream events
   * @return the scope; close it on the same thread
   * @throws NullPointerException if a parent is null
   */
  public static LineageScope open(EventRef... parents) {
    if (parents.length == 1) {
      return open(parents[0]); // the consumer's case, once per record: no copies
    }
    return open(List.of(parents));
  }

  private static LineageScope open(EventRef parent) {
    LineageScope scope = new LineageScope(List.of(parent), null, CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /**
   * Opens a scope whose records list the given parents.
   *
   * @param parents the upstream events
   * @return the scope; close it on the same thread
   * @throws NullPointerException if the list or a parent is null
   */
  public static LineageScope open(List<EventRef> parents) {
    Objects.requireNonNull(parents, "parents");
    LineageScope scope = new LineageScope(List.copyOf(parents), null, CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /**
   * The parents of records produced on this thread now: those of the innermost open scope.
   *
   * @return the parents, empty outside any scope
   */
  public static List<EventRef> currentParents() {
    LineageScope scope = CURRENT.get();
    while (scope != null && scope.closed) {
      scope = scope.previous; // an enclosing scope closed while this one was open
    }
    return scope == null ? Collections.emptyList() : scope.parents();
  }

  /**
   * Closes the scope, restoring the previous one.
   *
   * @throws IllegalStateException when closed on another thread than the one that opened it
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(
          "a lineage scope must be closed on the thread that opened it");
    }
    closed = true;
    if (CURRENT.get() == this) {
      LineageScope restored = previous;
      while (restored != null && restored.closed) {
        restored = restored.previous; // closed out of order before this one
      }
      // set, not remove: a consumer opens and closes a scope per record, and re-inserting the
      // thread-local entry after a remove costs more than the rest of the scope; the entry left
      // behind holds null
      CURRENT.set(restored);
    }
  }
}
