package io.meshsdk.crypto;

import com.google.crypto.tink.Aead;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

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
 * <p>Failures are told apart as {@link KeyManagementException#isRetriable()} says: an outage (the
 * KMS unreachable, timing out, throttling or unavailable: the same call may succeed later, and a
 * consumer waits for it) or a refusal (no permission, another key: a consumer reads the field as
 * withheld). Tink's KMS clients wrap their SDK's exceptions in a {@code GeneralSecurityException},
 * so the default test ({@link #isOutage}) looks through the causes for an {@code IOException}, a
 * {@code TimeoutException}, or an exception whose class name says time-out, throttling or
 * unavailability; give your own with {@link #of(Aead, String, Predicate)}.
 *
 * <p>Thread-safety: as thread-safe as the {@code Aead} given (Tink's primitives are); share one
 * instance. The {@code Aead} is not owned: this class has nothing to close.
 */
public final class TinkKeyManagementService implements KeyManagementService {
  private final Aead kek;
  private final String description;
  private final Predicate<Throwable> outage;

  private TinkKeyManagementService(Aead kek, String description, Predicate<Throwable> outage) {
    this.kek = kek;
    this.description = description;
    this.outage = outage;
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
    return of(kek, description, TinkKeyManagementService::isOutage);
  }

  /**
   * Adapts an {@code Aead}, with its own test of which failures are outages.
   *
   * @param kek the key-encryption key, for example {@code KmsClient.getAead(keyUri)}
   * @param description what the key is (a key URI or name) for messages; never a secret
   * @param isOutage given what the {@code Aead} threw, whether it is an outage (retriable) rather
   *     than a refusal
   * @return the service
   * @throws IllegalArgumentException if the description is blank
   */
  public static TinkKeyManagementService of(
      Aead kek, String description, Predicate<Throwable> isOutage) {
    Objects.requireNonNull(kek, "kek");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(isOutage, "isOutage");
    if (description.isBlank()) {
      throw new IllegalArgumentException("description must not be blank");
    }
    return new TinkKeyManagementService(kek, description, isOutage);
  }

  /**
   * The default test of an outage: somewhere in the causes, an {@code IOException} (unreachable,
   * connection reset, socket time-out), a {@code TimeoutException}, or an exception whose class
   * name contains {@code Timeout}, {@code Throttl}, {@code Unavailable} or {@code TooManyRequests}.
   *
   * @param failure what the {@code Aead} threw
   * @return whether the same call may succeed later
   */
  public static boolean isOutage(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
      String name = t.getClass().getSimpleName();
      if (name.contains("Timeout")
          || name.contains("Throttl")
          || name.contains("Unavailable")
          || name.contains("TooManyRequests")) {
        return true;
      }
    }
    return false;
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
      boolean retriable = outage.test(e);
      throw new KeyManagementException(
          "The key-encryption key "
              + description
              + (retriable
                  ? " is unavailable: it could not wrap a data key"
                  : " could not wrap a data key"),
          e,
          retriable);
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
      boolean retriable = outage.test(e);
      throw new KeyManagementException(
          "The key-encryption key "
              + description
              + (retriable
                  ? " is unavailable: it could not unwrap a data key"
                  : " could not unwrap a data key"),
          e,
          retriable);
    }
  }

  /** The description; never key material. */
  @Override
  public String toString() {
    return "TinkKeyManagementService[" + description + "]";
  }
}
