package io.meshsdk.crypto.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import io.meshsdk.crypto.DataKeyStore;
import io.meshsdk.crypto.KeyManagementException;
import io.meshsdk.crypto.KeyManagementService;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The data keys of field encryption, by reference: each is an AES256-GCM Tink keyset, stored
 * wrapped by the key-encryption key ({@link KeyManagementService}) in a {@link DataKeyStore}, and
 * kept unwrapped in a bounded cache so that encrypting or decrypting a record costs no KMS call and
 * no store read once its key is warm ({@link #kmsCalls()}, {@link #storeReads()}).
 *
 * <p>A lookup has three outcomes ({@link Lookup}): the key ({@link Lookup.Found}); no key ({@link
 * Lookup.Absent}: never created, or shredded); or a key that is stored but this process may not use
 * ({@link Lookup.Unusable}: the KMS refused to unwrap it, or it is damaged). A consumer reads an
 * absent key as "this subject was erased" and an unusable one as "not for this application"; both
 * are cached for the negative time-to-live, so a consumer meeting many such records reads the store
 * and asks the KMS once per reference and negative time-to-live, not per record.
 *
 * <p>The unwrapped key is cached for the time-to-live (default 10 minutes): a key shredded by
 * another process ({@link #forget} there) stays usable here for at most that long. Outages are
 * thrown as retriable {@link KeyManagementException}s, never cached and never read as an answer:
 * every failure to read the store; a retriable {@code KeyManagementException} of the KMS; and any
 * other {@code RuntimeException} of either. A KMS's non-retriable {@code KeyManagementException} is
 * a refusal ({@link Lookup.Unusable}). Failures to create a key are thrown as they are (a shredded
 * reference is refused for good).
 *
 * <p>The data key's reference, UTF-8 encoded, is the associated data of wrapping: a wrapped key
 * moved to another reference does not unwrap.
 *
 * <p>Thread-safety: thread-safe; share one instance per KMS and store. Concurrent lookups of the
 * same reference wait for one load (one store read, one unwrap); concurrent creation in several
 * processes ends with the key that {@link DataKeyStore#putIfAbsent} kept, used by all. The KMS and
 * the store are not owned: this class has nothing to close.
 */
public final class DataKeys {
  /** The default time an unwrapped key is cached. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /** The default time an absent or unusable key is remembered as such. */
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(60);

  /** The default bound on cached references. */
  public static final int DEFAULT_MAXIMUM_KEYS = 10_000;

  /**
   * What a lookup found. Compare with {@code instanceof}: {@link Found}, {@link Absent}, {@link
   * Unusable}.
   */
  public sealed interface Lookup {
    /**
     * The data key.
     *
     * @param aead the key's primitive; thread-safe
     */
    record Found(Aead aead) implements Lookup {
      /**
       * Creates the outcome.
       *
       * @param aead the key's primitive
       */
      public Found {
        Objects.requireNonNull(aead, "aead");
      }
    }

    /** No key under the reference: never created, or shredded. */
    record Absent() implements Lookup {}

    /**
     * A key is stored, but this process could not use it: the KMS refused to unwrap it (no
     * permission, another key-encryption key) or failed, or the unwrapped key is not a keyset.
     *
     * @param reason the KMS's or Tink's failure; names the reference, never key material
     */
    record Unusable(KeyManagementException reason) implements Lookup {
      /**
       * Creates the outcome.
       *
       * @param reason why the key cannot be used
       */
      public Unusable {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  private static final Lookup ABSENT = new Lookup.Absent();

  private final KeyManagementService kms;
  private final DataKeyStore store;
  private final long ttlNanos;
  private final long negativeTtlNanos;
  private final Duration negativeTtl;
  private final int maximumKeys;
  private final LongSupplier ticker;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final ReentrantLock evicting = new ReentrantLock();
  private final LongAdder kmsCalls = new LongAdder();
  private final LongAdder storeReads = new LongAdder();

  /** One cached reference: a load in flight, or its outcome until {@link #expiresAt}. */
  private static final class Slot {
    final CompletableFuture<Lookup> outcome = new CompletableFuture<>();

    /** In {@link #ticker} nanoseconds; written before {@link #outcome} completes. */
    volatile long expiresAt;
  }

  private DataKeys(Builder builder) {
    this.kms = builder.kms;
    this.store = builder.store;
    this.ttlNanos = builder.ttl.toNanos();
    this.negativeTtl = builder.negativeTtl;
    this.negativeTtlNanos = builder.negativeTtl.toNanos();
    this.maximumKeys = builder.maximumKeys;
    this.ticker = builder.ticker;
    TinkKeysets.ensureRegistered();
  }

  /**
   * Starts the settings of a {@code DataKeys}.
   *
   * @param kms holds the key-encryption key; not owned
   * @param store holds the wrapped data keys; not owned
   * @return the builder, with the defaults
   */
  public static Builder builder(KeyManagementService kms, DataKeyStore store) {
    return new Builder(kms, store);
  }

  /**
   * The data key under a reference, creating it if asked and there is none.
   *
   * <p>Served from the cache while fresh (no KMS call, no store read). Otherwise the store is read:
   * a stored key is unwrapped; with no stored key and {@code create}, a new key is generated,
   * wrapped and offered to the store, and the key the store keeps (this one, or one another process
   * stored first) is used. A cached {@link Lookup.Absent} does not stop a lookup that creates.
   *
   * @param keyRef the key's reference
   * @param create whether to create the key when there is none (producers)
   * @return the key, {@link Lookup.Absent} (only when not creating), or {@link Lookup.Unusable}
   * @throws KeyManagementException if the store fails, refuses to store a created key (the
   *     reference was shredded), or the KMS cannot wrap a created key
   */
  public Lookup lookup(String keyRef, boolean create) {
    Objects.requireNonNull(keyRef, "keyRef");
    while (true) {
      Slot slot = slots.get(keyRef);
      if (slot == null) {
        Slot mine = new Slot();
        slot = slots.putIfAbsent(keyRef, mine);
        if (slot == null) {
          return load(keyRef, create, mine);
        }
      }
      Lookup outcome = await(slot);
      if (ticker.getAsLong() - slot.expiresAt < 0
          && !(create && outcome instanceof Lookup.Absent)) {
        return outcome;
      }
      slots.remove(keyRef, slot);
    }
  }

  /**
   * The data key under a reference, for callers that treat an unusable key as an error: {@link
   * #lookup} with the outcome {@link Lookup.Unusable} thrown.
   *
   * @param keyRef the key's reference
   * @param create whether to create the key when there is none
   * @return the key's primitive, or empty when there is no key (never created, or shredded)
   * @throws KeyManagementException if a key is stored but this process may not use it, or as {@link
   *     #lookup}
   */
  public Optional<Aead> aead(String keyRef, boolean create) {
    Lookup outcome = lookup(keyRef, create);
    if (outcome instanceof Lookup.Found found) {
      return Optional.of(found.aead());
    }
    if (outcome instanceof Lookup.Unusable unusable) {
      throw new KeyManagementException(
          "The data key "
              + keyRef
              + " is stored but cannot be used by this process (retried after "
              + negativeTtl
              + ")",
          unusable.reason());
    }
    return Optional.empty();
  }

  /**
   * Shreds a key: deletes it from the store, for good, and from this cache at once. Other processes
   * stop using it within their time-to-live.
   *
   * @param keyRef the key's reference
   * @return whether a key was stored under it
   * @throws KeyManagementException if the store fails
   */
  public boolean forget(String keyRef) {
    Objects.requireNonNull(keyRef, "keyRef");
    boolean deleted = store.delete(keyRef);
    // after the deletion: a load that read the store before it completes into a removed slot
    slots.remove(keyRef);
    return deleted;
  }

  /**
   * KMS calls made so far, wraps and unwraps, failed ones included.
   *
   * @return the count
   */
  public long kmsCalls() {
    return kmsCalls.sum();
  }

  /**
   * Store reads ({@link DataKeyStore#get}) made so far.
   *
   * @return the count
   */
  public long storeReads() {
    return storeReads.sum();
  }

  /** The number of cached references, loads in flight included (tests). */
  int cachedKeys() {
    return slots.size();
  }

  @Override
  public String toString() {
    return "DataKeys[" + kms + ", " + store + ", " + slots.size() + " cached]";
  }

  private static Lookup await(Slot slot) {
    try {
      return slot.outcome.join();
    } catch (CompletionException e) {
      // the loading thread's failure, thrown to every thread that waited for it
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private Lookup load(String keyRef, boolean create, Slot mine) {
    Lookup outcome;
    try {
      outcome = fetch(keyRef, create);
    } catch (RuntimeException | Error e) {
      slots.remove(keyRef, mine);
      mine.outcome.completeExceptionally(e);
      throw e;
    }
    mine.expiresAt =
        ticker.getAsLong() + (outcome instanceof Lookup.Found ? ttlNanos : negativeTtlNanos);
    mine.outcome.complete(outcome);
    if (slots.size() > maximumKeys) {
      evict();
    }
    return outcome;
  }

  private Lookup fetch(String keyRef, boolean create) {
    byte[] associatedData = keyRef.getBytes(StandardCharsets.UTF_8);
    storeReads.increment();
    Optional<byte[]> stored;
    try {
      stored = store.get(keyRef);
    } catch (KeyManagementException e) {
      // a store that cannot read says nothing about the key: never an answer, always a wait
      throw e.isRetriable()
          ? e
          : new KeyManagementException(
              "The data key store could not read " + keyRef + ": " + e.getMessage(), e, true);
    } catch (RuntimeException e) {
      throw outage("The data key store failed to read " + keyRef, e);
    }
    if (stored.isPresent()) {
      return unwrap(keyRef, stored.get(), associatedData);
    }
    if (!create) {
      return ABSENT;
    }
    KeysetHandle keyset = TinkKeysets.newAes256Gcm();
    byte[] plain;
    try {
      plain = TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new KeyManagementException(
          "The new data key " + keyRef + " could not be serialized", e);
    }
    byte[] wrapped;
    try {
      kmsCalls.increment();
      wrapped = kms.wrap(plain, associatedData);
    } catch (KeyManagementException e) {
      throw e;
    } catch (RuntimeException e) {
      throw outage("The KMS failed to wrap the new data key " + keyRef, e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    byte[] winner;
    try {
      winner = store.putIfAbsent(keyRef, wrapped);
    } catch (KeyManagementException e) {
      throw e;
    } catch (RuntimeException e) {
      throw outage("The data key store failed to store " + keyRef, e);
    }
    if (Arrays.equals(winner, wrapped)) {
      return new Lookup.Found(TinkKeysets.aead(keyset, "the data key " + keyRef));
    }
    // another process stored its key first: everyone uses that one
    return unwrap(keyRef, winner, associatedData);
  }

  private Lookup unwrap(String keyRef, byte[] wrapped, byte[] associatedData) {
    byte[] plain;
    try {
      kmsCalls.increment();
      plain = kms.unwrap(wrapped, associatedData);
    } catch (KeyManagementException e) {
      if (e.isRetriable()) {
        throw e; // an outage, not an answer: not cached, the caller waits or fails
      }
      return new Lookup.Unusable(e);
    } catch (RuntimeException e) {
      throw outage("The KMS failed to unwrap the data key " + keyRef, e);
    }
    try {
      KeysetHandle keyset = TinkProtoKeysetFormat.parseKeyset(plain, InsecureSecretKeyAccess.get());
      return new Lookup.Found(TinkKeysets.aead(keyset, "the data key " + keyRef));
    } catch (GeneralSecurityException e) {
      return new Lookup.Unusable(
          new KeyManagementException("The data key " + keyRef + " unwrapped to no keyset", e));
    } catch (KeyManagementException e) {
      return new Lookup.Unusable(e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** An unexpected failure of the KMS or the store: retriable, its class named, not its message. */
  private static KeyManagementException outage(String what, RuntimeException e) {
    return new KeyManagementException(what + " (" + e.getClass().getName() + ")", e, true);
  }

  /**
   * Brings the cache down to 90% of its bound, dropping the entries that expire soonest (expired
   * ones first). One thread evicts at a time; the others go on.
   */
  private void evict() {
    if (!evicting.tryLock()) {
      return;
    }
    try {
      long now = ticker.getAsLong();
      List<Map.Entry<String, Slot>> done = new ArrayList<>();
      for (Map.Entry<String, Slot> e : slots.entrySet()) {
        if (e.getValue().outcome.isDone()) {
          done.add(e);
        }
      }
      done.sort(Comparator.comparingLong(e -> e.getValue().expiresAt - now));
      int excess = slots.size() - (maximumKeys - maximumKeys / 10);
      for (int i = 0; i < excess && i < done.size(); i++) {
        slots.remove(done.get(i).getKey(), done.get(i).getValue());
      }
    } finally {
      evicting.unlock();
    }
  }

  /**
   * Settings of a {@link DataKeys}.
   *
   * <p>Thread-safety: not thread-safe; use from one thread, then {@link #build()}.
   */
  public static final class Builder {
    private final KeyManagementService kms;
    private final DataKeyStore store;
    private Duration ttl = DEFAULT_TTL;
    private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
    private int maximumKeys = DEFAULT_MAXIMUM_KEYS;
    private LongSupplier ticker = System::nanoTime;

    private Builder(KeyManagementService kms, DataKeyStore store) {
      this.kms = Objects.requireNonNull(kms, "kms");
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * How long an unwrapped key is cached: how long another process's shredding takes to reach this
     * one.
     *
     * @param ttl positive
     * @return this builder
     */
    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * How long an absent or unusable key is remembered as such.
     *
     * @param negativeTtl positive
     * @return this builder
     */
    public Builder negativeTtl(Duration negativeTtl) {
      this.negativeTtl = Objects.requireNonNull(negativeTtl, "negativeTtl");
      return this;
    }

    /**
     * The bound on cached references; beyond it those expiring soonest are dropped.
     *
     * @param maximumKeys at least 1
     * @return this builder
     */
    public Builder maximumKeys(int maximumKeys) {
      this.maximumKeys = maximumKeys;
      return this;
    }

    /**
     * The clock of expiry, in nanoseconds like {@link System#nanoTime()} (the default): tests pass
     * their own.
     *
     * @param ticker the clock
     * @return this builder
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Checks the settings and builds.
     *
     * @return the data keys
     * @throws IllegalArgumentException naming the setting if a time-to-live is not positive or the
     *     bound is below 1
     */
    public DataKeys build() {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, was " + ttl);
      }
      if (negativeTtl.isNegative() || negativeTtl.isZero()) {
        throw new IllegalArgumentException("negativeTtl must be positive, was " + negativeTtl);
      }
      if (maximumKeys < 1) {
        throw new IllegalArgumentException("maximumKeys must be at least 1, was " + maximumKeys);
      }
      return new DataKeys(this);
    }
  }
}
