package io.meshsdk.crypto;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DataKeyStore} in this process's memory: for tests, and for a single process whose
 * encrypted data need not outlive it. Deleted references are remembered, so a shredded key is never
 * created again by this store.
 *
 * <p>Arrays given are copied and arrays returned are copies: callers may overwrite theirs.
 *
 * <p>Thread-safety: thread-safe; each operation is atomic for its reference (a {@code delete} and a
 * concurrent {@code putIfAbsent} of the same reference never leave a key behind the deletion).
 */
public final class InMemoryDataKeyStore implements DataKeyStore {
  /** Marks a deleted reference; compared by identity. */
  private static final byte[] SHREDDED = new byte[0];

  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryDataKeyStore() {}

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException never
   */
  @Override
  public Optional<byte[]> get(String keyRef) {
    Objects.requireNonNull(keyRef, "keyRef");
    byte[] key = keys.get(keyRef);
    return key == null || key == SHREDDED ? Optional.empty() : Optional.of(key.clone());
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException naming the reference if it was deleted (shredded)
   */
  @Override
  public byte[] putIfAbsent(String keyRef, byte[] wrappedKey) {
    Objects.requireNonNull(keyRef, "keyRef");
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    byte[] copy = wrappedKey.clone();
    byte[] stored = keys.computeIfAbsent(keyRef, ref -> copy);
    if (stored == SHREDDED) {
      throw new KeyManagementException(
          "The data key " + keyRef + " was shredded (deleted) and is never created again", null);
    }
    return stored.clone();
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException never
   */
  @Override
  public boolean delete(String keyRef) {
    Objects.requireNonNull(keyRef, "keyRef");
    byte[] previous = keys.put(keyRef, SHREDDED);
    return previous != null && previous != SHREDDED;
  }

  /**
   * The number of keys stored, deleted ones not counted (tests).
   *
   * @return the number of keys
   */
  public int size() {
    return (int) keys.values().stream().filter(k -> k != SHREDDED).count();
  }

  @Override
  public String toString() {
    return "InMemoryDataKeyStore[" + size() + " keys]";
  }
}
