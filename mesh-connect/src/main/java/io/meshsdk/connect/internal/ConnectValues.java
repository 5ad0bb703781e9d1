package io.meshsdk.connect.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.jspecify.annotations.Nullable;

/**
 * Connect's data onto the product's Avro schema by field names, and back. The rules are those of
 * {@code docs/onboarding.md}: numbers widen or narrow only when the value fits, text goes to
 * strings and enum symbols, Connect's {@code Timestamp}, {@code Date} and {@code Decimal} to Avro's
 * logical types, a field the record lacks takes the product's default (or null when it may be
 * null). Stateless and thread-safe.
 */
public final class ConnectValues {
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();
  private static final long DAY = TimeUnit.DAYS.toMillis(1);

  private ConnectValues() {}

  /**
   * A Connect value (a {@link Struct} or a map) as a record of the product's schema.
   *
   * @throws DataException naming the field when a value does not fit
   */
  public static GenericRecord toAvro(Object value, Schema schema) {
    Object r = convert(value, schema, schema.getName());
    if (!(r instanceof GenericRecord g)) {
      throw new DataException("a " + schema.getName() + " is made from a Struct or a map");
    }
    return g;
  }

  /** A field of a Struct or a map, by name; null when it has none. */
  static @Nullable Object field(Object value, String name) {
    if (value instanceof Struct s) {
      Field f = s.schema().field(name);
      return f == null ? null : s.get(f);
    }
    if (value instanceof Map<?, ?> m) {
      return m.get(name);
    }
    return null;
  }

  static boolean hasField(Object value, String name) {
    if (value instanceof Struct s) {
      return s.schema().field(name) != null;
    }
    return value instanceof Map<?, ?> m && m.containsKey(name);
  }

