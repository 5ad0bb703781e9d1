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
  /** How long a producer uses one key for a product without a data subject, by default: a day. */
  public static final Duration DEFAULT_PRODUCT_KEY_LIFETIME = Duration.ofDays(1);

  private final KeyManagementService kms;
  private final DataKeyStore keys;
  private final boolean failOnMissingKey;
  private final Duration keyCacheTtl;
  private final Duration productKeyLifetime;

  private FieldEncryption(
      KeyManagementService kms,
      DataKeyStore keys,
      boolean failOnMissingKey,
      Duration keyCacheTtl,
      Duration productKeyLifetime) {
    this.kms = kms;
    this.keys = keys;
    this.failOnMissingKey = failOnMissingKey;
    this.keyCacheTtl = keyCacheTtl;
    this.productKeyLifetime = productKeyLifetime;
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
        Duration.ofMinutes(10),
        DEFAULT_PRODUCT_KEY_LIFETIME);
  }

  /**
   * A consumer fails on a field it cannot decrypt (the record goes to the dead-letter topic with
   * its encrypted bytes) instead of reading it as null.
   *
   * @return a copy that fails
   */
  public FieldEncryption failOnMissingKey() {
    return new FieldEncryption(kms, keys, true, keyCacheTtl, productKeyLifetime);
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
    return new FieldEncryption(kms, keys, failOnMissingKey, ttl, productKeyLifetime);
  }

  /**
   * How long a producer encrypts a product without a {@code @DataSubject} under one data key before
   * it rolls over to a new one (default {@link #DEFAULT_PRODUCT_KEY_LIFETIME}). Each producing
   * process has keys of its own, which also roll over after 2³¹ encryptions, so that AES-GCM's
   * random nonces never come near a collision. Each roll-over costs one KMS call and one store
   * write in the producer, and one KMS call in each consumer; a shorter lifetime also bounds how
   * much data one leaked data key exposes.
   *
   * @param lifetime from a millisecond to 366 days
   * @return a copy with the lifetime
   * @throws IllegalArgumentException if outside those bounds
   */
  public FieldEncryption productKeyLifetime(Duration lifetime) {
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(Duration.ofMillis(1)) < 0
        || lifetime.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException(
          "product key lifetime must be from 1 ms to 366 days, got " + lifetime);
    }
    return new FieldEncryption(kms, keys, failOnMissingKey, keyCacheTtl, lifetime);
  }

  /**
   * How long a producer uses one key for a product without a data subject.
   *
   * @return the lifetime
   */
  public Duration productKeyLifetime() {
    return productKeyLifetime;
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
