package io.meshsdk.crypto;

/**
 * Holds the key-encryption key (KEK) of envelope encryption: wraps the data keys that encrypt
 * fields, and unwraps them for producers and consumers allowed to use them. The KEK never leaves
 * the service; a data key is stored only wrapped ({@link DataKeyStore}).
 *
 * <p>This is a service-provider interface. {@code LocalKeyManagementService} holds the KEK in the
 * process (key material from a file or the environment: development and tests); {@code
 * TinkKeyManagementService} adapts any Tink {@code Aead}, which is how a cloud KMS (AWS KMS, Google
 * Cloud KMS, HashiCorp Vault) plugs in through Tink's integrations ({@code docs/security.md}).
 *
 * <p>Failures: throw {@link KeyManagementException} with {@code retriable = true} for an outage
 * (unreachable, timed out, throttled, failing on its side): readers then wait and retry; and with
 * {@code retriable = false} only for a refusal that will not change (no permission, another key,
 * damaged input): readers then read the encrypted fields as withheld. Any other exception is taken
 * as an outage.
 *
 * <p>Thread-safety: implementations must be thread-safe. Implementations must never show key
 * material in {@code toString()}, messages or logs.
 */
public interface KeyManagementService {
  /**
   * Encrypts a data key with the key-encryption key.
   *
   * @param dataKey the data key's serialized keyset
   * @param associatedData bound to the result (the key's reference): unwrapping needs the same
   * @return the wrapped key
   * @throws KeyManagementException if the service fails or refuses
   */
  byte[] wrap(byte[] dataKey, byte[] associatedData);

  /**
   * Decrypts a wrapped data key.
   *
   * @param wrappedKey what {@link #wrap} returned
   * @param associatedData the same associated data as when wrapping
   * @return the data key's serialized keyset
   * @throws KeyManagementException if the service fails, refuses (no permission), or the wrapped
   *     key was not made by this key-encryption key
   */
  byte[] unwrap(byte[] wrappedKey, byte[] associatedData);
}
