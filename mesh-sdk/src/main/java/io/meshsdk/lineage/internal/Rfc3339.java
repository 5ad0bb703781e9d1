package io.meshsdk.lineage.internal;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes and reads the event-time header ({@code ce_time}) in the one RFC 3339 form the SDK
 * produces, {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC, without the general-purpose formatter (which
 * costs more than encoding the whole record). Other forms are parsed by {@link Instant#parse}.
 */
public final class Rfc3339 {
  private static final int LENGTH = 24;
  private static volatile DatePrefix cached = new DatePrefix(Long.MIN_VALUE, new byte[0]);

  private record DatePrefix(long epochDay, byte[] bytes) {}

  private Rfc3339() {}

  /**
   * The time, truncated to milliseconds, as UTF-8 bytes. Years 0000-9999 only; others fall back.
   */
  public static byte[] format(Instant time) {
    long millis;
    try {
      millis = time.toEpochMilli();
    } catch (ArithmeticException e) {
      return time.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    long day = Math.floorDiv(millis, 86_400_000L);
    DatePrefix prefix = cached;
    if (prefix.epochDay() != day) {
      LocalDate date = LocalDate.ofEpochDay(day);
      if (date.getYear() < 0 || date.getYear() > 9999) {
        return time.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      }
      prefix =
          new DatePrefix(day, (date + "T").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      cached = prefix;
    }
    int ms = (int) Math.floorMod(millis, 86_400_000L);
    byte[] out = new byte[LENGTH];
    System.arraycopy(prefix.bytes(), 0, out, 0, 11);
    two(out, 11, ms / 3_600_000);
    out[13] = ':';
    two(out, 14, ms / 60_000 % 60);
    out[16] = ':';
    two(out, 17, ms / 1000 % 60);
    out[19] = '.';
    int frac = ms % 1000;
    out[20] = (byte) ('0' + frac / 100);
    out[21] = (byte) ('0' + frac / 10 % 10);
    out[22] = (byte) ('0' + frac % 10);
    out[23] = 'Z';
    return out;
  }

  private static void two(byte[] out, int at, int value) {
    out[at] = (byte) ('0' + value / 10);
    out[at + 1] = (byte) ('0' + value % 10);
  }

  /** Parses the SDK's form quickly, anything else through {@link Instant#parse}. */
  public static Instant parse(byte[] b) {
    return parse(b, 0, b.length);
  }

  /**
   * Parses {@code length} bytes of {@code b} from {@code at}: the SDK's form quickly, anything else
   * through {@link Instant#parse}.
   *
   * @param b the bytes
   * @param at where the text starts
   * @param length how long it is
   * @return the instant
   * @throws java.time.format.DateTimeParseException when the text is not an RFC 3339 time
   */
  public static Instant parse(byte[] b, int at, int length) {
    if (length == LENGTH
        && b[at + 4] == '-'
        && b[at + 7] == '-'
        && b[at + 10] == 'T'
        && b[at + 13] == ':'
        && b[at + 16] == ':'
        && b[at + 19] == '.'
        && b[at + 23] == 'Z') {
      int year = digits(b, at, 4);
      int month = digits(b, at + 5, 2);
      int day = digits(b, at + 8, 2);
      int hour = digits(b, at + 11, 2);
      int minute = digits(b, at + 14, 2);
      int second = digits(b, at + 17, 2);
      int milli = digits(b, at + 20, 3);
      if (year >= 0
          && month >= 1
          && month <= 12
          && day >= 1
          && day <= 31
          && hour >= 0
          && hour < 24
          && minute >= 0
          && minute < 60
          && second >= 0
          && second < 60
          && milli >= 0) {
        try {
          long epochDay = LocalDate.of(year, month, day).toEpochDay();
          return Instant.ofEpochSecond(
              epochDay * 86_400L + hour * 3600L + minute * 60L + second, milli * 1_000_000L);
        } catch (java.time.DateTimeException e) {
          // an impossible date such as 02-30: let the general parser report it
        }
      }
    }
    return Instant.parse(new String(b, at, length, java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static int digits(byte[] b, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
