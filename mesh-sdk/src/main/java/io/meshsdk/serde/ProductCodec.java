package io.meshsdk.serde;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.internal.EnvelopeCipher;
import io.meshsdk.crypto.internal.FieldCipher;
import io.meshsdk.serde.internal.Codecs;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

/**
 * Writes and reads the Avro binary form of one product type, compiled once from its contract:
 * accessors and the constructor are bound at creation, so encoding and decoding do no reflection.
 * Records are created through their canonical constructor; plain classes through their all-fields
 * constructor or no-arg constructor and setters; Avro-generated classes through Avro's own specific
 * reader and writer.
 *
 * <p>Decoding resolves from any compatible writer schema (fields added with defaults or removed,
 * {@code int → long → float → double} and {@code string ↔ bytes} promotion, enum defaults, union
 * branches); the resolution plan is built once per writer schema and cached.
 *
 * <p>This is the body only; {@link MeshSerializer} adds the Confluent framing. The codec does not
 * check the contract: the serializer and producer do that before encoding.
 *
 * <p>Thread-safety: thread-safe; compile one per product type and share it.
 *
 * @param <T> the product type
 */
public interface ProductCodec<T> {

  /**
   * Compiles the codec of a contract.
   *
   * @param contract the product contract, from {@link ProductContract#of(Class)}
   * @param <T> the product type
   * @return a new codec; keep and share it
   * @throws IllegalArgumentException if the contract was not built by Mesh SDK
   * @throws NullPointerException if {@code contract} is null
   */
  static <T> ProductCodec<T> of(ProductContract<T> contract) {
    return Codecs.create(contract);
  }

  /**
   * Compiles the codec of a contract, reading records within the given limits.
   *
   * @param contract the product contract, from {@link ProductContract#of(Class)}
   * @param limits how deeply a record may nest and how many elements it may hold when decoded
   * @param <T> the product type
   * @return a new codec; keep and share it
   * @throws IllegalArgumentException if the contract was not built by Mesh SDK
   * @throws NullPointerException if an argument is null
   */
  static <T> ProductCodec<T> of(ProductContract<T> contract, DecodeLimits limits) {
    return Codecs.create(contract).limits(limits);
  }

  /**
   * Compiles the codec of a contract whose encrypted fields ({@code @Pii(encrypted = true)}) it
   * encrypts and decrypts with the given field encryption, as a mesh configured with it does.
   * Without it, a codec cannot encode encrypted fields and decodes them as null.
   *
   * @param contract the product contract, from {@link ProductContract#of(Class)}
   * @param encryption the key-management service and data key store
   * @param <T> the product type
   * @return a new codec; keep and share it (it caches unwrapped data keys)
   * @throws IllegalArgumentException if the contract was not built by Mesh SDK
   * @throws NullPointerException if an argument is null
   */
  static <T> ProductCodec<T> of(ProductContract<T> contract, FieldEncryption encryption) {
    return Codecs.create(contract, EnvelopeCipher.create(encryption));
  }

  /**
   * A codec for test data of a product with encrypted fields: it writes into each encrypted field's
   * bytes the marker {@code 0x00} and the field's clear encoding (under its {@code
   * mesh.clear.schema}) instead of an envelope, and reads them back the same way, so that sample
   * events and golden payloads need no key ({@code SampleEvents}, {@code ContractSnapshots} in the
   * testkit). Never for a topic: nothing is encrypted; a reader of the product refuses such bytes
   * as malformed envelopes (an invalid value), and this codec refuses real envelopes. For a product
   * without encrypted fields it is the same as {@link #of(ProductContract)}.
   *
   * @param contract the product contract
   * @param <T> the product type
   * @return a new codec
   * @throws IllegalArgumentException if the contract was not built by Mesh SDK
   * @throws NullPointerException if {@code contract} is null
   */
  static <T> ProductCodec<T> withEncryptedFieldsInClear(ProductContract<T> contract) {
    return Codecs.create(contract, FieldCipher.CLEAR);
  }

  /**
   * The contract the codec was compiled from.
   *
   * @return the contract
   */
  ProductContract<T> contract();

  /**
   * The schema the codec writes, the contract's schema.
   *
   * @return the schema
   */
  Schema schema();

  /**
   * Encodes a value as Avro binary in the codec's schema.
   *
   * @param value the value
   * @return a new array holding the encoded value
   * @throws MeshSerializationException if a value cannot be encoded (a {@code null} in a
   *     non-nullable field, a number out of its Avro range)
   * @throws NullPointerException if {@code value} is null
   */
  byte[] encode(T value);

  /**
   * Encodes a value to any Avro encoder, for example Avro's {@code BinaryEncoder} or {@code
   * JsonEncoder}.
   *
   * @param value the value
   * @param out the encoder; not flushed
   * @throws MeshSerializationException if the value cannot be encoded or the encoder fails
   * @throws NullPointerException if an argument is null
   */
  void encode(T value, Encoder out);

  /**
   * Decodes a body written with the codec's own schema.
   *
   * @param body the Avro binary body, nothing before or after it
   * @return the value
   * @throws RecordDecodingException if the bytes are truncated, corrupt, or have trailing bytes
   * @throws NullPointerException if {@code body} is null
   */
  T decode(byte[] body);

  /**
   * Decodes a body written with another schema, resolving it to the codec's schema.
   *
   * @param body the Avro binary body
   * @param writerSchema the schema the body was written with
   * @return the value
   * @throws RecordDecodingException if the writer schema is incompatible or the bytes are bad
   * @throws NullPointerException if an argument is null
   */
  T decode(byte[] body, Schema writerSchema);
}
