package io.meshsdk.crypto.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The encrypted fields the record just decoded on this thread could not be read (no key), so that
 * the consumer can mark them on the event. Collected only inside a scope the consumer opens around
 * one decode ({@link #begin()}, then {@link #drain()}); elsewhere (a plain deserializer, a codec)
 * nothing is kept, so no thread accumulates field names.
 *
 * <p>Thread-safety: one scope per thread.
 */
public final class Withheld {
  private static final ThreadLocal<@Nullable List<String>> FIELDS = new ThreadLocal<>();

  private Withheld() {}

  /** Opens a scope on this thread: fields noted until {@link #drain()} are kept. */
  public static void begin() {
    FIELDS.set(new ArrayList<>(2));
  }

  /**
   * Notes a field read as absent because it could not be decrypted; outside a scope, nothing.
   *
   * @param field the field name
   */
  public static void add(String field) {
    List<String> fields = FIELDS.get();
    if (fields != null) {
      fields.add(field);
    }
  }

  /**
   * The fields noted in this thread's scope, and closes it.
   *
   * @return the field names, empty when all were read (or no scope was open)
   */
  public static List<String> drain() {
    List<String> fields = FIELDS.get();
    FIELDS.remove();
    return fields == null || fields.isEmpty() ? List.of() : List.copyOf(fields);
  }
}
