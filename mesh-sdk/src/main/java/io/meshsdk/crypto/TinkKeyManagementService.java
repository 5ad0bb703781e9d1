package io.meshsdk.crypto;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A key-encryption key behind any Tink {@link Aead}: this is how a cloud KMS plugs in. Tink's KMS
 * integrations hand out such an {@code Aead} for a key URI, whose every call goes to the KMS, so
 * the key-encryption key never leaves it:
 *
 * <pre>{@code
 * // com.google.crypto.tink:tink-gcpkms (Google Cloud KMS); tink-awskms is alike for AWS KMS
 * String uri = "gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/mesh-kek";
 * KeyManagementService kms =
 *     TinkKeyManagementService.of(new GcpKmsClient().withDefaultCredentials().getAead(uri), uri);
 * }</pre>
 *
 * <p>HashiCorp Vault's transit engine, or any other service, plugs in the same way through an
 * {@code Aead} of its own. The description names the key in messages and {@link #toString()}: give
 * a key URI or a name, never a credential.
 *
 * <p>Thread-safety: as thread-safe as the {@code Aead} given (Tink's primitives are); share one
 * instance. The {@code Aead} is not owned: this class has nothing to close.
 */
public final class TinkKeyManagementService implements KeyManagementService {
  private final Aead kek;
  private final String description;

  private TinkKeyManagementService(Aead kek, String description) {
    this.kek = kek;
    this.description = description;
  }

  /**
   * Adapts an {@code Aead} holding (or standing for) the key-encryption key.
   *
   * @param kek the key-encryption key, for example {@code KmsClient.getAead(keyUri)}
   * @param description what the key is (a key URI or name) for messages; never a secret
   * @return the service
   * @throws IllegalArgumentException if the description is blank
   */
  public static TinkKeyManagementService of(Aead kek, String description) {
    Objects.requireNonNull(kek, "kek");
    Objects.requireNonNull(description, "description");
    if (description.isBlank()) {
      throw new IllegalArgumentException("description must not be blank");
    }
    return new TinkKeyManagementService(kek, description);
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException naming the description if the {@code Aead} (the KMS) fails or
   *     refuses
   */
  @Override
  public byte[] wrap(byte[] dataKey, byte[] associatedData) {
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.requireNonNull(associatedData, "associatedData");
    try {
      return kek.encrypt(dataKey, associatedData);
    } catch (GeneralSecurityException | RuntimeException e) {
      // a KMS client may fail with its own unchecked exceptions (network, credentials)
      throw new KeyManagementException(
          "The key-encryption key " + description + " could not wrap a data key", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyManagementException naming the description if the {@code Aead} (the KMS) fails or
   *     refuses: no permission, another key-encryption key, other associated data, a damaged key
   */
  @Override
  public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) {
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    Objects.requireNonNull(associatedData, "associatedData");
    try {
      return kek.decrypt(wrappedKey, associatedData);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyManagementException(
          "The key-encryption key " + description + " could not unwrap a data key", e);
    }
  }

  /** The description; never key material. */
  @Override
  public String toString() {
    return "TinkKeyManagementService[" + description + "]";
  }
}
