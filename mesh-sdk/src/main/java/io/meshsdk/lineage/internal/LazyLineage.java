package io.meshsdk.lineage.internal;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.LineageScope;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Opens {@link LineageScope}s whose one parent is asked for only when a record produced inside the
 * scope needs it. A consumer opens a scope around every handler call, and most calls produce
 * nothing: the consumed event's reference (its id decoded, its type and topic checked) is then
 * never built. Not API: {@code LineageScope} installs the opener when its class initialises, so
 * that the public class gains no method for it. Thread-safe.
 */
public final class LazyLineage {
  private static volatile @Nullable Function<Supplier<EventRef>, LineageScope> opener;

  private LazyLineage() {}

  /**
   * Called once, by {@code LineageScope}.
   *
   * @param scopes opens a lazy scope on the calling thread
   * @throws IllegalStateException when called again
   */
  public static synchronized void install(Function<Supplier<EventRef>, LineageScope> scopes) {
    if (opener != null) {
      throw new IllegalStateException("the lazy lineage opener is installed already");
    }
    opener = Objects.requireNonNull(scopes, "scopes");
  }

  /**
   * Opens a scope on this thread whose records list the parent given, asked for at most once.
   *
   * @param parent gives the parent, non-null
   * @return the scope; close it on the same thread
   */
  public static LineageScope open(Supplier<EventRef> parent) {
    Function<Supplier<EventRef>, LineageScope> scopes = opener;
    if (scopes == null) {
      LineageScope.currentParents(); // initialises LineageScope, which installs the opener
      scopes = Objects.requireNonNull(opener, "opener");
    }
    return scopes.apply(parent);
  }
}
