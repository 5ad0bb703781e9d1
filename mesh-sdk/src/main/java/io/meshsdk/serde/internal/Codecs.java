package io.meshsdk.serde.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.internal.DefaultProductContract;
import io.meshsdk.crypto.internal.FieldCipher;
import java.util.Objects;

/** Creates the codec that fits a contract. */
public final class Codecs {
  private Codecs() {}

  /** Compiles the codec of a contract, for a mesh without field encryption. */
  public static <T> AbstractCodec<T> create(ProductContract<T> contract) {
    return create(contract, FieldCipher.NONE);
  }

  /**
   * Compiles the codec of a contract.
   *
   * @param contract the contract
   * @param cipher encrypts and decrypts its encrypted fields
   * @param <T> the product type
   * @return the codec
   */
  public static <T> AbstractCodec<T> create(ProductContract<T> contract, FieldCipher cipher) {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(cipher, "cipher");
    if (!(contract instanceof DefaultProductContract<T> c)) {
      throw new IllegalArgumentException(
          "contract " + contract + " was not built by ProductContract.of(...)");
    }
    return c.generated() ? new SpecificRecordCodec<>(c) : new CompiledCodec<>(c, cipher);
  }
}
