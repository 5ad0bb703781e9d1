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
import java.util.List;
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

  /**
   * What Tink's cloud KMS clients throw: their SDK's exception inside a GeneralSecurityException.
   */
  private static Aead failingWith(Exception cause) {
    return new Aead() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData)
          throws GeneralSecurityException {
        throw new GeneralSecurityException("encryption failed", cause);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
          throws GeneralSecurityException {
        throw new GeneralSecurityException("decryption failed", cause);
      }
    };
  }

  /**
   * Google's HTTP client and the AWS SDK v1: an IOException or a service exception with a status.
   */
  public static final class HttpStatusException extends java.io.IOException {
    private final int status;
    private final String code;

    HttpStatusException(int status, String code) {
      super(status + " " + code);
      this.status = status;
      this.code = code;
    }

    public int getStatusCode() {
      return status;
    }

    public String getErrorCode() {
      return code;
    }
  }

  /** gRPC clients (gax): the status in the class name. */
  private static final class DeadlineExceededException extends RuntimeException {}

  private static final class PermissionDeniedException extends RuntimeException {}

  @Test
  void readsHttpAndGrpcStatusesOfCloudClients() {
    assertThat(TinkKeyManagementService.isOutage(new HttpStatusException(503, "Unavailable")))
        .isTrue();
    assertThat(TinkKeyManagementService.isOutage(new HttpStatusException(429, "rate"))).isTrue();
    assertThat(
            TinkKeyManagementService.isOutage(new HttpStatusException(400, "ThrottlingException")))
        .isTrue();
    // a 403 is an IOException in Google's HTTP client: the status decides, not the type
    assertThat(TinkKeyManagementService.isOutage(new HttpStatusException(403, "PERMISSION_DENIED")))
        .isFalse();
    assertThat(
            TinkKeyManagementService.isOutage(
                new GeneralSecurityException(
                    "decryption failed", new HttpStatusException(400, "InvalidCiphertext"))))
        .isFalse();
    assertThat(TinkKeyManagementService.isOutage(new DeadlineExceededException())).isTrue();
    assertThat(
            TinkKeyManagementService.isOutage(
                new RuntimeException(new PermissionDeniedException())))
        .isFalse();
  }

  /** A cloud SDK's own exception type, as its class name would say. */
  private static final class ServiceUnavailableException extends RuntimeException {
    ServiceUnavailableException() {
      super("503");
    }
  }

  @Test
  void tellsOutagesFromRefusals() {
    for (Exception outage :
        List.of(
            new java.net.ConnectException("refused"),
            new java.net.SocketTimeoutException("read timed out"),
            new RuntimeException("wrapped", new java.net.UnknownHostException("kms.example")),
            new ServiceUnavailableException())) {
      KeyManagementService kms = TinkKeyManagementService.of(failingWith(outage), "kek");
      assertThatThrownBy(() -> kms.unwrap(DATA_KEY, REF))
          .as(outage.toString())
          .isInstanceOfSatisfying(
              KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue())
          .hasMessageContaining("kek is unavailable");
      assertThatThrownBy(() -> kms.wrap(DATA_KEY, REF))
          .isInstanceOfSatisfying(
              KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue());
    }
    KeyManagementService refusing =
        TinkKeyManagementService.of(failingWith(new SecurityException("PERMISSION_DENIED")), "kek");
    assertThatThrownBy(() -> refusing.unwrap(DATA_KEY, REF))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isFalse());
    // the caller's own test wins
    KeyManagementService custom =
        TinkKeyManagementService.of(
            failingWith(new SecurityException("PERMISSION_DENIED")), "kek", t -> true);
    assertThatThrownBy(() -> custom.unwrap(DATA_KEY, REF))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue());
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
