package io.meshsdk.testkit;

import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.ContractViolation;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.serde.ProductCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.jspecify.annotations.Nullable;

/**
 * Valid sample events of a product, generated from its contract: sizes, ranges, signs, e-mail
 * addresses, patterns (by trial), nullability, time constraints, decimals within their precision;
 * reproducible from a seed. Each event is built as Avro data from the product's schema, decoded
 * with the product's own codec, and checked against the contract, so it is exactly what a consumer
 * of the product can receive.
 *
 * <pre>{@code
 * List<OrderPlaced> orders = SampleEvents.of(OrderPlaced.class).seed(42).take(100);
 * OrderPlaced edge = SampleEvents.of(OrderPlaced.class).edgeCases().next();   // bounds, empties, unicode, nulls
 * }</pre>
 *
 * <p>A {@code @Pattern} the generator cannot satisfy by trial fails with a message naming the
 * field; give that field a generator with {@link #field(String, Function)}.
 *
 * <p>Thread-safety: not thread-safe; one generator per thread.
 *
 * @param <T> the product type
 */
public final class SampleEvents<T> {
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
  private static final String[] UNICODE = {"ü", "é", "ß", "漢", "😀", "\u0000"};
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private final ProductContract<T> contract;
  private final ProductCodec<T> codec;
  private final Map<String, ContractField> fieldsByPath = new HashMap<>();
  private final Map<String, Function<Random, Object>> overrides = new HashMap<>();
  private Random random = new Random(0);
  private boolean edges;

  private SampleEvents(ProductContract<T> contract) {
    this.contract = contract;
    this.codec = ProductCodec.of(contract);
    index(contract.fields());
  }

  private void index(List<ContractField> fields) {
    for (ContractField f : fields) {
      fieldsByPath.put(f.path(), f);
      index(f.fields());
    }
  }

  /**
   * A generator for a product class.
   *
   * @param type the product class
   * @param <T> the product type
   * @return the generator, seeded with 0
   */
  public static <T> SampleEvents<T> of(Class<T> type) {
    return new SampleEvents<>(ProductContract.of(type));
  }

  /**
   * A generator for a contract.
   *
   * @param contract the contract
   * @param <T> the product type
   * @return the generator, seeded with 0
   */
  public static <T> SampleEvents<T> of(ProductContract<T> contract) {
    return new SampleEvents<>(Objects.requireNonNull(contract, "contract"));
  }

  /**
   * Restarts the sequence from a seed: the same seed gives the same events.
   *
   * @param seed the seed
   * @return this generator
   */
  public SampleEvents<T> seed(long seed) {
    this.random = new Random(seed);
    return this;
  }

  /**
   * Prefers edge values: bounds of ranges and sizes, empty collections and texts where allowed,
   * non-ASCII text, {@code null} where nullable. Still valid under the contract.
   *
   * @return this generator
   */
  public SampleEvents<T> edgeCases() {
    this.edges = true;
    return this;
  }

  /**
   * Generates one field with a function of your own, in the field's Avro form (a {@code String},
   * {@code Long}, {@code Integer}, ...), for example for a {@code @Pattern} the generator cannot
   * satisfy.
   *
   * @param path the field path, for example {@code currency} or {@code items.sku}
   * @param generator makes a value from the generator's random source
   * @return this generator
   */
  public SampleEvents<T> field(String path, Function<Random, Object> generator) {
    overrides.put(
        Objects.requireNonNull(path, "path"), Objects.requireNonNull(generator, "generator"));
    return this;
  }

  /**
   * The next event.
   *
   * @return a valid event
   * @throws IllegalStateException when no valid event could be made (naming the field and rule)
   */
  public T next() {
    List<ContractViolation> last = List.of();
    for (int attempt = 0; attempt < 50; attempt++) {
      Object record = value(contract.schema(), "", List.of(), false);
      T value = codec.decode(encode(contract.schema(), record));
      last = contract.validate(value);
      if (last.isEmpty()) {
        return value;
      }
    }
    throw new IllegalStateException(
        "could not generate a valid " + contract.id() + "; last violations: " + last);
  }

