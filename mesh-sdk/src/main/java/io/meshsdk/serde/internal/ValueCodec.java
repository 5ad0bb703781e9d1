package io.meshsdk.serde.internal;

import java.io.IOException;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.jspecify.annotations.Nullable;

/** Writes and reads one Java value of a known type; bound once per type of a product class. */
interface ValueCodec {
  void write(Object value, Encoder out) throws IOException;

  @Nullable Object read(Decoder in) throws IOException;

  /** Whether {@code null} is a valid value (a nullable union). */
  default boolean nullable() {
    return false;
  }
}
