package io.meshsdk.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.ConfigurationV0;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class TinkKeyManagementServiceTest {
  private static final byte[] DATA_KEY = "a serialized data keyset".getBytes(UTF_8);
  private static final byte[] REF = "orders.v1".getBytes(UTF_8);

  /** What a KMS client's {@code Aead} does when the caller lacks permission. */
  private static final Aead REFUSING =
      new Aead() {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] associatedData)
            throws GeneralSecurityException {
          throw new GeneralSecurityException("PERMISSION_DENIED");
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
          throw new IllegalStateException("connection reset");
        }
      };

  @Test
  void wrapsAndUnwrapsThroughTheAead() throws Exception {
    AeadConfig.register();
    Aead aead =
        KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
            .getPrimitive(ConfigurationV0.get(), Aead.class);
    KeyManagementService kms = TinkKeyManagementService.of(aead, "test key");

    byte[] wrapped = kms.wrap(DATA_KEY, REF);

    assertThat(aead.decrypt(wrapped, REF)).isEqualTo(DATA_KEY);
    assertThat(kms.unwrap(wrapped, REF)).isEqualTo(DATA_KEY);
  }

  @Test
  void reportsTheKmsFailureNamingTheKey() {
    KeyManagementService kms =
        TinkKeyManagementService.of(REFUSING, "gcp-kms://projects/p/cryptoKeys/kek");

    assertThatThrownBy(() -> kms.wrap(DATA_KEY, REF))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("gcp-kms://projects/p/cryptoKeys/kek could not wrap")
        .hasRootCauseMessage("PERMISSION_DENIED");
    assertThatThrownBy(() -> kms.unwrap(DATA_KEY, REF))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("could not unwrap")
        .hasRootCauseMessage("connection reset");
  }

  @Test
  void showsTheDescriptionOnly() {
    assertThat(TinkKeyManagementService.of(REFUSING, "vault transit/mesh"))
        .hasToString("TinkKeyManagementService[vault transit/mesh]");
    assertThatThrownBy(() -> TinkKeyManagementService.of(REFUSING, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("description");
  }
}