  /**
   * The next events.
   *
   * @param count how many, 0 or more
   * @return the events
   */
  public List<T> take(int count) {
    List<T> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(next());
    }
    return result;
  }

  // ---- generation ----------------------------------------------------------------------

  private @Nullable Object value(
      Schema schema, String path, List<Constraint> constraints, boolean nullable) {
    Function<Random, Object> override = overrides.get(path);
    if (override != null) {
      return override.apply(random);
    }
    switch (schema.getType()) {
      case UNION:
        Schema valueBranch = null;
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            valueBranch = branch;
          }
        }
        boolean required = constraints.stream().anyMatch(c -> c instanceof Constraint.NotNull);
        if (valueBranch == null || (!required && random.nextInt(100) < (edges ? 50 : 20))) {
          return null;
        }
        return value(valueBranch, path, constraints, true);
      case RECORD:
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
          String p = path.isEmpty() ? f.name() : path + "." + f.name();
          ContractField cf = fieldsByPath.get(p);
          record.put(
              f.pos(), value(f.schema(), p, cf == null ? List.of() : cf.constraints(), false));
        }
        return record;
      case ARRAY:
        int n = size(constraints, 0, 3);
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(value(schema.getElementType(), path, List.of(), false));
        }
        return items;
      case MAP:
        int m = size(constraints, 0, 3);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; map.size() < m && i < m * 10; i++) {
          map.put("k" + random.nextInt(1000), value(schema.getValueType(), path, List.of(), false));
        }
        return map;
      case ENUM:
        List<String> symbols = schema.getEnumSymbols();
        return new GenericData.EnumSymbol(
            schema, symbols.get(edges ? symbols.size() - 1 : random.nextInt(symbols.size())));
      case STRING:
        return text(schema, path, constraints);
      case BYTES:
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal d) {
          return decimal(d, constraints);
        }
        byte[] bytes = new byte[size(constraints, 0, 8)];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
      case FIXED:
        byte[] fixed = new byte[schema.getFixedSize()];
        random.nextBytes(fixed);
        return new GenericData.Fixed(schema, fixed);
      case BOOLEAN:
        return random.nextBoolean();
      case INT:
        return (int)
            integral(schema.getLogicalType(), constraints, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG:
        return integral(schema.getLogicalType(), constraints, Long.MIN_VALUE, Long.MAX_VALUE);
      case FLOAT:
        return (float) real(constraints);
      case DOUBLE:
        return real(constraints);
      default:
        return null;
    }
  }

  private int size(List<Constraint> constraints, int min, int max) {
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Size s) {
        min = s.min();
        max = Math.min(s.max(), Math.max(s.min(), 8));
      } else if (c instanceof Constraint.NotEmpty || c instanceof Constraint.NotBlank) {
        min = Math.max(min, 1);
        max = Math.max(max, 1);
      }
    }
    if (edges) {
      return random.nextBoolean() ? min : max;
    }
    return min + random.nextInt(max - min + 1);
  }

  private String text(Schema schema, String path, List<Constraint> constraints) {
    if (schema.getLogicalType() != null && schema.getLogicalType().getName().equals("uuid")) {
      return new UUID(random.nextLong(), random.nextLong()).toString();
    }
    Pattern pattern = null;
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Email) {
        return "user" + random.nextInt(100_000) + "@example.com";
      }
      if (c instanceof Constraint.Pattern p) {
        pattern = Pattern.compile(p.regex());
      }
    }
    boolean blankForbidden = constraints.stream().anyMatch(c -> c instanceof Constraint.NotBlank);
    for (int attempt = 0; attempt < (pattern == null ? 1 : 5000); attempt++) {
      int n = size(constraints, 0, 12);
      StringBuilder sb = new StringBuilder(n);
      while (sb.length() < n) {
        if (edges && pattern == null && random.nextInt(3) == 0) {
          String u = UNICODE[random.nextInt(UNICODE.length)];
          if (sb.length() + u.length() <= n) {
            sb.append(u);
            continue;
          }
        }
        String alphabet = pattern == null ? ALPHABET : ALPHABET.trim();
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (blankForbidden && sb.toString().isBlank()) {
        sb.setCharAt(0, 'x');
      }
      String s = sb.toString();
      if (pattern == null || pattern.matcher(s).matches()) {
        return s;
      }
    }
    throw new IllegalStateException(
        contract.id()
            + ": cannot generate a value of "
            + path
            + " matching "
            + pattern
            + "; give it a generator with field(\""
            + path
            + "\", ...)");
  }

  private long integral(
      @Nullable LogicalType logical, List<Constraint> constraints, long lo, long hi) {
    long min = lo;
    long max = hi;
    if (logical != null) {
      switch (logical.getName()) {
        case "timestamp-millis" -> {
          min = BASE.minusSeconds(86_400L * 365).toEpochMilli();
          max = BASE.plusSeconds(86_400L * 365).toEpochMilli();
        }
        case "timestamp-micros" -> {
          min = BASE.minusSeconds(86_400L * 365).toEpochMilli() * 1000;
          max = BASE.plusSeconds(86_400L * 365).toEpochMilli() * 1000;
        }
        case "date" -> {
          min = 0;
          max = 40_000;
        }
        case "time-millis" -> {
          min = 0;
          max = 86_399_999;
        }
        default -> {}
      }
    } else if (!edges) {
      min = Math.max(min, -1_000_000);
      max = Math.min(max, 1_000_000);
    }
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Min m) {
        min = Math.max(min, m.value());
      } else if (c instanceof Constraint.Max m) {
        max = Math.min(max, m.value());
      } else if (c instanceof Constraint.Signum s) {
        switch (s.sign()) {
          case POSITIVE -> min = Math.max(min, 1);
          case POSITIVE_OR_ZERO -> min = Math.max(min, 0);
          case NEGATIVE -> max = Math.min(max, -1);
          default -> max = Math.min(max, 0);
        }
      } else if (c instanceof Constraint.Temporal t && logical != null) {
        // anchored to the start of today (UTC), so that a seed gives the same events all day
        long today = Math.floorDiv(System.currentTimeMillis(), 86_400_000L);
        long now;
        long day;
        switch (logical.getName()) {
          case "timestamp-micros" -> {
            now = today * 86_400_000_000L;
            day = 86_400_000_000L;
          }
          case "date" -> {
            now = today;
            day = 1;
          }
          default -> {
            now = today * 86_400_000L;
            day = 86_400_000L;
          }
        }
        switch (t.when()) {
          case PAST, PAST_OR_PRESENT -> {
            max = Math.min(max, now - day);
            min = Math.min(min, max - 365 * day);
          }
          default -> {
            min = Math.max(min, now + 2 * day);
            max = Math.max(max, min + 365 * day);
          }
        }
      }
    }
    if (edges) {
      return random.nextBoolean() ? min : max;
    }
    return min + (long) (random.nextDouble() * ((double) max - (double) min));
  }

  private double real(List<Constraint> constraints) {
    double min = edges ? -1e300 : -1e6;
    double max = edges ? 1e300 : 1e6;
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Min m) {
        min = Math.max(min, m.value());
      } else if (c instanceof Constraint.Max m) {
        max = Math.min(max, m.value());
      } else if (c instanceof Constraint.Signum s) {
        switch (s.sign()) {
          case POSITIVE -> min = Math.max(min, Double.MIN_VALUE);
          case POSITIVE_OR_ZERO -> min = Math.max(min, 0);
          case NEGATIVE -> max = Math.min(max, -Double.MIN_VALUE);
          default -> max = Math.min(max, 0);
        }
      }
    }
    if (edges) {
      return random.nextBoolean() ? min : max;
    }
    return min + random.nextDouble() * (max - min);
  }

  private ByteBuffer decimal(LogicalTypes.Decimal d, List<Constraint> constraints) {
    int integerDigits = d.getPrecision() - d.getScale();
    BigInteger bound = BigInteger.TEN.pow(Math.min(integerDigits + d.getScale(), 18));
    long unscaled =
        edges ? bound.longValue() - 1 : Math.floorMod(random.nextLong(), bound.longValue());
    BigDecimal value = BigDecimal.valueOf(unscaled, d.getScale());
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Signum s
          && (s.sign() == Constraint.Sign.POSITIVE)
          && value.signum() == 0) {
        value = BigDecimal.valueOf(1, d.getScale());
      }
    }
    return ByteBuffer.wrap(value.unscaledValue().toByteArray());
  }

  private static byte[] encode(Schema schema, Object record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<Object>(schema).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
