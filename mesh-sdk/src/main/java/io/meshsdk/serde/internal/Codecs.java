package io.meshsdk.serde.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.internal.DefaultProductContract;
import java.util.Objects;

/** Creates the codec that fits a contract. */
public final class Codecs {
  private Codecs() {}

  /** Compiles the codec of a contract. */
  public static <T> AbstractCodec<T> create(ProductContract<T> contract) {
    Objects.requireNonNull(contract, "contract");
    if (!(contract instanceof DefaultProductContract<T> c)) {
      throw new IllegalArgumentException(
          "contract " + contract + " was not built by ProductContract.of(...)");
    }
    return c.generated() ? new SpecificRecordCodec<>(c) : new CompiledCodec<>(c);
  }
}
