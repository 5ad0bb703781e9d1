package io.meshsdk.serde.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.Encoder;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary {@link Encoder} writing into a growable byte array that is reused between records
 * (one per thread). Writes the same bytes as Avro's {@code BinaryEncoder}, without its intermediate
 * buffers: ASCII strings are copied character by character with no temporary array. Not
 * thread-safe.
 */
public final class BufferEncoder extends Encoder {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int RETAINED_MAX = 1 << 20;

  private byte[] buf;
  private int pos;

  public BufferEncoder(int initialCapacity) {
    this.buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Empties the buffer, dropping it if a huge record grew it. */
  public BufferEncoder reset() {
    if (buf.length > RETAINED_MAX) {
      buf = new byte[4096];
    }
    pos = 0;
    return this;
  }

  /** Bytes written so far. */
  public int size() {
    return pos;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** The backing array; valid up to {@link #size()}. */
  public byte[] buffer() {
    return buf;
  }

  /** Reserves room for raw bytes written by the caller, returning their offset. */
  public int skip(int n) {
    ensure(n);
    int at = pos;
    pos += n;
    return at;
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  @Override
  public void writeNull() {}

  @Override
  public void writeBoolean(boolean b) {
    ensure(1);
    buf[pos++] = (byte) (b ? 1 : 0);
  }

  @Override
  public void writeInt(int n) {
    ensure(5);
    int v = (n << 1) ^ (n >> 31);
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  @Override
  public void writeLong(long n) {
    ensure(10);
    long v = (n << 1) ^ (n >> 63);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  @Override
  public void writeFloat(float f) {
    ensure(4);
    INT_LE.set(buf, pos, Float.floatToRawIntBits(f));
    pos += 4;
  }

  @Override
  public void writeDouble(double d) {
    ensure(8);
    LONG_LE.set(buf, pos, Double.doubleToRawLongBits(d));
    pos += 8;
  }

  @Override
  public void writeString(String s) {
    int len = s.length();
    int start = pos;
    writeInt(len);
    ensure(len);
    byte[] b = buf;
    int p = pos;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // not ASCII: the byte length differs from the char count; write the UTF-8 form instead
        pos = start;
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeBytes(utf8, 0, utf8.length);
        return;
      }
      b[p + i] = (byte) c;
    }
    pos = p + len;
  }

  @Override
  public void writeString(Utf8 utf8) {
    writeBytes(utf8.getBytes(), 0, utf8.getByteLength());
  }

  @Override
  public void writeString(CharSequence charSequence) {
    if (charSequence instanceof Utf8 u) {
      writeString(u);
    } else {
      writeString(charSequence.toString());
    }
  }

  /**
   * Writes a long as an Avro bytes value holding its shortest big-endian two's-complement form, the
   * bytes {@code BigInteger.valueOf(v).toByteArray()} would give.
   *
   * @param v the value
   */
  public void writeTwosComplement(long v) {
    int bits = Long.SIZE + 1 - Long.numberOfLeadingZeros(v < 0 ? ~v : v);
    int len = (bits + 7) / 8;
    writeInt(len);
    ensure(len);
    for (int i = len - 1; i >= 0; i--) {
      buf[pos + i] = (byte) v;
      v >>= 8;
    }
    pos += len;
  }

  @Override
  public void writeBytes(ByteBuffer bytes) {
    int len = bytes.remaining();
    writeInt(len);
    ensure(len);
    bytes.duplicate().get(buf, pos, len);
    pos += len;
  }

  @Override
  public void writeBytes(byte[] bytes, int start, int len) {
    writeInt(len);
    writeFixed(bytes, start, len);
  }

  @Override
  public void writeFixed(byte[] bytes, int start, int len) {
    ensure(len);
    System.arraycopy(bytes, start, buf, pos, len);
    pos += len;
  }

  @Override
  public void writeEnum(int e) {
    writeInt(e);
  }

  @Override
  public void writeArrayStart() {}

  @Override
  public void setItemCount(long itemCount) {
    if (itemCount > 0) {
      writeLong(itemCount);
    }
  }

  @Override
  public void startItem() {}

  @Override
  public void writeArrayEnd() {
    writeInt(0);
  }

  @Override
  public void writeMapStart() {}

  @Override
  public void writeMapEnd() {
    writeInt(0);
  }

  @Override
  public void writeIndex(int unionIndex) {
    writeInt(unionIndex);
  }

  @Override
  public void flush() {}
}
