package io.meshsdk.lineage.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered event ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then random bits,
 * so ids sort by creation time and index well.
 */
public final class EventIds {
  private EventIds() {}

  /** A new UUID v7 as text. */
  public static String next() {
    return nextUuid().toString();
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
