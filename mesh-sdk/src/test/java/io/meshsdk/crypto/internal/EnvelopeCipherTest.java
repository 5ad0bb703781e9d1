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
    byte[] envelope = cipher.encrypt(PRODUCT, "c-1", "email", clear);
    assertThat(cipher.decrypt(PRODUCT, "c-1", "email", envelope)).isEqualTo(clear);
    assertThatThrownBy(() -> cipher.decrypt(PRODUCT, "c-1", "phone", envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not authenticate");
    // copied into another subject's record: refused, not decrypted under the other subject
    assertThatThrownBy(() -> cipher.decrypt(PRODUCT, "c-2", "email", envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another key than this record's subject's");
    assertThatThrownBy(() -> cipher.decrypt(PRODUCT, null, "email", envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another key than this record's product's");
    assertThatThrownBy(() -> cipher.decrypt("crm.other.v1", "c-1", "email", envelope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one of this product's");
  }

  @Test
  void malformedEnvelopesAreRefusedWithoutQuotingThem() {
    byte[] good = cipher.encrypt(PRODUCT, null, "email", clear);
    byte[] tampered = good.clone();
    tampered[tampered.length - 1] ^= 1;
    byte[] clearText = clear; // a clear value where an envelope belongs
    byte[] longVarint = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1};
    byte[] overlong = {1, 100, 'c'};
    byte[] forged = Arrays.copyOf(good, good.length);
    forged[2 + PRODUCT.length() - 1] = 'x'; // the reference's last character
    for (byte[] bad : new byte[][] {{}, clearText, longVarint, overlong, tampered, forged}) {
      assertThatThrownBy(() -> cipher.decrypt(PRODUCT, null, "email", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ada").doesNotContain("a@"));
    }
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
