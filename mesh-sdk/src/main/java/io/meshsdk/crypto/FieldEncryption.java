package io.meshsdk.crypto;

import java.time.Duration;
import java.util.Objects;

/**
 * How a mesh encrypts and decrypts the fields products declare encrypted ({@code @Pii(encrypted =
 * true)}): the key-management service holding the key-encryption key, the store of wrapped data
 * keys shared by producers and consumers, and what a consumer does with a field it may not read.
 * Given to {@code MeshBuilder.fieldEncryption}; {@code docs/security.md} describes the format.
 *
 * <p>Thread-safety: immutable; the service and store are used by the mesh, not closed by it.
 */
public final class FieldEncryption {
  private final KeyManagementService kms;
  private final DataKeyStore keys;
  private final boolean failOnMissingKey;
  private final Duration keyCacheTtl;

  private FieldEncryption(
      KeyManagementService kms, DataKeyStore keys, boolean failOnMissingKey, Duration keyCacheTtl) {
    this.kms = kms;
    this.keys = keys;
    this.failOnMissingKey = failOnMissingKey;
    this.keyCacheTtl = keyCacheTtl;
  }

  /**
   * Field encryption with a key-management service and a store of data keys. A consumer reads a
   * field it cannot decrypt (its key shredded, or not unwrappable here) as null, and the event
   * names it ({@code ConsumedEvent.withheldFields()}); unwrapped data keys are cached for 10
   * minutes, so a key shredded by another process stops being used here within that time.
   *
   * @param kms holds the key-encryption key
   * @param keys the wrapped data keys
   * @return the configuration
   */
  public static FieldEncryption of(KeyManagementService kms, DataKeyStore keys) {
    return new FieldEncryption(
        Objects.requireNonNull(kms, "kms"),
        Objects.requireNonNull(keys, "keys"),
        false,
        Duration.ofMinutes(10));
  }

  /**
   * A consumer fails on a field it cannot decrypt (the record goes to the dead-letter topic with
   * its encrypted bytes) instead of reading it as null.
   *
   * @return a copy that fails
   */
  public FieldEncryption failOnMissingKey() {
    return new FieldEncryption(kms, keys, true, keyCacheTtl);
  }

  /**
   * How long an unwrapped data key is used without looking at the store again (default 10 minutes):
   * the bound on how long a key shredded elsewhere still decrypts here.
   *
   * @param ttl positive
   * @return a copy with the time-to-live
   * @throws IllegalArgumentException if not positive
   */
  public FieldEncryption keyCacheTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("key cache time-to-live must be positive, got " + ttl);
    }
    return new FieldEncryption(kms, keys, failOnMissingKey, ttl);
  }

  /**
   * The key-management service.
   *
   * @return the service
   */
  public KeyManagementService kms() {
    return kms;
  }

  /**
   * The data key store.
   *
   * @return the store
   */
  public DataKeyStore keys() {
    return keys;
  }

  /**
   * Whether a consumer fails on a field it cannot decrypt.
   *
   * @return whether it fails
   */
  public boolean failsOnMissingKey() {
    return failOnMissingKey;
  }

  /**
   * How long unwrapped data keys are cached.
   *
   * @return the time-to-live
   */
  public Duration keyCacheTtl() {
    return keyCacheTtl;
  }

  @Override
  public String toString() {
    return "FieldEncryption["
        + kms
        + ", "
        + keys
        + (failOnMissingKey ? ", fail on missing key" : "")
        + "]";
  }
}
