package io.meshsdk.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.crypto.InMemoryDataKeyStore;
import io.meshsdk.crypto.LocalKeyManagementService;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hostile and misplaced envelopes fail as invalid values, naming nothing of the value. */
class EnvelopeCipherTest {
  private static final String PRODUCT = "crm.customer-registered.v1";
  private final EnvelopeCipher cipher =
      new EnvelopeCipher(
          DataKeys.builder(LocalKeyManagementService.generate(), new InMemoryDataKeyStore())
              .build(),
          false);
  private final byte[] clear = "ada@example.com".getBytes(StandardCharsets.UTF_8);

  @Test
  void aValueDecryptsOnlyInItsOwnFieldAndProduct() {
    byte[] envelope = cipher.field(PRODUCT, "email").encrypt("c-1", clear);
    assertThat(cipher.field(PRODUCT, "email").decrypt("c-1", envelope)).isEqualTo(clear);
    assertThatThrownBy(() -> cipher.field(PRODUCT, "phone").decrypt("c-1", envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not authenticate");
    // copied into another subject's record: refused, not decrypted under the other subject
    assertThatThrownBy(() -> cipher.field(PRODUCT, "email").decrypt("c-2", envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another key than this record's subject's");
    assertThatThrownBy(() -> cipher.field(PRODUCT, "email").decrypt(null, envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another key than this record's product's");
    assertThatThrownBy(() -> cipher.field("crm.other.v1", "email").decrypt("c-1", envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one of this product's");
  }

  @Test
  void malformedEnvelopesAreRefusedWithoutQuotingThem() {
    byte[] good = cipher.field(PRODUCT, "email").encrypt(null, clear);
    byte[] tampered = good.clone();
    tampered[tampered.length - 1] ^= 1;
    byte[] clearText = clear; // a clear value where an envelope belongs
    byte[] longVarint = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1};
    byte[] overlong = {1, 100, 'c'};
    byte[] forged = Arrays.copyOf(good, good.length);
    forged[2 + PRODUCT.length() - 1] = 'x'; // the reference's last character
    for (byte[] bad : new byte[][] {{}, clearText, longVarint, overlong, tampered, forged}) {
      assertThatThrownBy(() -> cipher.field(PRODUCT, "email").decrypt(null, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ada").doesNotContain("a@"));
    }
  }

  /** The key reference of an envelope (one-byte varint: references are short). */
  private static String refOf(byte[] envelope) {
    return new String(envelope, 2, envelope[1], StandardCharsets.UTF_8);
  }

  @Test
  void productKeysRollOverAfterTheirUsesOrLifetimeAndEveryKeyStillDecrypts() {
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    LocalKeyManagementService kms = LocalKeyManagementService.generate();
    InMemoryDataKeyStore store = new InMemoryDataKeyStore();
    DataKeys keys = DataKeys.builder(kms, store).build();
    EnvelopeCipher rolling =
        new EnvelopeCipher(keys, false, java.time.Duration.ofHours(1), 2, nanos::get);
    FieldCipher.Field email = rolling.field(PRODUCT, "email");
    java.util.List<byte[]> envelopes = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      envelopes.add(email.encrypt(null, clear));
    }
    nanos.addAndGet(java.time.Duration.ofHours(1).toNanos()); // the fifth's key expires unused up
    envelopes.add(email.encrypt(null, clear));

    java.util.List<String> refs = envelopes.stream().map(EnvelopeCipherTest::refOf).toList();
    assertThat(refs.get(0)).matches("crm\\.customer-registered\\.v1/key/[0-9a-f]{32}");
    assertThat(refs.get(1)).isEqualTo(refs.get(0));
    assertThat(refs.get(2)).isNotEqualTo(refs.get(1)).isEqualTo(refs.get(3));
    assertThat(refs.get(4)).isNotEqualTo(refs.get(3));
    assertThat(refs.get(5)).isNotEqualTo(refs.get(4));
    assertThat(new java.util.HashSet<>(refs)).hasSize(4);
    // a reader in another process (its own key cache; the same KMS and store) opens every one
    EnvelopeCipher reader = new EnvelopeCipher(DataKeys.builder(kms, store).build(), false);
    for (byte[] envelope : envelopes) {
      assertThat(reader.field(PRODUCT, "email").decrypt(null, envelope)).isEqualTo(clear);
    }
    // another producing process has keys of its own
    byte[] elsewhere = reader.field(PRODUCT, "email").encrypt(null, clear);
    assertThat(refs).doesNotContain(refOf(elsewhere));
  }

  @Test
  void aMissingProductKeyIsAnErrorNeverAWithheldField() {
    byte[] envelope = cipher.field(PRODUCT, "email").encrypt(null, clear);
    // a reader whose store does not have the key (a damaged reference, or a store behind)
    EnvelopeCipher elsewhere =
        new EnvelopeCipher(
            DataKeys.builder(LocalKeyManagementService.generate(), new InMemoryDataKeyStore())
                .build(),
            false);
    assertThatThrownBy(() -> elsewhere.field(PRODUCT, "email").decrypt(null, envelope))
        .isInstanceOfSatisfying(
            io.meshsdk.crypto.KeyManagementException.class,
            e -> assertThat(e.isRetriable()).isFalse())
        .hasMessageContaining("not in the key store");
    // a subject's missing key is an answer: shredded, read as withheld
    byte[] subjects = cipher.field(PRODUCT, "email").encrypt("c-9", clear);
    assertThat(elsewhere.field(PRODUCT, "email").decrypt("c-9", subjects)).isNull();
  }

  @Test
  void testDataInClearIsMarkedAndNeverTakenForAnEnvelopeNorTheReverse() {
    FieldCipher.Field inClear = FieldCipher.CLEAR.field(PRODUCT, "email");
    byte[] marked = inClear.encrypt(null, clear);
    assertThat(marked[0]).isZero();
    assertThat(inClear.decrypt(null, marked)).isEqualTo(clear);
    assertThatThrownBy(() -> cipher.field(PRODUCT, "email").decrypt(null, marked))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in Mesh's envelope format");
    byte[] envelope = cipher.field(PRODUCT, "email").encrypt(null, clear);
    assertThatThrownBy(() -> inClear.decrypt(null, envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a test value in clear");
  }

  @Test
  void subjectReferencesAreHashesAndOnlyWellFormedOnesAreAccepted() {
    assertThat(EnvelopeCipher.subjectKey("crm.customer-registered", "c-1"))
        .matches("crm\\.customer-registered/subject/[0-9a-f]{64}")
        .doesNotContain("c-1");
  }

  @Test
  void outsideAConsumersScopeNoWithheldFieldIsKept() {
    Withheld.add("email"); // a plain deserializer: nothing is collected
    assertThat(Withheld.drain()).isEmpty();
    Withheld.begin();
    Withheld.add("email");
    assertThat(Withheld.drain()).containsExactly("email");
    assertThat(Withheld.drain()).isEmpty();
  }
}
