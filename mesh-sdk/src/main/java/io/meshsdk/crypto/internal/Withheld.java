package io.meshsdk.crypto.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The encrypted fields the record just decoded on this thread could not be read (no key), so that
 * the consumer can mark them on the event: the codec adds, the consumer drains after each decode.
 *
 * <p>Thread-safety: one list per thread.
 */
public final class Withheld {
  private static final ThreadLocal<@Nullable List<String>> FIELDS = new ThreadLocal<>();

  private Withheld() {}

  /**
   * Notes a field read as absent because it could not be decrypted.
   *
   * @param field the field name
   */
  public static void add(String field) {
    List<String> fields = FIELDS.get();
    if (fields == null) {
      fields = new ArrayList<>(2);
      FIELDS.set(fields);
    }
    fields.add(field);
  }

  /**
   * The fields noted since the last drain on this thread, and forgets them.
   *
   * @return the field names, empty when all were read
   */
  public static List<String> drain() {
    List<String> fields = FIELDS.get();
    if (fields == null || fields.isEmpty()) {
      return List.of();
    }
    List<String> out = List.copyOf(fields);
    fields.clear();
    return out;
  }
}
