package io.meshsdk.serde.internal;

import io.meshsdk.contract.internal.PropertyModel;
import io.meshsdk.contract.internal.RecordModel;
import io.meshsdk.contract.internal.TypeNode;
import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.EnumNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.RecordNode;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import io.meshsdk.serde.MeshSerializationException;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.ResolvingDecoder;
import org.jspecify.annotations.Nullable;

/** Builds the value codecs of a model, once per product class. */
final class ValueCodecs {
  private final Map<RecordModel, RecordCodec> records = new HashMap<>();

  RecordCodec record(RecordModel model) {
    RecordCodec existing = records.get(model);
    if (existing != null) {
      return existing;
    }
    RecordCodec codec = new RecordCodec(model);
    records.put(model, codec);
    List<PropertyModel> properties = model.properties();
    FieldCodec[] fields = new FieldCodec[properties.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = field(model, properties.get(i));
    }
    codec.fields = fields;
    return codec;
  }

  private FieldCodec field(RecordModel owner, PropertyModel p) {
    String where = owner.type().getSimpleName() + "." + p.name();
    if (p.type() instanceof ScalarNode s && s.primitive()) {
      switch (s.kind()) {
        case LONG:
          return new LongField(p.accessor().longReader());
        case INT:
          return new IntField(
              p.accessor().intReader(), Integer.MIN_VALUE, Integer.MAX_VALUE, where);
        case SHORT:
          return new IntField(p.accessor().intReader(), Short.MIN_VALUE, Short.MAX_VALUE, where);
        case BYTE:
          return new IntField(p.accessor().intReader(), Byte.MIN_VALUE, Byte.MAX_VALUE, where);
        case DOUBLE:
          return new DoubleField(p.accessor().doubleReader());
        case FLOAT:
          return new FloatField(p.accessor().doubleReader());
        case BOOLEAN:
          return new BooleanField(p.accessor().booleanReader());
        default:
          break;
      }
    }
    int unionNullIndex = 0;
    if (p.type() instanceof NullableNode) {
      Schema fieldSchema = owner.schema().getField(p.name()).schema();
      unionNullIndex = fieldSchema.getTypes().get(0).getType() == Schema.Type.NULL ? 0 : 1;
    }
    return new ObjectField(p.accessor()::get, value(p.type(), unionNullIndex, where), where);
  }

