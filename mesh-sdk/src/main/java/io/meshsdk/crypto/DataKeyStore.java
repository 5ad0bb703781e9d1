package io.meshsdk.crypto;

import java.util.Optional;

/**
 * Where wrapped data keys live, shared by every producer and consumer of a product: the product
 * keys of each producing process (rolled over), or one per data subject of a product that names a
 * subject field. Deleting a subject's key is crypto-shredding: that subject's encrypted fields
 * become unreadable in the whole history of the topic, in every copy.
 *
 * <p>This is a service-provider interface; {@code InMemoryDataKeyStore} is one (tests, a single
 * process). A store shared across processes keeps wrapped keys only, so it holds no secret on its
 * own.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface DataKeyStore {
  /**
   * The wrapped key under a reference.
   *
   * @param keyRef the reference
   * @return the wrapped key, or empty when there is none (never created, or deleted)
   * @throws KeyManagementException if the store fails; any failure to read is taken as an outage
   *     (readers wait), whatever its {@code retriable} flag
   */
  Optional<byte[]> get(String keyRef);

  /**
   * Stores a wrapped key unless one is stored already: two producers creating a subject's first key
   * at once agree on one.
   *
   * @param keyRef the reference
   * @param wrappedKey the wrapped key
   * @return the key stored under the reference now: this one, or the one that was there
   * @throws KeyManagementException if the store fails, or the reference was deleted (a shredded
   *     subject's key is never created again)
   */
  byte[] putIfAbsent(String keyRef, byte[] wrappedKey);

  /**
   * Deletes a key for good (crypto-shredding). A reference once deleted is never stored again.
   *
   * @param keyRef the reference
   * @return whether a key was stored under it
   * @throws KeyManagementException if the store fails
   */
  boolean delete(String keyRef);
}
