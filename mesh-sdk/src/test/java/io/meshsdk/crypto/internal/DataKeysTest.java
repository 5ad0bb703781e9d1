package io.meshsdk.crypto.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import io.meshsdk.crypto.DataKeyStore;
import io.meshsdk.crypto.InMemoryDataKeyStore;
import io.meshsdk.crypto.KeyManagementException;
import io.meshsdk.crypto.LocalKeyManagementService;
import io.meshsdk.crypto.internal.DataKeys.Lookup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DataKeysTest {
  private static final String REF = "orders.v1/customer-1";
  private static final byte[] FIELD = "alice@example.com".getBytes(UTF_8);
  private static final byte[] CONTEXT = "orders.v1/email".getBytes(UTF_8);

  private final LocalKeyManagementService kms = LocalKeyManagementService.generate();
  private final InMemoryDataKeyStore store = new InMemoryDataKeyStore();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private DataKeys dataKeys() {
    return dataKeys(kms, store);
  }

  private DataKeys dataKeys(io.meshsdk.crypto.KeyManagementService service, DataKeyStore keyStore) {
    return DataKeys.builder(service, keyStore).ticker(nanos::get).build();
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private static Aead found(Lookup lookup) {
    assertThat(lookup).isInstanceOf(Lookup.Found.class);
    return ((Lookup.Found) lookup).aead();
  }

  /** Runs a task on several threads released at once, and returns their results. */
  private <T> List<T> together(int count, java.util.function.IntFunction<T> task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(
          threads.submit(
              () -> {
                start.await();
                return task.apply(n);
              }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get());
    }
    return results;
  }

  @Test
  void createsAKeyThenServesItFromTheCacheWithoutKmsCalls() throws Exception {
    DataKeys keys = dataKeys();

    Aead aead = found(keys.lookup(REF, true));
    assertThat(keys.kmsCalls()).isEqualTo(1); // the wrap
    assertThat(keys.storeReads()).isEqualTo(1);
    assertThat(store.size()).isEqualTo(1);

    for (int i = 0; i < 10_000; i++) {
      Aead again = found(keys.lookup(REF, i % 2 == 0));
      assertThat(again).isSameAs(aead);
    }

    assertThat(keys.kmsCalls()).isEqualTo(1);
    assertThat(keys.storeReads()).isEqualTo(1);
    assertThat(aead.decrypt(aead.encrypt(FIELD, CONTEXT), CONTEXT)).isEqualTo(FIELD);
  }

  @Test
  void twoProcessesOverOneStoreUseTheSameKey() throws Exception {
    DataKeys producer = dataKeys();
    DataKeys consumer = dataKeys();

    byte[] ciphertext = found(producer.lookup(REF, true)).encrypt(FIELD, CONTEXT);
    Optional<Aead> read = consumer.aead(REF, false);

    assertThat(read).isPresent();
    assertThat(read.orElseThrow().decrypt(ciphertext, CONTEXT)).isEqualTo(FIELD);
    assertThat(consumer.kmsCalls()).isEqualTo(1); // the unwrap
  }

  @Test
  void concurrentLookupsOfOneReferenceCauseOneUnwrap() throws Exception {
    found(dataKeys().lookup(REF, true));
    DataKeys consumer = dataKeys();

    List<Integer> founds =
        together(
            8,
            n -> {
              int count = 0;
              for (int i = 0; i < 1_000; i++) {
                count += consumer.lookup(REF, false) instanceof Lookup.Found ? 1 : 0;
              }
              return count;
            });

    assertThat(founds).containsOnly(1_000);
    assertThat(consumer.kmsCalls()).isEqualTo(1);
    assertThat(consumer.storeReads()).isEqualTo(1);
  }

  @Test
  void concurrentCreationInOneProcessMakesOneKey() throws Exception {
    DataKeys keys = dataKeys();

    List<Aead> aeads = together(8, n -> found(keys.lookup(REF, true)));

    assertThat(store.size()).isEqualTo(1);
    assertThat(keys.kmsCalls()).isEqualTo(1);
    assertThat(aeads).allSatisfy(a -> assertThat(a).isSameAs(aeads.get(0)));
  }

  @Test
  void concurrentCreationInSeveralProcessesEndsWithOneKeyUsedByAll() throws Exception {
    List<DataKeys> processes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      processes.add(dataKeys());
    }

    List<byte[]> ciphertexts =
        together(
            8,
            n -> {
              try {
                return found(processes.get(n).lookup(REF, true)).encrypt(FIELD, CONTEXT);
              } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
              }
            });

    assertThat(store.size()).isEqualTo(1);
    for (DataKeys process : processes) {
      Aead aead = found(process.lookup(REF, false));
      for (byte[] ciphertext : ciphertexts) {
        assertThat(aead.decrypt(ciphertext, CONTEXT)).isEqualTo(FIELD);
      }
    }
  }

  @Test
  void usesTheKeyAnotherProcessStoredFirst() throws Exception {
    DataKeys first = dataKeys();
    byte[] ciphertext = found(first.lookup(REF, true)).encrypt(FIELD, CONTEXT);
    // the second process read the store just before the first one stored its key
    AtomicBoolean stale = new AtomicBoolean(true);
    DataKeyStore racing =
        new DataKeyStore() {
          @Override
          public Optional<byte[]> get(String keyRef) {
            return stale.getAndSet(false) ? Optional.empty() : store.get(keyRef);
          }

          @Override
          public byte[] putIfAbsent(String keyRef, byte[] wrappedKey) {
            return store.putIfAbsent(keyRef, wrappedKey);
          }

          @Override
          public boolean delete(String keyRef) {
            return store.delete(keyRef);
          }
        };
    DataKeys second = dataKeys(kms, racing);

    Aead aead = found(second.lookup(REF, true));

    assertThat(aead.decrypt(ciphertext, CONTEXT)).isEqualTo(FIELD);
    assertThat(second.kmsCalls()).isEqualTo(2); // its own wrap, then the winner's unwrap
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void forgetShredsAtOnceHereAndAfterTheTimeToLiveElsewhere() throws Exception {
    DataKeys here = dataKeys();
    DataKeys elsewhere = dataKeys();
    byte[] ciphertext = found(here.lookup(REF, true)).encrypt(FIELD, CONTEXT);
    found(elsewhere.lookup(REF, false));

    assertThat(here.forget(REF)).isTrue();

    assertThat(here.lookup(REF, false)).isInstanceOf(Lookup.Absent.class);
    assertThat(here.aead(REF, false)).isEmpty();
    assertThat(found(elsewhere.lookup(REF, false)).decrypt(ciphertext, CONTEXT)).isEqualTo(FIELD);

    advance(DataKeys.DEFAULT_TTL.minusNanos(1));
    assertThat(elsewhere.lookup(REF, false)).isInstanceOf(Lookup.Found.class);
    advance(Duration.ofNanos(1));
    assertThat(elsewhere.lookup(REF, false)).isInstanceOf(Lookup.Absent.class);
    assertThatThrownBy(() -> here.lookup(REF, true))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("shredded");
  }

  @Test
  void aKeyTheKmsWillNotUnwrapIsUnusableNotAbsent() {
    found(dataKeys().lookup(REF, true));
    DataKeys stranger = dataKeys(LocalKeyManagementService.generate(), store);

    Lookup lookup = stranger.lookup(REF, false);

    assertThat(lookup).isInstanceOf(Lookup.Unusable.class);
    assertThat(((Lookup.Unusable) lookup).reason()).hasMessageContaining("refused to unwrap");
    assertThatThrownBy(() -> stranger.aead(REF, false))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining(REF)
        .hasMessageContaining("cannot be used by this process");
    // creating does not replace a key that exists
    assertThat(stranger.lookup(REF, true)).isInstanceOf(Lookup.Unusable.class);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void anUnusableKeyIsRememberedForTheNegativeTimeToLive() {
    found(dataKeys().lookup(REF, true));
    DataKeys stranger = dataKeys(LocalKeyManagementService.generate(), store);

    for (int i = 0; i < 1_000; i++) {
      assertThat(stranger.lookup(REF, false)).isInstanceOf(Lookup.Unusable.class);
    }
    assertThat(stranger.kmsCalls()).isEqualTo(1);
    assertThat(stranger.storeReads()).isEqualTo(1);

    advance(DataKeys.DEFAULT_NEGATIVE_TTL);
    assertThat(stranger.lookup(REF, false)).isInstanceOf(Lookup.Unusable.class);
    assertThat(stranger.kmsCalls()).isEqualTo(2);
  }

  @Test
  void anAbsentKeyIsRememberedForTheNegativeTimeToLive() {
    DataKeys keys = dataKeys();

    for (int i = 0; i < 1_000; i++) {
      assertThat(keys.lookup(REF, false)).isInstanceOf(Lookup.Absent.class);
    }
    assertThat(keys.storeReads()).isEqualTo(1);
    assertThat(keys.kmsCalls()).isZero();

    advance(DataKeys.DEFAULT_NEGATIVE_TTL.minusNanos(1));
    keys.lookup(REF, false);
    assertThat(keys.storeReads()).isEqualTo(1);
    advance(Duration.ofNanos(1));
    keys.lookup(REF, false);
    assertThat(keys.storeReads()).isEqualTo(2);
  }

  @Test
  void aRememberedAbsenceDoesNotStopCreation() {
    DataKeys keys = dataKeys();
    assertThat(keys.lookup(REF, false)).isInstanceOf(Lookup.Absent.class);

    found(keys.lookup(REF, true));

    assertThat(store.size()).isEqualTo(1);
    assertThat(keys.lookup(REF, false)).isInstanceOf(Lookup.Found.class);
  }

  @Test
  void anExpiredKeyIsReadAgain() {
    DataKeys keys = dataKeys();
    found(keys.lookup(REF, true));

    advance(DataKeys.DEFAULT_TTL);
    found(keys.lookup(REF, false));

    assertThat(keys.storeReads()).isEqualTo(2);
    assertThat(keys.kmsCalls()).isEqualTo(2); // wrap, then unwrap
  }

  @Test
  void aDamagedStoredKeyIsUnusable() {
    store.putIfAbsent(REF, new byte[] {1, 2, 3});

    assertThat(dataKeys().lookup(REF, false)).isInstanceOf(Lookup.Unusable.class);
  }

  @Test
  void storeFailuresAreThrownAndNotRemembered() {
    AtomicInteger failures = new AtomicInteger(1);
    DataKeyStore flaky =
        new DataKeyStore() {
          @Override
          public Optional<byte[]> get(String keyRef) {
            if (failures.getAndDecrement() > 0) {
              throw new KeyManagementException("store unreachable", null);
            }
            return store.get(keyRef);
          }

          @Override
          public byte[] putIfAbsent(String keyRef, byte[] wrappedKey) {
            return store.putIfAbsent(keyRef, wrappedKey);
          }

          @Override
          public boolean delete(String keyRef) {
            return store.delete(keyRef);
          }
        };
    DataKeys keys = dataKeys(kms, flaky);

    // whatever the store's own flag, a store that cannot read is an outage, never an answer
    assertThatThrownBy(() -> keys.lookup(REF, true))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageContaining("store unreachable");
    found(keys.lookup(REF, true));

    assertThat(keys.storeReads()).isEqualTo(2);
  }

  @Test
  void aKmsOutageIsThrownAsRetriableAndNotRememberedWhileARefusalIsCachedAsUnusable() {
    found(dataKeys().lookup(REF, true)); // another process created the key
    AtomicInteger outages = new AtomicInteger(2);
    io.meshsdk.crypto.KeyManagementService flaky =
        new io.meshsdk.crypto.KeyManagementService() {
          @Override
          public byte[] wrap(byte[] dataKey, byte[] associatedData) {
            return kms.wrap(dataKey, associatedData);
          }

          @Override
          public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) {
            int n = outages.getAndDecrement();
            if (n == 2) {
              throw new KeyManagementException("KMS time-out", null, true);
            }
            if (n == 1) {
              throw new IllegalStateException("connection pool shut down"); // not ours
            }
            return kms.unwrap(wrappedKey, associatedData);
          }
        };
    DataKeys keys = dataKeys(flaky, store);

    assertThatThrownBy(() -> keys.lookup(REF, false))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue());
    assertThatThrownBy(() -> keys.lookup(REF, false))
        .isInstanceOfSatisfying(
            KeyManagementException.class,
            e -> {
              assertThat(e.isRetriable()).isTrue();
              assertThat(e)
                  .hasMessageContaining(REF)
                  .hasCauseInstanceOf(IllegalStateException.class);
            });
    found(keys.lookup(REF, false)); // the KMS is back: no negative entry held it off
    assertThat(keys.kmsCalls()).isEqualTo(3);

    // a refusal is an answer: unusable, and remembered for the negative time-to-live
    DataKeys stranger = dataKeys(LocalKeyManagementService.generate(), store);
    assertThat(stranger.lookup(REF, false)).isInstanceOf(Lookup.Unusable.class);
    assertThatThrownBy(() -> stranger.aead(REF, false))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isFalse());
    assertThat(stranger.kmsCalls()).isEqualTo(1);
  }

  @Test
  void unexpectedStoreFailuresBecomeRetriableKeyManagementExceptions() {
    DataKeyStore broken =
        new DataKeyStore() {
          @Override
          public Optional<byte[]> get(String keyRef) {
            throw new IllegalStateException("socket closed");
          }

          @Override
          public byte[] putIfAbsent(String keyRef, byte[] wrappedKey) {
            throw new IllegalStateException("socket closed");
          }

          @Override
          public boolean delete(String keyRef) {
            throw new IllegalStateException("socket closed");
          }
        };
    assertThatThrownBy(() -> dataKeys(kms, broken).lookup(REF, true))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageContaining(REF);
  }

  @Test
  void theCacheStaysWithinItsBound() {
    DataKeys keys = DataKeys.builder(kms, store).ticker(nanos::get).maximumKeys(10).build();

    for (int i = 0; i < 100; i++) {
      found(keys.lookup("ref-" + i, true));
      assertThat(keys.cachedKeys()).isLessThanOrEqualTo(10);
    }
    assertThat(store.size()).isEqualTo(100);
    found(keys.lookup("ref-0", false));
  }

  @Test
  void refusesSettingsOutOfRange() {
    assertThatThrownBy(() -> DataKeys.builder(kms, store).ttl(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(
            () -> DataKeys.builder(kms, store).negativeTtl(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negativeTtl");
    assertThatThrownBy(() -> DataKeys.builder(kms, store).maximumKeys(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximumKeys");
  }
}
