package io.meshsdk.config.internal;

import io.meshsdk.MeshBuilder;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Messages for configuration keys that look like Mesh SDK's own but are not: a typo must fail and
 * name the key meant, never be ignored.
 *
 * <p>Thread-safety: stateless.
 */
public final class ConfigKeys {
  /** Namespaces owned by Mesh SDK (and the Confluent registry client keys it reads). */
  private static final List<String> OWN_NAMESPACES =
      List.of("mesh.", "schema.registry.", "basic.auth.", "bearer.auth.");

  /**
   * The keys {@code Mesh.builder().properties(...)} reads. Any other key in Mesh SDK's namespaces
   * is a typo to report, never a key to pass on silently.
   */
  public static final List<String> BUILDER_KEYS =
      List.of(
          MeshBuilder.APPLICATION,
          MeshBuilder.REGISTRATION,
          MeshBuilder.PROVISIONING,
          MeshBuilder.TOPIC_PREFIX,
          MeshBuilder.HEADERS,
          MeshBuilder.REPLICATION_FACTOR,
          MeshBuilder.CLOSE_TIMEOUT_MS,
          MeshBuilder.STARTUP_TIMEOUT_MS,
          MeshBuilder.TOPIC_WAIT_MS,
          MeshBuilder.REGISTRY_TIMEOUT_MS,
          MeshBuilder.DECODE_MAX_DEPTH,
          MeshBuilder.DECODE_MAX_ELEMENTS,
          MeshBuilder.CONTRACT_LOCK,
          MeshBuilder.OPENLINEAGE_TRANSPORT,
          MeshBuilder.OPENLINEAGE_URL,
          MeshBuilder.OPENLINEAGE_ENDPOINT,
          MeshBuilder.OPENLINEAGE_API_KEY,
          MeshBuilder.OPENLINEAGE_TOPIC,
          MeshBuilder.OPENLINEAGE_NAMESPACE,
          MeshBuilder.OPENLINEAGE_INTERVAL_MS,
          MeshBuilder.OPENLINEAGE_QUEUE_CAPACITY,
          MeshBuilder.OPENLINEAGE_TIMEOUT_MS,
          RegistryConfig.URL,
          RegistryConfig.PREFIXED_BASIC_AUTH_USER_INFO,
          RegistryConfig.BASIC_AUTH_USER_INFO,
          RegistryConfig.BASIC_AUTH_SOURCE,
          RegistryConfig.BEARER_AUTH_TOKEN,
          RegistryConfig.BEARER_AUTH_SOURCE);

  /**
   * Keys in Mesh SDK's namespace that other Mesh modules read from the same configuration (Kafka
   * Streams hands its whole configuration to every serde and handler): neither the builder nor the
   * serdes read them, nor report them as typos.
   */
  public static final List<String> MODULE_KEYS =
      List.of("mesh.streams.dead.letter.topic", "mesh.streams.instance");

  private ConfigKeys() {}

  /**
   * Whether a key lies in a namespace Mesh SDK reads, so that an unknown one is a mistake.
   *
   * @param key the key
   * @return whether it does
   */
  public static boolean ownNamespace(String key) {
    if (MODULE_KEYS.contains(key)) {
      return false;
    }
    for (String ns : OWN_NAMESPACES) {
      if (key.startsWith(ns)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The message for an unknown key, naming the nearest known one when it is close.
   *
   * @param key the unknown key
   * @param known the keys that would have been read
   * @return the message
   */
  public static String unknown(String key, Collection<String> known) {
    String nearest = nearest(key, known);
    String hint =
        nearest != null
            ? "; did you mean " + nearest + "?"
            : "; known keys: " + String.join(", ", known);
    return "unknown Mesh SDK property" + hint;
  }

  /**
   * The known word nearest to a mistyped one, if it is close enough to be what was meant.
   *
   * @param word the mistyped word
   * @param known the words it could have meant
   * @return the nearest, or null when none is close
   */
  public static @Nullable String nearest(String word, Collection<String> known) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(word, k);
      if (d < best) {
        best = d;
        nearest = k;
      }
    }
    return best <= Math.max(3, word.length() / 3) ? nearest : null;
  }

  /**
   * A whole number from a configuration value.
   *
   * @param value the value
   * @return the number
   * @throws IllegalArgumentException if it is not one
   */
  public static int integer(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number", e);
    }
  }

  /**
   * An enum constant from a configuration value, in any case.
   *
   * @param type the enum
   * @param value the value
   * @param <E> the enum type
   * @return the constant
   * @throws IllegalArgumentException naming the constants if it is none of them
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()), e);
    }
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
