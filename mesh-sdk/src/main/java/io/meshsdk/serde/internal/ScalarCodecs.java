package io.meshsdk.serde.internal;

import static io.meshsdk.serde.internal.ValueCodecs.invalid;

import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import io.meshsdk.serde.MeshSerializationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.UUID;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

/**
 * The codecs of scalar values: numbers, text, bytes and the logical types, each converting between
 * the Java type and its Avro form and refusing out-of-range values with a clear error.
 */
final class ScalarCodecs {
  private ScalarCodecs() {}

  /** Writes one value; the scalar codecs below are pairs of these and {@link Read}. */
  @FunctionalInterface
  private interface Write {
    void write(Object v, Encoder out) throws IOException;
  }

  /** Reads one value. */
  @FunctionalInterface
  private interface Read {
    Object read(Decoder in) throws IOException;
  }

  private static ValueCodec codec(Write write, Read read) {
    return new ValueCodec() {
      @Override
      public void write(Object value, Encoder out) throws IOException {
        write.write(value, out);
      }

      @Override
      public Object read(Decoder in) throws IOException {
        return read.read(in);
      }
    };
  }

  static ValueCodec of(ScalarNode s, String where) {
    switch (s.kind()) {
      case STRING:
        return codec((v, out) -> out.writeString((String) v), in -> in.readString());
      case INT:
        return new IntCodec(Integer.MIN_VALUE, Integer.MAX_VALUE, where, false);
      case SHORT:
        return new IntCodec(Short.MIN_VALUE, Short.MAX_VALUE, where, true);
      case BYTE:
        return new IntCodec(Byte.MIN_VALUE, Byte.MAX_VALUE, where, true);
      case LONG:
        return codec((v, out) -> out.writeLong((Long) v), in -> in.readLong());
      case FLOAT:
        return codec((v, out) -> out.writeFloat((Float) v), in -> in.readFloat());
      case DOUBLE:
        return codec((v, out) -> out.writeDouble((Double) v), in -> in.readDouble());
      case BOOLEAN:
        return codec((v, out) -> out.writeBoolean((Boolean) v), in -> in.readBoolean());
      case BYTES:
        return codec(
            (v, out) -> {
              byte[] b = (byte[]) v;
              out.writeBytes(b, 0, b.length);
            },
            in -> {
              if (in instanceof SafeDecoder d) {
                return d.readByteArray();
              }
              ByteBuffer b = in.readBytes(null);
              byte[] copy = new byte[b.remaining()];
              b.get(copy);
              return copy;
            });
      case BYTE_BUFFER:
        return codec((v, out) -> out.writeBytes((ByteBuffer) v), in -> in.readBytes(null));
      case INSTANT_MILLIS:
        return codec(
            (v, out) -> {
              try {
                out.writeLong(((Instant) v).toEpochMilli());
              } catch (ArithmeticException e) {
                throw new MeshSerializationException(
                    where + ": instant out of range for timestamp-millis", e);
              }
            },
            in -> {
              long millis = in.readLong();
              try {
                return Instant.ofEpochMilli(millis);
              } catch (DateTimeException e) {
                throw invalid(where, "timestamp-millis out of range", e);
              }
            });
      case INSTANT_MICROS:
        return codec(
            (v, out) -> {
              Instant i = (Instant) v;
              try {
                out.writeLong(
                    Math.addExact(
                        Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000));
              } catch (ArithmeticException e) {
                throw new MeshSerializationException(
                    where + ": instant out of range for timestamp-micros", e);
              }
            },
            in -> {
              long micros = in.readLong();
              return Instant.ofEpochSecond(
                  Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
            });
      case LOCAL_DATE:
        return codec(
            (v, out) -> {
              long day = ((LocalDate) v).toEpochDay();
              if (day != (int) day) {
                throw new MeshSerializationException(where + ": date out of range", null);
              }
              out.writeInt((int) day);
            },
            in -> {
              int day = in.readInt();
              try {
                return LocalDate.ofEpochDay(day);
              } catch (DateTimeException e) {
                throw invalid(where, "date out of range", e);
              }
            });
      case LOCAL_TIME:
        return codec(
            (v, out) -> out.writeInt((int) (((LocalTime) v).toNanoOfDay() / 1_000_000L)),
            in -> {
              int millis = in.readInt();
              try {
                return LocalTime.ofNanoOfDay(millis * 1_000_000L);
              } catch (DateTimeException e) {
                throw invalid(where, "time-millis out of range", e);
              }
            });
      case UUID:
        return codec(
            (v, out) -> out.writeString(v.toString()),
            in -> {
              String text = in.readString();
              try {
                return UUID.fromString(text);
              } catch (IllegalArgumentException e) {
                throw invalid(where, "not a UUID", e);
              }
            });
      case DECIMAL:
        return new DecimalCodec(s.precision(), s.scale(), where);
      default:
        throw new IllegalStateException("unknown scalar " + s.kind());
    }
  }

  private static final class IntCodec implements ValueCodec {
    private final int min;
    private final int max;
    private final String where;
    private final boolean narrow;

    IntCodec(int min, int max, String where, boolean narrow) {
      this.min = min;
      this.max = max;
      this.where = where;
      this.narrow = narrow;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      out.writeInt(((Number) value).intValue());
    }

    @Override
    public Object read(Decoder in) throws IOException {
      int v = in.readInt();
      if (v < min || v > max) {
        throw invalid(where, "value out of range", null);
      }
      if (!narrow) {
        return v;
      }
      return max == Short.MAX_VALUE ? (Object) (short) v : (Object) (byte) v;
    }
  }

  private static final class DecimalCodec implements ValueCodec {
    /** Every decimal of at most this many digits has an unscaled value that fits in a long. */
    private static final int MAX_LONG_DIGITS = 18;

    private final int precision;
    private final int scale;
    private final String where;

    DecimalCodec(int precision, int scale, String where) {
      this.precision = precision;
      this.scale = scale;
      this.where = where;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      BigDecimal scaled;
      try {
        scaled = ((BigDecimal) value).setScale(scale, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new MeshSerializationException(
            where + ": more than " + scale + " fraction digits", e);
      }
      if (scaled.precision() > precision) {
        throw new MeshSerializationException(where + ": more than " + precision + " digits", null);
      }
      if (out instanceof BufferEncoder encoder && scaled.precision() <= MAX_LONG_DIGITS) {
        // the unscaled value fits in a long: no BigInteger, no temporary array
        encoder.writeTwosComplement(scaled.scaleByPowerOfTen(scale).longValue());
      } else {
        byte[] bytes = scaled.unscaledValue().toByteArray();
        out.writeBytes(bytes, 0, bytes.length);
      }
    }

    @Override
    public Object read(Decoder in) throws IOException {
      if (in instanceof SafeDecoder d) {
        BigDecimal decimal = d.readUnscaled(scale);
        if (decimal == null) {
          throw invalid(where, "empty decimal", null);
        }
        return decimal;
      }
      ByteBuffer b = in.readBytes(null);
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      if (bytes.length == 0) {
        throw invalid(where, "empty decimal", null);
      }
      return new BigDecimal(new BigInteger(bytes), scale);
    }
  }
}
