package io.meshsdk.serde.internal;

import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;
import org.jspecify.annotations.Nullable;

/**
 * An Avro binary {@link Decoder} over a byte array that refuses bad input before it allocates: a
 * string, bytes, array or map length larger than the bytes left (or negative) is a {@link
 * Reason#CORRUPT_LENGTH}, reading past the end is {@link Reason#TRUNCATED}. So a corrupt record can
 * neither hang the reader nor exhaust memory. Array and map counts are bounded by the bytes left,
 * which holds for elements of at least one byte; a record whose counts {@link DataBounds} already
 * checked against the element limit (the only way to read arrays of zero-byte elements) is read
 * with {@link #trustCounts()}. Not thread-safe; reused per thread.
 */
public final class SafeDecoder extends Decoder {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf = new byte[0];
  private int pos;
  private int limit;
  private boolean countsChecked;

  /** Points the decoder at {@code length} bytes of {@code data} from {@code offset}. */
  public SafeDecoder reset(byte[] data, int offset, int length) {
    this.buf = data;
    this.pos = offset;
    this.limit = offset + length;
    this.countsChecked = false;
    return this;
  }

  /**
   * The record's array and map counts were checked against the element limit by {@link DataBounds}:
   * a count may exceed the bytes left (zero-byte elements) until the next reset.
   */
  SafeDecoder trustCounts() {
    this.countsChecked = true;
    return this;
  }

  /** Bytes not read yet. */
  public int remaining() {
    return limit - pos;
  }

  /** Where the next read starts in the array. */
  int position() {
    return pos;
  }

  private void need(int n) {
    if (n > limit - pos) {
      throw new RecordDecodingException(
          Reason.TRUNCATED, "input ended: needed " + n + " more bytes, " + (limit - pos) + " left");
    }
  }

  private int length(long n, String what) {
    if (n < 0 || n > limit - pos) {
      throw new RecordDecodingException(
          Reason.CORRUPT_LENGTH,
          what
              + " length "
              + n
              + " is negative or larger than the "
              + (limit - pos)
              + " bytes left");
    }
    return (int) n;
  }

  @Override
  public void readNull() {}

  @Override
  public boolean readBoolean() {
    need(1);
    return buf[pos++] == 1;
  }

  @Override
  public int readInt() {
    int b;
    int n = 0;
    int shift = 0;
    do {
      if (pos >= limit) {
        need(1);
      }
      b = buf[pos++] & 0xff;
      n |= (b & 0x7F) << shift;
      shift += 7;
      if (shift > 35 || (shift == 35 && (b & 0x70) != 0)) {
        throw new RecordDecodingException(Reason.CORRUPT_LENGTH, "invalid int encoding");
      }
    } while ((b & 0x80) != 0);
    return (n >>> 1) ^ -(n & 1);
  }

  @Override
  public long readLong() {
    long b;
    long n = 0;
    int shift = 0;
    do {
      if (pos >= limit) {
        need(1);
      }
      b = buf[pos++] & 0xff;
      n |= (b & 0x7F) << shift;
      shift += 7;
      if (shift > 70) {
        throw new RecordDecodingException(Reason.CORRUPT_LENGTH, "invalid long encoding");
      }
    } while ((b & 0x80) != 0);
    return (n >>> 1) ^ -(n & 1);
  }

  @Override
  public float readFloat() {
    need(4);
    float f = Float.intBitsToFloat((int) INT_LE.get(buf, pos));
    pos += 4;
    return f;
  }

  @Override
  public double readDouble() {
    need(8);
    double d = Double.longBitsToDouble((long) LONG_LE.get(buf, pos));
    pos += 8;
    return d;
  }

  @Override
  public Utf8 readString(@Nullable Utf8 old) {
    int len = length(readLong(), "string");
    byte[] bytes = new byte[len];
    System.arraycopy(buf, pos, bytes, 0, len);
    pos += len;
    return new Utf8(bytes);
  }

  @Override
  public String readString() {
    int len = length(readLong(), "string");
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  @Override
  public void skipString() {
    int skip = length(readLong(), "string");
    pos += skip;
  }

  @Override
  public ByteBuffer readBytes(@Nullable ByteBuffer old) {
    int len = length(readLong(), "bytes");
    byte[] bytes = new byte[len];
    System.arraycopy(buf, pos, bytes, 0, len);
    pos += len;
    return ByteBuffer.wrap(bytes);
  }

  /** Reads a bytes value straight into a new array. */
  public byte[] readByteArray() {
    int len = length(readLong(), "bytes");
    byte[] bytes = new byte[len];
    System.arraycopy(buf, pos, bytes, 0, len);
    pos += len;
    return bytes;
  }

  /**
   * Reads a bytes value holding a big-endian two's-complement integer (an Avro decimal's unscaled
   * value) as a decimal of the given scale, without a {@code BigInteger} when it fits in a long.
   *
   * @param scale the decimal's scale
   * @return the decimal, or null when the bytes are empty
   */
  public @Nullable BigDecimal readUnscaled(int scale) {
    int len = length(readLong(), "bytes");
    if (len == 0) {
      return null;
    }
    BigDecimal result;
    if (len <= Long.BYTES) {
      long v = buf[pos]; // sign-extended
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (buf[pos + i] & 0xFF);
      }
      result = BigDecimal.valueOf(v, scale);
    } else {
      result = new BigDecimal(new BigInteger(buf, pos, len), scale);
    }
    pos += len;
    return result;
  }

  @Override
  public void skipBytes() {
    int skip = length(readLong(), "bytes");
    pos += skip;
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) {
    need(length);
    System.arraycopy(buf, pos, bytes, start, length);
    pos += length;
  }

  @Override
  public void skipFixed(int length) {
    need(length);
    pos += length;
  }

  @Override
  public int readEnum() {
    return readInt();
  }

  @Override
  public long readArrayStart() {
    return blockCount("array");
  }

  @Override
  public long arrayNext() {
    return blockCount("array");
  }

  @Override
  public long skipArray() {
    return skipBlocks("array");
  }

  @Override
  public long readMapStart() {
    return blockCount("map");
  }

  @Override
  public long mapNext() {
    return blockCount("map");
  }

  @Override
  public long skipMap() {
    return skipBlocks("map");
  }

  @Override
  public int readIndex() {
    return readInt();
  }

  private long blockCount(String what) {
    long count = readLong();
    if (count < 0) {
      if (count == Long.MIN_VALUE) {
        throw new RecordDecodingException(Reason.CORRUPT_LENGTH, what + " block count overflows");
      }
      count = -count;
      length(readLong(), what + " block");
    }
    return countsChecked ? count : length(count, what);
  }

  private long skipBlocks(String what) {
    while (true) {
      long count = readLong();
      if (count >= 0) {
        return countsChecked ? count : length(count, what);
      }
      if (count == Long.MIN_VALUE) {
        throw new RecordDecodingException(Reason.CORRUPT_LENGTH, what + " block count overflows");
      }
      int skip = length(readLong(), what + " block");
      pos += skip;
    }
  }
}