  ValueCodec value(TypeNode node, int nullIndex, String where) {
    if (node instanceof NullableNode n) {
      return new NullableCodec(value(n.inner(), 0, where), n.optional(), nullIndex);
    } else if (node instanceof RecordNode r) {
      return record(r.model());
    } else if (node instanceof ArrayNode a) {
      return new ArrayCodec(value(a.element(), 0, where), a.set(), where);
    } else if (node instanceof MapNode m) {
      return new MapCodec(value(m.value(), 0, where), where);
    } else if (node instanceof EnumNode e) {
      return new EnumCodec(e.constants(), where);
    }
    ScalarNode s = (ScalarNode) node;
    switch (s.kind()) {
      case STRING:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeString((String) v);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            return in.readString();
          }
        };
      case INT:
        return new IntCodec(Integer.MIN_VALUE, Integer.MAX_VALUE, where, false);
      case SHORT:
        return new IntCodec(Short.MIN_VALUE, Short.MAX_VALUE, where, true);
      case BYTE:
        return new IntCodec(Byte.MIN_VALUE, Byte.MAX_VALUE, where, true);
      case LONG:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeLong((Long) v);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            return in.readLong();
          }
        };
      case FLOAT:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeFloat((Float) v);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            return in.readFloat();
          }
        };
      case DOUBLE:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeDouble((Double) v);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            return in.readDouble();
          }
        };
      case BOOLEAN:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeBoolean((Boolean) v);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            return in.readBoolean();
          }
        };
      case BYTES:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            byte[] b = (byte[]) v;
            out.writeBytes(b, 0, b.length);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            if (in instanceof SafeDecoder d) {
              return d.readByteArray();
            }
            ByteBuffer b = in.readBytes(null);
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            return copy;
          }
        };
      case BYTE_BUFFER:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeBytes((ByteBuffer) v);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            return in.readBytes(null);
          }
        };
      case INSTANT_MILLIS:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            try {
              out.writeLong(((Instant) v).toEpochMilli());
            } catch (ArithmeticException e) {
              throw new MeshSerializationException(
                  where + ": instant out of range for timestamp-millis", e);
            }
          }

          @Override
          public Object read(Decoder in) throws IOException {
            long millis = in.readLong();
            try {
              return Instant.ofEpochMilli(millis);
            } catch (DateTimeException e) {
              throw invalid(where, "timestamp-millis out of range", e);
            }
          }
        };
      case INSTANT_MICROS:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            Instant i = (Instant) v;
            try {
              out.writeLong(
                  Math.addExact(
                      Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000));
            } catch (ArithmeticException e) {
              throw new MeshSerializationException(
                  where + ": instant out of range for timestamp-micros", e);
            }
          }

          @Override
          public Object read(Decoder in) throws IOException {
            long micros = in.readLong();
            return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
          }
        };
      case LOCAL_DATE:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            long day = ((LocalDate) v).toEpochDay();
            if (day != (int) day) {
              throw new MeshSerializationException(where + ": date out of range", null);
            }
            out.writeInt((int) day);
          }

          @Override
          public Object read(Decoder in) throws IOException {
            int day = in.readInt();
            try {
              return LocalDate.ofEpochDay(day);
            } catch (DateTimeException e) {
              throw invalid(where, "date out of range", e);
            }
          }
        };
      case LOCAL_TIME:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeInt((int) (((LocalTime) v).toNanoOfDay() / 1_000_000L));
          }

          @Override
          public Object read(Decoder in) throws IOException {
            int millis = in.readInt();
            try {
              return LocalTime.ofNanoOfDay(millis * 1_000_000L);
            } catch (DateTimeException e) {
              throw invalid(where, "time-millis out of range", e);
            }
          }
        };
      case UUID:
        return new ValueCodec() {
          @Override
          public void write(Object v, Encoder out) throws IOException {
            out.writeString(v.toString());
          }

          @Override
          public Object read(Decoder in) throws IOException {
            String text = in.readString();
            try {
              return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
              throw invalid(where, "not a UUID", e);
            }
          }
        };
      case DECIMAL:
        return new DecimalCodec(s.precision(), s.scale(), where);
      default:
        throw new IllegalStateException("unknown scalar " + s.kind());
    }
  }

  static RecordDecodingException invalid(String where, String what, @Nullable Throwable cause) {
    return new RecordDecodingException(Reason.INVALID_VALUE, where + ": " + what, cause);
  }

  // ---- records --------------------------------------------------------------------------

  /** Writes and reads one record type through its bound accessors and constructor. */
  static final class RecordCodec implements ValueCodec {
    private final RecordModel model;
    FieldCodec[] fields = new FieldCodec[0];

    RecordCodec(RecordModel model) {
      this.model = model;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      for (FieldCodec f : fields) {
        f.write(value, out);
      }
    }

    @Override
    public Object read(Decoder in) throws IOException {
      Object[] values = new Object[fields.length];
      Schema.Field[] order = in instanceof ResolvingDecoder rd ? rd.readFieldOrderIfDiff() : null;
      if (order == null) {
        for (int i = 0; i < fields.length; i++) {
          values[i] = fields[i].read(in);
        }
      } else {
        for (Schema.Field f : order) {
          values[f.pos()] = fields[f.pos()].read(in);
        }
      }
      return model.instantiator().create(values);
    }
  }

  abstract static class FieldCodec {
    abstract void write(Object bean, Encoder out) throws IOException;

    abstract @Nullable Object read(Decoder in) throws IOException;
  }

  private static final class LongField extends FieldCodec {
    private final ToLongFunction<Object> get;

    LongField(ToLongFunction<Object> get) {
      this.get = get;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      out.writeLong(get.applyAsLong(bean));
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readLong();
    }
  }

  private static final class IntField extends FieldCodec {
    private final ToIntFunction<Object> get;
    private final int min;
    private final int max;
    private final String where;

    IntField(ToIntFunction<Object> get, int min, int max, String where) {
      this.get = get;
      this.min = min;
      this.max = max;
      this.where = where;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      out.writeInt(get.applyAsInt(bean));
    }

    @Override
    Object read(Decoder in) throws IOException {
      int v = in.readInt();
      if (v < min || v > max) {
        throw invalid(where, "value out of range", null);
      }
      if (max == Short.MAX_VALUE) {
        return (short) v;
      } else if (max == Byte.MAX_VALUE) {
        return (byte) v;
      }
      return v;
    }
  }

  private static final class DoubleField extends FieldCodec {
    private final ToDoubleFunction<Object> get;

    DoubleField(ToDoubleFunction<Object> get) {
      this.get = get;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      out.writeDouble(get.applyAsDouble(bean));
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readDouble();
    }
  }

  private static final class FloatField extends FieldCodec {
    private final ToDoubleFunction<Object> get;

    FloatField(ToDoubleFunction<Object> get) {
      this.get = get;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      out.writeFloat((float) get.applyAsDouble(bean));
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readFloat();
    }
  }

  private static final class BooleanField extends FieldCodec {
    private final Predicate<Object> get;

    BooleanField(Predicate<Object> get) {
      this.get = get;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      out.writeBoolean(get.test(bean));
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readBoolean();
    }
  }

  private static final class ObjectField extends FieldCodec {
    private final java.util.function.Function<Object, @Nullable Object> get;
    private final ValueCodec codec;
    private final boolean nullable;
    private final String where;

    ObjectField(
        java.util.function.Function<Object, @Nullable Object> get, ValueCodec codec, String where) {
      this.get = get;
      this.codec = codec;
      this.nullable = codec.nullable();
      this.where = where;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      Object v = get.apply(bean);
      if (v == null && !nullable) {
        throw new MeshSerializationException(where + " is null but not nullable", null);
      }
      codec.write(v, out);
    }

    @Override
    @Nullable Object read(Decoder in) throws IOException {
      return codec.read(in);
    }
  }

  // ---- containers ----------------------------------------------------------------------

  private static final class NullableCodec implements ValueCodec {
    private final ValueCodec inner;
    private final boolean optional;
    private final int nullIndex;
    private final int valueIndex;

    NullableCodec(ValueCodec inner, boolean optional, int nullIndex) {
      this.inner = inner;
      this.optional = optional;
      this.nullIndex = nullIndex;
      this.valueIndex = 1 - nullIndex;
    }

    @Override
    public boolean nullable() {
      return true;
    }

    @Override
    public void write(@Nullable Object value, Encoder out) throws IOException {
      Object v = optional && value != null ? ((Optional<?>) value).orElse(null) : value;
      if (v == null) {
        out.writeIndex(nullIndex);
        out.writeNull();
      } else {
        out.writeIndex(valueIndex);
        inner.write(v, out);
      }
    }

    @Override
    public @Nullable Object read(Decoder in) throws IOException {
      int index = in.readIndex();
      if (index == nullIndex) {
        in.readNull();
        return optional ? Optional.empty() : null;
      }
      if (index != valueIndex) {
        throw new RecordDecodingException(
            Reason.INVALID_VALUE, "union index " + index + " out of range");
      }
      Object v = inner.read(in);
      return optional ? Optional.ofNullable(v) : v;
    }
  }

  private static final class ArrayCodec implements ValueCodec {
    private final ValueCodec element;
    private final boolean set;
    private final boolean elementNullable;
    private final String where;

    ArrayCodec(ValueCodec element, boolean set, String where) {
      this.element = element;
      this.set = set;
      this.elementNullable = element.nullable();
      this.where = where;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      Collection<?> c = (Collection<?>) value;
      out.writeArrayStart();
      out.setItemCount(c.size());
      for (Object e : c) {
        out.startItem();
        if (e == null && !elementNullable) {
          throw new MeshSerializationException(where + " contains a null element", null);
        }
        element.write(e, out);
      }
      out.writeArrayEnd();
    }

    @Override
    public Object read(Decoder in) throws IOException {
      long n = in.readArrayStart();
      Collection<Object> result =
          set ? new LinkedHashSet<>() : new ArrayList<>((int) Math.min(n, 1024));
      for (; n != 0; n = in.arrayNext()) {
        for (long i = 0; i < n; i++) {
          result.add(element.read(in));
        }
      }
      return result;
    }
  }

  private static final class MapCodec implements ValueCodec {
    private final ValueCodec value;
    private final boolean valueNullable;
    private final String where;

    MapCodec(ValueCodec value, String where) {
      this.value = value;
      this.valueNullable = value.nullable();
      this.where = where;
    }

    @Override
    public void write(Object v, Encoder out) throws IOException {
      Map<?, ?> m = (Map<?, ?>) v;
      out.writeMapStart();
      out.setItemCount(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.startItem();
        if (e.getKey() == null || (e.getValue() == null && !valueNullable)) {
          throw new MeshSerializationException(where + " contains a null key or value", null);
        }
        out.writeString((String) e.getKey());
        value.write(e.getValue(), out);
      }
      out.writeMapEnd();
    }

    @Override
    public Object read(Decoder in) throws IOException {
      long n = in.readMapStart();
      Map<String, Object> result = new LinkedHashMap<>();
      for (; n != 0; n = in.mapNext()) {
        for (long i = 0; i < n; i++) {
          String key = in.readString();
          result.put(key, value.read(in));
        }
      }
      return result;
    }
  }

  private static final class EnumCodec implements ValueCodec {
    private final Enum<?>[] constants;
    private final String where;

    EnumCodec(Enum<?>[] constants, String where) {
      this.constants = constants;
      this.where = where;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      out.writeEnum(((Enum<?>) value).ordinal());
    }

    @Override
    public Object read(Decoder in) throws IOException {
      int index = in.readEnum();
      if (index < 0 || index >= constants.length) {
        throw invalid(where, "enum index " + index + " out of range", null);
      }
      return constants[index];
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
      byte[] bytes = scaled.unscaledValue().toByteArray();
      out.writeBytes(bytes, 0, bytes.length);
    }

    @Override
    public Object read(Decoder in) throws IOException {
      byte[] bytes;
      if (in instanceof SafeDecoder d) {
        bytes = d.readByteArray();
      } else {
        ByteBuffer b = in.readBytes(null);
        bytes = new byte[b.remaining()];
        b.get(bytes);
      }
      if (bytes.length == 0) {
        throw invalid(where, "empty decimal", null);
      }
      return new BigDecimal(new BigInteger(bytes), scale);
    }
  }
}
