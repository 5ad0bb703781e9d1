package io.meshsdk.lineage.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered event ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then random bits,
 * so ids sort by creation time and index well.
 */
public final class EventIds {
  private EventIds() {}

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * A new UUID v7 in its 36-character text form, as ASCII bytes, without an intermediate String.
   */
  public static byte[] nextBytes() {
    UUID id = nextUuid();
    byte[] out = new byte[36];
    hex(out, 0, id.getMostSignificantBits() >>> 32, 8);
    out[8] = '-';
    hex(out, 9, id.getMostSignificantBits() >>> 16, 4);
    out[13] = '-';
    hex(out, 14, id.getMostSignificantBits(), 4);
    out[18] = '-';
    hex(out, 19, id.getLeastSignificantBits() >>> 48, 4);
    out[23] = '-';
    hex(out, 24, id.getLeastSignificantBits(), 12);
    return out;
  }

  private static void hex(byte[] out, int at, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** A new UUID v7. */
  public static UUID nextUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
