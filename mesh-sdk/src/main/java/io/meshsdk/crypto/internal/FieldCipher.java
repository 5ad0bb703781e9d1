package io.meshsdk.crypto.internal;

import io.meshsdk.crypto.KeyManagementException;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts and decrypts the values of encrypted fields for a codec: the clear value's Avro encoding
 * in, Mesh's envelope out ({@code docs/security.md}). A codec binds each of its encrypted fields
 * once ({@link #field}) and uses the binding per record, so that what does not change per record
 * (the associated data's prefix, the product's key) is prepared once.
 *
 * <p>Thread-safety: implementations and their bindings are thread-safe; codecs share one per mesh.
 */
public interface FieldCipher {
  /**
   * A mesh without field encryption: it cannot write encrypted fields, and reads them as absent
   * (withheld), as a consumer without the key does.
   */
  FieldCipher NONE =
      new FieldCipher() {
        @Override
        public Field field(String product, String field) {
          return new Field() {
            @Override
            public byte[] encrypt(@Nullable String subject, byte[] clear) {
              throw new KeyManagementException(
                  product
                      + "."
                      + field
                      + " is encrypted, but this mesh has no field encryption: configure it with"
                      + " MeshBuilder.fieldEncryption(...) (docs/security.md)",
                  null);
            }

            @Override
            public byte @Nullable [] decrypt(@Nullable String subject, byte[] envelope) {
              return null;
            }
          };
        }

        @Override
        public String toString() {
          return "no field encryption";
        }
      };

  /**
   * Test data only ({@code ProductCodec.withEncryptedFieldsInClear}): an encrypted field's bytes
   * hold the marker {@code 0x00} and its clear encoding. Nothing is encrypted; a real reader
   * refuses the marker (envelopes start with {@code 0x01}), and this one refuses envelopes.
   */
  FieldCipher CLEAR =
      new FieldCipher() {
        @Override
        public Field field(String product, String field) {
          return new Field() {
            @Override
            public byte[] encrypt(@Nullable String subject, byte[] clear) {
              byte[] marked = new byte[clear.length + 1];
              System.arraycopy(clear, 0, marked, 1, clear.length);
              return marked; // marked[0] == 0x00
            }

            @Override
            public byte[] decrypt(@Nullable String subject, byte[] envelope) {
              if (envelope.length == 0 || envelope[0] != 0) {
                throw new IllegalArgumentException(
                    "is not a test value in clear (an encrypted envelope?)");
              }
              return java.util.Arrays.copyOfRange(envelope, 1, envelope.length);
            }
          };
        }

        @Override
        public String toString() {
          return "encrypted fields in clear (test data)";
        }
      };

  /**
   * Binds one encrypted field of a product.
   *
   * @param product the product and major ({@code orders.order-placed.v1}): the data key's scope
   * @param field the field name, bound to every ciphertext of the field
   * @return the binding
   */
  Field field(String product, String field);

  /**
   * One encrypted field of one product major.
   *
   * <p>Thread-safety: thread-safe.
   */
  interface Field {
    /**
     * Encrypts one value.
     *
     * @param subject the record's data subject's id, or null for the product's own key
     * @param clear the clear value's Avro binary encoding
     * @return the envelope
     * @throws KeyManagementException if no key can be had ({@code isRetriable()} for an outage)
     */
    byte[] encrypt(@Nullable String subject, byte[] clear);

    /**
     * Decrypts one value.
     *
     * @param subject the record's data subject, or null for a product without one: the envelope
     *     must be under that subject's key
     * @param envelope what {@link #encrypt} wrote
     * @return the clear value's encoding, or null when this mesh may not read it: the key is gone
     *     (shredded) or cannot be unwrapped here (and the mesh is configured to read such fields as
     *     absent)
     * @throws KeyManagementException when the mesh is configured to fail on a missing key, or the
     *     KMS or the store is unavailable ({@code isRetriable()})
     * @throws IllegalArgumentException when the envelope is malformed, is under another key than
     *     the record's subject's, or does not authenticate (tampered, or another field's): the
     *     codec reports it as an invalid record
     */
    byte @Nullable [] decrypt(@Nullable String subject, byte[] envelope);
  }
}