  private static @Nullable Object convert(@Nullable Object v, Schema s, String path) {
    if (s.getType() == Schema.Type.UNION) {
      if (v == null) {
        for (Schema branch : s.getTypes()) {
          if (branch.getType() == Schema.Type.NULL) {
            return null;
          }
        }
        throw new DataException(path + ": null, and the product requires a value");
      }
      DataException last = null;
      for (Schema branch : s.getTypes()) {
        if (branch.getType() == Schema.Type.NULL) {
          continue;
        }
        try {
          return convert(v, branch, path);
        } catch (DataException e) {
          last = e;
        }
      }
      throw last != null ? last : new DataException(path + ": no branch of " + s + " fits");
    }
    if (v == null) {
      if (s.getType() == Schema.Type.NULL) {
        return null;
      }
      throw new DataException(path + ": null, and the product requires a value");
    }
    LogicalType logical = s.getLogicalType();
    switch (s.getType()) {
      case RECORD -> {
        if (!(v instanceof Struct) && !(v instanceof Map<?, ?>)) {
          throw new DataException(path + ": a " + kind(v) + ", not a record");
        }
        GenericData.Record out = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) {
          String fieldPath = path + "." + f.name();
          if (!hasField(v, f.name())) {
            if (f.hasDefaultValue()) {
              out.put(f.pos(), GenericData.get().getDefaultValue(f));
              continue;
            }
            if (nullable(f.schema())) {
              out.put(f.pos(), null);
              continue;
            }
            throw new DataException(fieldPath + ": missing, and the product requires it");
          }
          out.put(f.pos(), convert(field(v, f.name()), f.schema(), fieldPath));
        }
        return out;
      }
      case STRING -> {
        if (v instanceof CharSequence c) {
          return c.toString();
        }
        if (v instanceof java.util.UUID u) {
          return u.toString();
        }
        // a database's numeric id is a product's text key, for one
        if (v instanceof BigDecimal d) {
          return d.toPlainString();
        }
        if (v instanceof Number || v instanceof Boolean) {
          return v.toString();
        }
        throw new DataException(path + ": a " + kind(v) + ", not text");
      }
      case ENUM -> {
        String symbol = v.toString();
        if (!s.hasEnumSymbol(symbol)) {
          if (s.getEnumDefault() != null) {
            return new GenericData.EnumSymbol(s, s.getEnumDefault());
          }
          throw new DataException(path + ": '" + symbol + "' is not one of " + s.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(s, symbol);
      }
      case INT -> {
        if (logical instanceof LogicalTypes.Date) {
          if (v instanceof Date d) {
            return (int) Math.floorDiv(d.getTime(), DAY);
          }
          if (v instanceof java.time.LocalDate d) {
            return (int) d.toEpochDay();
          }
        }
        if (v instanceof Date d && logical instanceof LogicalTypes.TimeMillis) {
          return (int) Math.floorMod(d.getTime(), DAY);
        }
        long n = integral(v, path);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
          throw new DataException(path + ": " + n + " does not fit an int");
        }
        return (int) n;
      }
      case LONG -> {
        if (v instanceof Date d) {
          if (logical instanceof LogicalTypes.TimestampMicros
              || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return TimeUnit.MILLISECONDS.toMicros(d.getTime());
          }
          return d.getTime();
        }
        if (v instanceof java.time.Instant i) {
          return logical instanceof LogicalTypes.TimestampMicros
              ? TimeUnit.SECONDS.toMicros(i.getEpochSecond()) + i.getNano() / 1000
              : i.toEpochMilli();
        }
        return integral(v, path);
      }
      case FLOAT -> {
        if (v instanceof Number n) {
          return n.floatValue();
        }
        throw new DataException(path + ": a " + kind(v) + ", not a number");
      }
      case DOUBLE -> {
        if (v instanceof Number n) {
          return n.doubleValue();
        }
        throw new DataException(path + ": a " + kind(v) + ", not a number");
      }
      case BOOLEAN -> {
        if (v instanceof Boolean b) {
          return b;
        }
        throw new DataException(path + ": a " + kind(v) + ", not a boolean");
      }
      case BYTES -> {
        if (logical instanceof LogicalTypes.Decimal d) {
          BigDecimal n = decimal(v, path);
          try {
            return DECIMALS.toBytes(n.setScale(d.getScale(), RoundingMode.UNNECESSARY), s, d);
          } catch (ArithmeticException e) {
            throw new DataException(
                path + ": " + n + " has more than " + d.getScale() + " decimals");
          }
        }
        if (v instanceof byte[] b) {
          return ByteBuffer.wrap(b);
        }
        if (v instanceof ByteBuffer b) {
          return b;
        }
        throw new DataException(path + ": a " + kind(v) + ", not bytes");
      }
      case ARRAY -> {
        if (!(v instanceof List<?> list)) {
          throw new DataException(path + ": a " + kind(v) + ", not a list");
        }
        List<Object> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          out.add(convert(list.get(i), s.getElementType(), path + "[" + i + "]"));
        }
        return new GenericData.Array<>(s, out);
      }
      case MAP -> {
        if (!(v instanceof Map<?, ?> map)) {
          throw new DataException(path + ": a " + kind(v) + ", not a map");
        }
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.put(
              String.valueOf(e.getKey()),
              convert(e.getValue(), s.getValueType(), path + "[" + e.getKey() + "]"));
        }
        return out;
      }
      default -> throw new DataException(path + ": Avro type " + s.getType() + " is not mapped");
    }
  }

  private static long integral(Object v, String path) {
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        throw new DataException(path + ": " + d + " is not a whole number");
      }
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new DataException(path + ": a " + kind(v) + ", not a whole number");
  }

  private static BigDecimal decimal(Object v, String path) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof CharSequence c) {
      try {
        return new BigDecimal(c.toString().trim());
      } catch (NumberFormatException e) {
        throw new DataException(path + ": text that is not a number");
      }
    }
    throw new DataException(path + ": a " + kind(v) + ", not a decimal");
  }

  private static boolean nullable(Schema s) {
    return s.getType() == Schema.Type.NULL
        || (s.getType() == Schema.Type.UNION
            && s.getTypes().stream().anyMatch(b -> b.getType() == Schema.Type.NULL));
  }

  /** What a value is, never the value itself (it may be personal data). */
  private static String kind(Object v) {
    return "value of type " + v.getClass().getSimpleName();
  }

  // ---- products back into Connect data (sink connectors) -----------------------------------

  /** The Connect schema of an Avro schema: optional where the Avro one admits null. */
  public static org.apache.kafka.connect.data.Schema toConnect(Schema s) {
    return connectSchema(s, false);
  }

  private static org.apache.kafka.connect.data.Schema connectSchema(Schema s, boolean optional) {
    if (s.getType() == Schema.Type.UNION) {
      Schema single = null;
      boolean nullable = false;
      for (Schema b : s.getTypes()) {
        if (b.getType() == Schema.Type.NULL) {
          nullable = true;
        } else if (single == null) {
          single = b;
        } else {
          throw new DataException("a union of several types (" + s + ") has no Connect schema");
        }
      }
      if (single == null) {
        throw new DataException("a union of null alone has no Connect schema");
      }
      return connectSchema(single, optional || nullable);
    }
    LogicalType logical = s.getLogicalType();
    SchemaBuilder b;
    switch (s.getType()) {
      case RECORD -> {
        b = SchemaBuilder.struct().name(s.getFullName());
        for (Schema.Field f : s.getFields()) {
          b.field(f.name(), connectSchema(f.schema(), false));
        }
      }
      case STRING, ENUM -> b = SchemaBuilder.string();
      case INT ->
          b =
              logical instanceof LogicalTypes.Date
                  ? org.apache.kafka.connect.data.Date.builder()
                  : logical instanceof LogicalTypes.TimeMillis
                      ? org.apache.kafka.connect.data.Time.builder()
                      : SchemaBuilder.int32();
      case LONG ->
          b =
              logical instanceof LogicalTypes.TimestampMillis
                      || logical instanceof LogicalTypes.TimestampMicros
                  ? Timestamp.builder()
                  : SchemaBuilder.int64();
      case FLOAT -> b = SchemaBuilder.float32();
      case DOUBLE -> b = SchemaBuilder.float64();
      case BOOLEAN -> b = SchemaBuilder.bool();
      case BYTES ->
          b =
              logical instanceof LogicalTypes.Decimal d
                  ? org.apache.kafka.connect.data.Decimal.builder(d.getScale())
                  : SchemaBuilder.bytes();
      case FIXED -> b = SchemaBuilder.bytes();
      case ARRAY -> b = SchemaBuilder.array(connectSchema(s.getElementType(), false));
      case MAP ->
          b =
              SchemaBuilder.map(
                  SchemaBuilder.STRING_SCHEMA, connectSchema(s.getValueType(), false));
      default -> throw new DataException("Avro type " + s.getType() + " has no Connect schema");
    }
    if (optional) {
      b.optional();
    }
    return b.build();
  }

  /** A record decoded by the product's schema as Connect data of {@link #toConnect}'s schema. */
  public static @Nullable Object toConnect(
      @Nullable Object v, org.apache.kafka.connect.data.Schema c, Schema s) {
    if (v == null) {
      return null;
    }
    if (s.getType() == Schema.Type.UNION) {
      for (Schema b : s.getTypes()) {
        if (b.getType() != Schema.Type.NULL) {
          return toConnect(v, c, b);
        }
      }
    }
    LogicalType logical = s.getLogicalType();
    switch (s.getType()) {
      case RECORD -> {
        GenericRecord r = (GenericRecord) v;
        Struct out = new Struct(c);
        for (Schema.Field f : s.getFields()) {
          out.put(f.name(), toConnect(r.get(f.pos()), c.field(f.name()).schema(), f.schema()));
        }
        return out;
      }
      case STRING, ENUM -> {
        return v.toString();
      }
      case INT -> {
        int n = (Integer) v;
        if (logical instanceof LogicalTypes.Date) {
          return new Date(n * DAY);
        }
        if (logical instanceof LogicalTypes.TimeMillis) {
          return new Date(n);
        }
        return n;
      }
      case LONG -> {
        long n = (Long) v;
        if (logical instanceof LogicalTypes.TimestampMillis) {
          return new Date(n);
        }
        if (logical instanceof LogicalTypes.TimestampMicros) {
          return new Date(TimeUnit.MICROSECONDS.toMillis(n));
        }
        return n;
      }
      case BYTES -> {
        ByteBuffer b = (ByteBuffer) v;
        if (logical instanceof LogicalTypes.Decimal d) {
          return DECIMALS.fromBytes(b.duplicate(), s, d);
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
      }
      case FIXED -> {
        return ((GenericData.Fixed) v).bytes().clone();
      }
      case ARRAY -> {
        List<Object> out = new ArrayList<>();
        for (Object e : (List<?>) v) {
          out.add(toConnect(e, c.valueSchema(), s.getElementType()));
        }
        return out;
      }
      case MAP -> {
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          out.put(
              e.getKey().toString(), toConnect(e.getValue(), c.valueSchema(), s.getValueType()));
        }
        return out;
      }
      default -> {
        return v; // float, double, boolean
      }
    }
  }
}
