package io.meshsdk.serde;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Avro binary written by hand, so that tests can shape data as no encoder would. */
final class AvroBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long last;

  /** A zig-zag varint (Avro's int and long, counts and lengths). */
  AvroBytes varint(long v) {
    last = v;
    long n = (v << 1) ^ (v >> 63);
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return this;
  }

  /** The value of the last varint written. */
  long last() {
    return last;
  }

  /** A length-prefixed UTF-8 string. */
  AvroBytes string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length);
    out.writeBytes(b);
    return this;
  }

  /** Bytes as they are. */
  AvroBytes raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] toArray() {
    return out.toByteArray();
  }
}
