package io.meshsdk.contract.internal;

/**
 * How an encrypted field ({@code @Pii(encrypted = true)}) shows in the schema: type {@code bytes},
 * with the format of its bytes and the schema of the clear value as field properties, so that
 * readers in other languages see which fields are encrypted and how to read them with the key.
 *
 * <p>Thread-safety: constants only.
 */
public final class EncryptedFields {
  /** Field property: the format of the bytes ({@link #FORMAT}). */
  public static final String PROP_ENCRYPTED = "mesh.encrypted";

  /** Field property: the schema of the clear value, whose Avro binary encoding is encrypted. */
  public static final String PROP_CLEAR_SCHEMA = "mesh.clear.schema";

  /** Mesh's envelope (key reference, then a Tink AEAD ciphertext); {@code docs/security.md}. */
  public static final String FORMAT = "mesh-envelope-v1/tink-aead";

  private EncryptedFields() {}
}
