package io.meshsdk.crypto.internal;

import io.meshsdk.crypto.KeyManagementException;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts and decrypts the values of encrypted fields for a codec: the clear value's Avro encoding
 * in, Mesh's envelope out ({@code docs/security.md}).
 *
 * <p>Thread-safety: implementations are thread-safe; codecs share one per mesh.
 */
public interface FieldCipher {
  /**
   * A mesh without field encryption: it cannot write encrypted fields, and reads them as absent
   * (withheld), as a consumer without the key does.
   */
  FieldCipher NONE =
      new FieldCipher() {
        @Override
        public byte[] encrypt(
            String product, @Nullable String subject, String field, byte[] clear) {
          throw new KeyManagementException(
              product
                  + "."
                  + field
                  + " is encrypted, but this mesh has no field encryption: configure it with"
                  + " MeshBuilder.fieldEncryption(...) (docs/security.md)",
              null);
        }

        @Override
        public byte @Nullable [] decrypt(
            String product, @Nullable String subject, String field, byte[] envelope) {
          return null;
        }

        @Override
        public String toString() {
          return "no field encryption";
        }
      };

  /**
   * Encrypts one field value.
   *
   * @param product the product and major ({@code orders.order-placed.v1}): the data key's scope
   * @param subject the data subject's id, or null for the product's own key
   * @param field the field name, bound to the ciphertext
   * @param clear the clear value's Avro binary encoding
   * @return the envelope
   * @throws KeyManagementException if no key can be had
   */
  byte[] encrypt(String product, @Nullable String subject, String field, byte[] clear);

  /**
   * Decrypts one field value.
   *
   * @param product the product and major
   * @param subject the record's data subject, or null for a product without one: the envelope must
   *     be under that subject's key
   * @param field the field name, bound to the ciphertext
   * @param envelope what {@link #encrypt} wrote
   * @return the clear value's encoding, or null when this mesh may not read it: the key is gone
   *     (shredded) or cannot be unwrapped here (and the mesh is configured to read such fields as
   *     absent)
   * @throws KeyManagementException when the mesh is configured to fail on a missing key
   * @throws IllegalArgumentException when the envelope is malformed, is under another key than the
   *     record's subject's, or does not authenticate (tampered, or another field's): the codec
   *     reports it as an invalid record
   */
  byte @Nullable [] decrypt(
      String product, @Nullable String subject, String field, byte[] envelope);
}
