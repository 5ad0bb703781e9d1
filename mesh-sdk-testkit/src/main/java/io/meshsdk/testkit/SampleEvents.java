package io.meshsdk.testkit;

import com.github.curiousoddman.rgxgen.RgxGen;
import com.github.curiousoddman.rgxgen.config.RgxGenOption;
import com.github.curiousoddman.rgxgen.config.RgxGenProperties;
import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.ContractViolation;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.serde.ProductCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.jspecify.annotations.Nullable;

/**
 * Valid sample events of a product, generated from its contract; reproducible from a seed. Every
 * combination of constraints a contract accepts is generated: sizes and lengths, {@code NotBlank}
 * and {@code NotEmpty}, {@code Pattern} (strings built from the expression with <a
 * href="https://github.com/curious-odd-man/RgxGen">RgxGen</a> and checked with {@code
 * java.util.regex}), {@code Email}, {@code Min}/{@code Max} and signs on every number type
 * (decimals within their precision and scale, {@code short} and {@code byte} within their range),
 * past and future times, nullability, enums, nested records, lists, sets and maps. Each event is
 * built as Avro data from the product's schema, decoded with the product's own codec, and checked
 * against the contract, so it is exactly what a consumer of the product can receive.
 *
 * <pre>{@code
 * List<OrderPlaced> orders = SampleEvents.of(OrderPlaced.class).seed(42).take(100);
 * OrderPlaced edge = SampleEvents.of(OrderPlaced.class).edgeCases().next();   // bounds, empties, unicode, nulls
 * }</pre>
 *
 * <p>Constraints that contradict each other ({@code @Min(5) @Max(3)}, {@code @NotBlank @Size(max =
 * 0)}), and a {@code @Pattern} for which a bounded number of attempts finds no string that also
 * meets the field's other constraints (a look-around, a {@code @Size} shorter than the pattern),
 * fail with an {@link UnsatisfiableFieldException} that names the field; supply that field's values
 * with {@link #with(SampleValues)}. Generation never loops without bound.
 *
 * <p>Time constraints are anchored to the start of the current UTC day, so that a seed gives the
 * same events all day: a past instant or date lies 1 to 366 days before today, a future one 2 to
 * 367 days after; a {@code LocalTime} in the past is midnight, one in the future is 23:59:59.999; a
 * date both past-or-present and future-or-present is today.
 *
 * <p>Thread-safety: not thread-safe; one generator per thread. The {@link SampleValues} given to it
 * are held, not copied, and their generators run on the generating thread.
 *
 * @param <T> the product type
 */
public final class SampleEvents<T> {
  /** How many candidates a constrained string may take before the field is given up. */
  static final int ATTEMPTS_PER_VALUE = 1000;

  /** How many whole events may fail the contract (only supplied values can) before giving up. */
  private static final int ATTEMPTS_PER_EVENT = 20;

  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String[] UNICODE = {"ü", "é", "ß", "漢", "😀", "\u0000"};
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
  private static final long DAY_MILLIS = 86_400_000L;
  private static final long LAST_MILLI_OF_DAY = DAY_MILLIS - 1;

  /** Numbers are drawn from this window when the constraints allow; edge cases use the bounds. */
  private static final long WINDOW = 1_000_000L;

  /** How much longer than its minimum a text or collection is made, when nothing says. */
  private static final int TEXT_SPAN = 12;

  private static final int COLLECTION_SPAN = 3;
  private static final int BYTES_SPAN = 8;
  private static final Pattern LEADING_FLAGS = Pattern.compile("^\\(\\?([a-zA-Z]+)\\)");

  private final ProductContract<T> contract;
  private final ProductCodec<T> codec;
  private final Map<String, ContractField> fieldsByPath = new LinkedHashMap<>();
  private final Map<String, Class<?>> javaTypes = new HashMap<>();
  private final Set<String> setFields = new HashSet<>();
  private final Map<String, PatternSource> patterns = new HashMap<>();
  private final Map<String, Schema> clearSchemas = new HashMap<>();

  /** The field property naming an encrypted field's clear schema ({@code docs/security.md}). */
  private static final String CLEAR_SCHEMA = "mesh.clear.schema";

  private SampleValues values = SampleValues.none();
  private Random random = new Random(0);
  private boolean edges;

  private SampleEvents(ProductContract<T> contract) {
    this.contract = contract;
    // encrypted fields are generated in clear, from their clear schema: samples need no key
    this.codec = ProductCodec.withEncryptedFieldsInClear(contract);
    index(contract.fields());
    indexJavaTypes(contract.type(), contract.fields());
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
   * @throws io.meshsdk.errors.MeshConfigurationException when the class cannot be a data product
   * @throws NullPointerException if {@code type} is null
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
   * @throws NullPointerException if {@code contract} is null
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
   * Takes the values of some fields from you instead of generating them, for example for a field
   * whose {@code @Pattern} the generator cannot satisfy. Added to values given before; for a path
   * given twice the later wins.
   *
   * @param values the values, by field path
   * @return this generator
   * @throws IllegalArgumentException naming a path that is not a field of the product
   * @throws NullPointerException if {@code values} is null
   */
  public SampleEvents<T> with(SampleValues values) {
    Objects.requireNonNull(values, "values");
    for (String path : values.paths()) {
      if (!fieldsByPath.containsKey(path)) {
        throw new IllegalArgumentException(
            contract.id()
                + " has no field "
                + path
                + " to take sample values for; its fields are "
                + fieldsByPath.keySet());
      }
    }
    this.values = this.values.and(values);
    return this;
  }

  /**
   * Takes one field's values from a function of your own; short for {@code
   * with(SampleValues.of(path, generator))}.
   *
   * @param path the field path, for example {@code currency} or {@code items.sku}
   * @param generator makes a value from the generator's random source, in the field's Java type
   *     (see {@link SampleValues})
   * @return this generator
   * @throws IllegalArgumentException naming a path that is not a field of the product
   * @throws NullPointerException if an argument is null
   */
  public SampleEvents<T> field(String path, Function<? super Random, ?> generator) {
    return with(SampleValues.of(path, generator));
  }

  /**
   * The next event.
   *
   * @return a valid event
   * @throws UnsatisfiableFieldException naming the field when no valid value can be made for it
   * @throws IllegalArgumentException when a {@link SampleValues} generator returns a value of the
   *     wrong type for its field
   */
  public T next() {
    List<ContractViolation> last = List.of();
    for (int attempt = 0; attempt < ATTEMPTS_PER_EVENT; attempt++) {
      // a record schema always gives a record
      Object record = Objects.requireNonNull(generate(contract.schema(), "", List.of()));
      T value = codec.decode(encode(contract.schema(), record));
      last = contract.validate(value);
      if (last.isEmpty()) {
        return value;
      }
    }
    ContractViolation first = last.get(0);
    String field = first.path().replaceAll("\\[[^\\]]*\\]", "");
    StringBuilder rules = new StringBuilder();
    for (ContractViolation v : last) {
      rules.append(rules.length() == 0 ? "" : "; ").append(v);
    }
    throw new UnsatisfiableFieldException(
        contract.id(),
        field,
        contract.id()
            + ": "
            + ATTEMPTS_PER_EVENT
            + " generated events in a row break the contract at field "
            + field
            + (values.generator(field) != null ? " (its values come from SampleValues)" : "")
            + ": "
            + rules
            + "; "
            + hint(field));
  }

  /**
   * The next events.
   *
   * @param count how many, 0 or more
   * @return the events
   * @throws IllegalArgumentException if {@code count} is negative
   * @throws UnsatisfiableFieldException naming the field when no valid value can be made for it
   */
  public List<T> take(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 or more, got " + count);
    }
    List<T> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(next());
    }
    return result;
  }

  // ---- generation ----------------------------------------------------------------------

  private @Nullable Object fieldValue(Schema schema, String path, List<Constraint> constraints) {
    Function<? super Random, ?> supplied = values.generator(path);
    if (supplied != null) {
      return avro(schema, supplied.apply(random), path);
    }
    return generate(schema, path, constraints);
  }

  private @Nullable Object generate(Schema schema, String path, List<Constraint> constraints) {
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
        return generate(valueBranch, path, constraints);
      case RECORD:
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
          String p = path.isEmpty() ? f.name() : path + "." + f.name();
          ContractField cf = fieldsByPath.get(p);
          List<Constraint> rules = cf == null ? List.of() : cf.constraints();
          Schema clear = path.isEmpty() ? clearSchema(f) : null;
          if (clear != null) {
            // an encrypted field: its clear value, encoded after the test-data marker 0x00 where
            // the envelope would be (ProductCodec.withEncryptedFieldsInClear reads it so)
            byte[] encoded = encode(clear, fieldValue(clear, p, rules));
            byte[] marked = new byte[encoded.length + 1];
            System.arraycopy(encoded, 0, marked, 1, encoded.length);
            record.put(f.pos(), ByteBuffer.wrap(marked));
          } else {
            record.put(f.pos(), fieldValue(f.schema(), p, rules));
          }
        }
        return record;
      case ARRAY:
        return array(schema, path, constraints);
      case MAP:
        int m = size(path, constraints, COLLECTION_SPAN);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
          // the index keeps keys distinct, so a map reaches its minimum size
          map.put(
              "k" + i + "-" + random.nextInt(1000),
              generate(schema.getValueType(), path, List.of()));
        }
        return map;
      case ENUM:
        List<String> symbols = schema.getEnumSymbols();
        return new GenericData.EnumSymbol(
            schema, symbols.get(edges ? symbols.size() - 1 : random.nextInt(symbols.size())));
      case STRING:
        if (schema.getLogicalType() != null && schema.getLogicalType().getName().equals("uuid")) {
          return new UUID(random.nextLong(), random.nextLong()).toString();
        }
        return text(path, constraints);
      case BYTES:
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal d) {
          return decimal(path, d, constraints);
        }
        byte[] bytes = new byte[size(path, constraints, BYTES_SPAN)];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
      case FIXED:
        byte[] fixed = new byte[schema.getFixedSize()];
        random.nextBytes(fixed);
        return new GenericData.Fixed(schema, fixed);
      case BOOLEAN:
        return random.nextBoolean();
      case INT:
        return (int) whole(schema.getLogicalType(), path, constraints, intRange(path));
      case LONG:
        return whole(schema.getLogicalType(), path, constraints, Range.LONG);
      case FLOAT:
        return (float) real(path, constraints, true);
      case DOUBLE:
        return real(path, constraints, false);
      default:
        return null;
    }
  }

  private List<Object> array(Schema schema, String path, List<Constraint> constraints) {
    int n = size(path, constraints, COLLECTION_SPAN);
    List<Object> items = new ArrayList<>(n);
    if (!setFields.contains(path)) {
      for (int i = 0; i < n; i++) {
        items.add(generate(schema.getElementType(), path, List.of()));
      }
      return items;
    }
    // a Set keeps distinct elements only: draw until there are enough of them, leaving edge
    // values (which repeat) once they stop adding new elements
    Set<Object> seen = new HashSet<>();
    boolean edgeCases = edges;
    try {
      for (int i = 0; items.size() < n && i < ATTEMPTS_PER_VALUE; i++) {
        if (i == 4 * n) {
          edges = false;
        }
        Object item = generate(schema.getElementType(), path, List.of());
        if (seen.add(item)) {
          items.add(item);
        }
      }
    } finally {
      edges = edgeCases;
    }
    long min = sizeRange(path, constraints).lo();
    if (items.size() < min) {
      throw unsatisfiable(
          path,
          constraints,
          "only " + items.size() + " distinct elements found for a set of at least " + min);
    }
    return items;
  }

  /** The size of a text, collection or byte array: bounded by the constraints, else short. */
  private int size(String path, List<Constraint> constraints, int span) {
    Range r = sizeRange(path, constraints);
    long hi = Math.min(r.hi(), r.lo() + span);
    return (int) (edges ? (random.nextBoolean() ? r.lo() : hi) : between(r.lo(), hi));
  }

  private Range sizeRange(String path, List<Constraint> constraints) {
    long lo = 0;
    long hi = Integer.MAX_VALUE;
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Size s) {
        lo = Math.max(lo, s.min());
        hi = Math.min(hi, s.max());
      } else if (c instanceof Constraint.NotEmpty || c instanceof Constraint.NotBlank) {
        lo = Math.max(lo, 1);
      }
    }
    if (lo > hi) {
      throw unsatisfiable(path, constraints, "no size satisfies them all");
    }
    return new Range(lo, hi);
  }

  // ---- text ----------------------------------------------------------------------------

  private String text(String path, List<Constraint> constraints) {
    Range length = sizeRange(path, constraints);
    boolean notBlank = false;
    boolean email = false;
    List<String> regexes = new ArrayList<>();
    for (Constraint c : constraints) {
      if (c instanceof Constraint.NotBlank) {
        notBlank = true;
      } else if (c instanceof Constraint.Email) {
        email = true;
      } else if (c instanceof Constraint.Pattern p) {
        regexes.add(p.regex());
      }
    }
    if (!regexes.isEmpty()) {
      return patterned(path, constraints, regexes, length, notBlank, email);
    }
    if (email) {
      return email(path, constraints, length);
    }
    int n = size(path, constraints, TEXT_SPAN);
    StringBuilder sb = new StringBuilder(n);
    while (sb.length() < n) {
      if (edges && random.nextInt(3) == 0) {
        String u = UNICODE[random.nextInt(UNICODE.length)];
        if (sb.length() + u.length() <= n) {
          sb.append(u);
          continue;
        }
      }
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    if (notBlank && sb.toString().isBlank()) {
      sb.setCharAt(0, 'x'); // n >= 1 here, and a blank text holds only one-char spaces
    }
    return sb.toString();
  }

  private String patterned(
      String path,
      List<Constraint> constraints,
      List<String> regexes,
      Range length,
      boolean notBlank,
      boolean email) {
    PatternSource source = patterns.get(path);
    if (source == null) {
      try {
        source = PatternSource.of(regexes, length);
      } catch (RuntimeException e) {
        throw unsatisfiable(
            path, constraints, "the expression is beyond the pattern generator (" + e + ")");
      }
      patterns.put(path, source);
    }
    for (int attempt = 0; attempt < ATTEMPTS_PER_VALUE; attempt++) {
      String s;
      try {
        s = source.generator.generate(random);
      } catch (RuntimeException e) {
        throw unsatisfiable(
            path, constraints, "the expression is beyond the pattern generator (" + e + ")");
      }
      if (s.length() >= length.lo()
          && s.length() <= length.hi()
          && (!notBlank || !s.isBlank())
          && (!email || isEmail(s))
          && source.matches(s)
          && new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s)) {
        return s;
      }
    }
    throw unsatisfiable(
        path,
        constraints,
        "found no string that satisfies them all in " + ATTEMPTS_PER_VALUE + " attempts");
  }

  private String email(String path, List<Constraint> constraints, Range length) {
    long lo = Math.max(length.lo(), 3); // a@b
    if (lo > length.hi()) {
      throw unsatisfiable(path, constraints, "an e-mail address needs at least 3 characters");
    }
    String realistic = "user" + random.nextInt(100_000) + "@example.com";
    if (!edges && realistic.length() >= lo && realistic.length() <= length.hi()) {
      return realistic;
    }
    int n =
        (int)
            (edges
                ? (random.nextBoolean() ? lo : Math.min(length.hi(), lo + TEXT_SPAN))
                : between(lo, Math.min(length.hi(), lo + TEXT_SPAN)));
    int local = 1 + random.nextInt(Math.max(1, (n - 2) / 2));
    int domain = n - 1 - local;
    StringBuilder sb = new StringBuilder(n).append(letters(local)).append('@');
    if (domain >= 3) {
      int tld = Math.min(3, domain - 2);
      sb.append(letters(domain - 1 - tld)).append('.').append(letters(tld));
    } else {
      sb.append(letters(domain));
    }
    return sb.toString();
  }

  private String letters(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return sb.toString();
  }

  /** Candidates from the first expression, checked against every expression of the field. */
  private static final class PatternSource {
    private final RgxGen generator;
    private final List<Pattern> checks;

    private PatternSource(RgxGen generator, List<Pattern> checks) {
      this.generator = generator;
      this.checks = checks;
    }

    static PatternSource of(List<String> regexes, Range length) {
      String regex = regexes.get(0);
      RgxGenProperties properties = new RgxGenProperties();
      // RgxGen does not read inline flags; the case-insensitive one it can honour as an option,
      // and every candidate is checked with java.util.regex anyway
      Matcher flags = LEADING_FLAGS.matcher(regex);
      if (flags.find()) {
        if (flags.group(1).contains("i")) {
          RgxGenOption.CASE_INSENSITIVE.setInProperties(properties, true);
        }
        regex = regex.substring(flags.end());
      }
      // unbounded repetitions (*, +) repeat up to the longest length that fits
      long longest = Math.min(length.hi(), Math.max(length.lo(), 0) + TEXT_SPAN);
      RgxGenOption.INFINITE_PATTERN_REPETITION.setInProperties(
          properties, (int) Math.max(1, Math.min(longest, 200)));
      List<Pattern> checks = new ArrayList<>();
      for (String r : regexes) {
        checks.add(Pattern.compile(r));
      }
      return new PatternSource(RgxGen.parse(properties, regex), checks);
    }

    boolean matches(String s) {
      for (Pattern p : checks) {
        if (!p.matcher(s).matches()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The SDK's well-formedness rule for {@code @Email}: one {@code @}, a non-empty local part, a
   * domain of non-empty dot-separated labels, no whitespace.
   */
  private static boolean isEmail(String s) {
    int at = s.indexOf('@');
    if (at <= 0 || at == s.length() - 1 || s.indexOf('@', at + 1) >= 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    String domain = s.substring(at + 1);
    return !domain.startsWith(".") && !domain.endsWith(".") && !domain.contains("..");
  }

  // ---- numbers and times ---------------------------------------------------------------

  /** An inclusive range of whole numbers. */
  private record Range(long lo, long hi) {
    static final Range LONG = new Range(Long.MIN_VALUE, Long.MAX_VALUE);
    static final Range INT = new Range(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** The range of the Java type behind an Avro {@code int}: int, short or byte. */
  private Range intRange(String path) {
    Class<?> type = javaTypes.get(path);
    if (type == short.class || type == Short.class) {
      return new Range(Short.MIN_VALUE, Short.MAX_VALUE);
    } else if (type == byte.class || type == Byte.class) {
      return new Range(Byte.MIN_VALUE, Byte.MAX_VALUE);
    }
    return Range.INT;
  }

  private long whole(
      @Nullable LogicalType logical, String path, List<Constraint> constraints, Range type) {
    if (logical != null) {
      switch (logical.getName()) {
        case "timestamp-millis":
          return time(path, constraints, 1, DAY_MILLIS, todayMillis(), BASE.toEpochMilli());
        case "timestamp-micros":
          return time(path, constraints, 1000, DAY_MILLIS, todayMillis(), BASE.toEpochMilli());
        case "date":
          return time(
              path,
              constraints,
              1,
              1,
              Math.floorDiv(todayMillis(), DAY_MILLIS),
              BASE.toEpochMilli() / DAY_MILLIS);
        case "time-millis":
          return timeOfDay(path, constraints);
        default:
          break;
      }
    }
    long lo = type.lo();
    long hi = type.hi();
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Min m) {
        lo = Math.max(lo, m.value());
      } else if (c instanceof Constraint.Max m) {
        hi = Math.min(hi, m.value());
      } else if (c instanceof Constraint.Signum s) {
        switch (s.sign()) {
          case POSITIVE -> lo = Math.max(lo, 1);
          case POSITIVE_OR_ZERO -> lo = Math.max(lo, 0);
          case NEGATIVE -> hi = Math.min(hi, -1);
          default -> hi = Math.min(hi, 0);
        }
      }
    }
    if (lo > hi) {
      throw unsatisfiable(path, constraints, "no whole number in range satisfies them all");
    }
    if (edges) {
      return random.nextBoolean() ? lo : hi;
    }
    // prefer modest numbers, near the allowed range when it lies outside them
    long a = Math.max(lo, -WINDOW);
    long b = Math.min(hi, WINDOW);
    if (a > b) {
      a = lo > WINDOW ? lo : Math.max(lo, hi - WINDOW);
      b = lo > WINDOW ? Math.min(hi, lo + WINDOW) : hi;
    }
    return between(a, b);
  }

  /** Which side of now the time constraints of a field ask for. */
  private enum Side {
    ANY,
    PAST,
    FUTURE,
    NOW,
    CONTRADICTION
  }

  private static Side side(List<Constraint> constraints) {
    boolean past = false;
    boolean future = false;
    boolean strict = false;
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Temporal t) {
        switch (t.when()) {
          case PAST -> {
            past = true;
            strict = true;
          }
          case PAST_OR_PRESENT -> past = true;
          case FUTURE -> {
            future = true;
            strict = true;
          }
          default -> future = true;
        }
      }
    }
    if (past && future) {
      return strict ? Side.CONTRADICTION : Side.NOW;
    }
    return past ? Side.PAST : future ? Side.FUTURE : Side.ANY;
  }

  /**
   * An instant or a date. {@code today}, {@code base} and {@code day} count milliseconds for
   * instants and days for dates ({@code day} is then 1); the result is multiplied by {@code unit}
   * (1000 for timestamp-micros).
   */
  private long time(
      String path, List<Constraint> constraints, long unit, long day, long today, long base) {
    long lo;
    long hi;
    switch (side(constraints)) {
      case PAST -> {
        lo = today - 366 * day;
        hi = today - day;
      }
      case FUTURE -> {
        lo = today + 2 * day;
        hi = today + 367 * day;
      }
      case NOW -> {
        if (day != 1) {
          throw unsatisfiable(
              path, constraints, "only the present instant satisfies them, which moves on");
        }
        lo = today;
        hi = today;
      }
      case CONTRADICTION ->
          throw unsatisfiable(path, constraints, "no time is both past and future");
      default -> {
        lo = base - 365 * day;
        hi = base + 365 * day;
      }
    }
    long value = edges ? (random.nextBoolean() ? lo : hi) : between(lo, hi);
    return value * unit;
  }

  private long timeOfDay(String path, List<Constraint> constraints) {
    switch (side(constraints)) {
      case PAST:
        return 0; // midnight is before any other time of the day
      case FUTURE:
        return LAST_MILLI_OF_DAY;
      case NOW:
        throw unsatisfiable(
            path, constraints, "only the present time of day satisfies them, which moves on");
      case CONTRADICTION:
        throw unsatisfiable(path, constraints, "no time is both past and future");
      default:
        return edges
            ? (random.nextBoolean() ? 0 : LAST_MILLI_OF_DAY)
            : between(0, LAST_MILLI_OF_DAY);
    }
  }

  private static long todayMillis() {
    return Math.floorDiv(System.currentTimeMillis(), DAY_MILLIS) * DAY_MILLIS;
  }

  private double real(String path, List<Constraint> constraints, boolean single) {
    double lo = single ? -Float.MAX_VALUE : -Double.MAX_VALUE;
    double hi = single ? Float.MAX_VALUE : Double.MAX_VALUE;
    double tiny = single ? Float.MIN_VALUE : Double.MIN_VALUE;
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Min m) {
        lo = Math.max(lo, (double) m.value());
      } else if (c instanceof Constraint.Max m) {
        hi = Math.min(hi, (double) m.value());
      } else if (c instanceof Constraint.Signum s) {
        switch (s.sign()) {
          case POSITIVE -> lo = Math.max(lo, tiny);
          case POSITIVE_OR_ZERO -> lo = Math.max(lo, 0.0);
          case NEGATIVE -> hi = Math.min(hi, -tiny);
          default -> hi = Math.min(hi, 0.0);
        }
      }
    }
    if (single) {
      // the bounds as floats, rounded inwards
      float flo = (float) lo;
      float fhi = (float) hi;
      lo = flo < lo ? Math.nextUp(flo) : flo;
      hi = fhi > hi ? Math.nextDown(fhi) : fhi;
    }
    if (lo > hi) {
      throw unsatisfiable(path, constraints, "no number satisfies them all");
    }
    double value;
    if (edges) {
      value = random.nextBoolean() ? lo : hi;
    } else {
      double a = Math.max(lo, -WINDOW);
      double b = Math.min(hi, WINDOW);
      if (a > b) {
        a = lo > WINDOW ? lo : Math.max(lo, hi - WINDOW);
        b = lo > WINDOW ? Math.min(hi, lo + WINDOW) : hi;
      }
      value = a + random.nextDouble() * (b - a);
    }
    if (single) {
      float f = (float) value;
      return Math.min(Math.max(f, lo), hi);
    }
    return Math.min(Math.max(value, lo), hi);
  }

  private ByteBuffer decimal(String path, LogicalTypes.Decimal d, List<Constraint> constraints) {
    BigInteger scale = BigInteger.TEN.pow(d.getScale());
    BigInteger limit = BigInteger.TEN.pow(d.getPrecision()).subtract(BigInteger.ONE);
    BigInteger lo = limit.negate();
    BigInteger hi = limit;
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Min m) {
        lo = lo.max(BigInteger.valueOf(m.value()).multiply(scale));
      } else if (c instanceof Constraint.Max m) {
        hi = hi.min(BigInteger.valueOf(m.value()).multiply(scale));
      } else if (c instanceof Constraint.Signum s) {
        switch (s.sign()) {
          case POSITIVE -> lo = lo.max(BigInteger.ONE);
          case POSITIVE_OR_ZERO -> lo = lo.max(BigInteger.ZERO);
          case NEGATIVE -> hi = hi.min(BigInteger.ONE.negate());
          default -> hi = hi.min(BigInteger.ZERO);
        }
      }
    }
    if (lo.compareTo(hi) > 0) {
      throw unsatisfiable(
          path,
          constraints,
          "no decimal(" + d.getPrecision() + "," + d.getScale() + ") satisfies them all");
    }
    BigInteger unscaled;
    if (edges) {
      unscaled = random.nextBoolean() ? lo : hi;
    } else {
      // extra random bits make the bias of the modulo negligible
      BigInteger span = hi.subtract(lo).add(BigInteger.ONE);
      unscaled = lo.add(new BigInteger(span.bitLength() + 16, random).mod(span));
    }
    return ByteBuffer.wrap(new BigDecimal(unscaled, d.getScale()).unscaledValue().toByteArray());
  }

  /** A uniform draw from {@code [a, b]}, also when the range spans every long. */
  private long between(long a, long b) {
    if (b < Long.MAX_VALUE) {
      return random.nextLong(a, b + 1);
    } else if (a > Long.MIN_VALUE) {
      return random.nextLong(a - 1, b) + 1;
    }
    return random.nextLong();
  }

  // ---- failures ------------------------------------------------------------------------

  private UnsatisfiableFieldException unsatisfiable(
      String path, List<Constraint> constraints, String why) {
    StringBuilder rules = new StringBuilder();
    for (Constraint c : constraints) {
      rules.append(rules.length() == 0 ? "" : " ").append(render(c));
    }
    return new UnsatisfiableFieldException(
        contract.id(),
        path,
        contract.id()
            + ": cannot generate field "
            + path
            + " under "
            + (rules.length() == 0 ? "no constraints" : rules)
            + ": "
            + why
            + "; "
            + hint(path));
  }

  private static String hint(String path) {
    return "supply its values with SampleValues.of(\""
        + path
        + "\", random -> ...) through SampleEvents.with(values), or for golden payloads"
        + " ContractSnapshots.samples(type, values)";
  }

  /** A constraint as it is declared, for example {@code @Size(min = 1, max = 3)}. */
  static String render(Constraint c) {
    if (c instanceof Constraint.Size s) {
      return "@Size(min = " + s.min() + ", max = " + s.max() + ")";
    } else if (c instanceof Constraint.Min m) {
      return "@Min(" + m.value() + ")";
    } else if (c instanceof Constraint.Max m) {
      return "@Max(" + m.value() + ")";
    } else if (c instanceof Constraint.Pattern p) {
      return "@Pattern(\"" + p.regex() + "\")";
    }
    return "@" + c.rule();
  }

  // ---- supplied values -----------------------------------------------------------------

  /** A supplied value in the Avro form the schema wants. */
  private @Nullable Object avro(Schema schema, @Nullable Object value, String path) {
    if (schema.getType() == Schema.Type.UNION) {
      Schema valueBranch = null;
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          valueBranch = branch;
        }
      }
      return value == null || valueBranch == null ? null : avro(valueBranch, value, path);
    }
    if (value == null) {
      throw wrongValue(path, "null", schema);
    }
    LogicalType logical = schema.getLogicalType();
    String logicalName = logical == null ? "" : logical.getName();
    switch (schema.getType()) {
      case STRING:
        if (value instanceof CharSequence || value instanceof UUID) {
          return value.toString();
        }
        break;
      case INT:
        if (logicalName.equals("date") && value instanceof LocalDate d) {
          return (int) d.toEpochDay();
        } else if (logicalName.equals("time-millis") && value instanceof LocalTime t) {
          return (int) (t.toNanoOfDay() / 1_000_000);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
          return ((Number) value).intValue();
        }
        break;
      case LONG:
        if (value instanceof Instant i && logicalName.equals("timestamp-millis")) {
          return i.toEpochMilli();
        } else if (value instanceof Instant i && logicalName.equals("timestamp-micros")) {
          return Math.addExact(
              Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
        } else if (value instanceof Long
            || value instanceof Integer
            || value instanceof Short
            || value instanceof Byte) {
          return ((Number) value).longValue();
        }
        break;
      case FLOAT:
        if (value instanceof Number n) {
          return n.floatValue();
        }
        break;
      case DOUBLE:
        if (value instanceof Number n) {
          return n.doubleValue();
        }
        break;
      case BOOLEAN:
        if (value instanceof Boolean) {
          return value;
        }
        break;
      case BYTES:
        if (logical instanceof LogicalTypes.Decimal d && value instanceof BigDecimal b) {
          try {
            return ByteBuffer.wrap(b.setScale(d.getScale()).unscaledValue().toByteArray());
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                contract.id()
                    + ": SampleValues for field "
                    + path
                    + " gave a decimal with more than "
                    + d.getScale()
                    + " fraction digits",
                e);
          }
        } else if (value instanceof byte[] b) {
          return ByteBuffer.wrap(b.clone());
        } else if (value instanceof ByteBuffer b) {
          return b.duplicate();
        }
        break;
      case FIXED:
        if (value instanceof GenericFixed) {
          return value;
        } else if (value instanceof byte[] b && b.length == schema.getFixedSize()) {
          return new GenericData.Fixed(schema, b.clone());
        }
        break;
      case ENUM:
        String symbol =
            value instanceof Enum<?> e
                ? e.name()
                : value instanceof CharSequence || value instanceof GenericEnumSymbol<?>
                    ? value.toString()
                    : null;
        if (symbol != null && schema.getEnumSymbols().contains(symbol)) {
          return new GenericData.EnumSymbol(schema, symbol);
        }
        break;
      case ARRAY:
        if (value instanceof Collection<?> items) {
          List<Object> list = new ArrayList<>(items.size());
          for (Object item : items) {
            list.add(avro(schema.getElementType(), item, path));
          }
          return list;
        }
        break;
      case MAP:
        if (value instanceof Map<?, ?> entries) {
          Map<String, Object> map = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : entries.entrySet()) {
            map.put(String.valueOf(e.getKey()), avro(schema.getValueType(), e.getValue(), path));
          }
          return map;
        }
        break;
      case RECORD:
        if (value instanceof GenericRecord r
            && r.getSchema().getFullName().equals(schema.getFullName())) {
          return r;
        }
        break;
      default:
        break;
    }
    throw wrongValue(path, value.getClass().getName(), schema);
  }

  private IllegalArgumentException wrongValue(String path, String given, Schema schema) {
    String wanted =
        schema.getLogicalType() != null
            ? schema.getType().getName() + " (" + schema.getLogicalType().getName() + ")"
            : schema.getType() == Schema.Type.RECORD
                ? "a GenericRecord of " + schema.getFullName()
                : schema.getType().getName();
    return new IllegalArgumentException(
        contract.id()
            + ": SampleValues for field "
            + path
            + " gave "
            + given
            + ", which does not fit its Avro type "
            + wanted.toLowerCase(Locale.ROOT));
  }

  // ---- Java types behind the schema ------------------------------------------------------

  /**
   * Reads the Java type of every field from the product class: the schema does not say whether an
   * Avro {@code int} is a Java {@code short}, or whether an array is a {@code Set}.
   */
  private void indexJavaTypes(Class<?> owner, List<ContractField> fields) {
    for (ContractField f : fields) {
      Type type = propertyType(owner, f.name());
      if (type == null) {
        continue;
      }
      if (raw(type) == Optional.class) {
        type = argument(type, 0);
      }
      if (Set.class.isAssignableFrom(raw(type))) {
        setFields.add(f.path());
      }
      for (int depth = 0; depth < 8; depth++) {
        Class<?> raw = raw(type);
        if (Collection.class.isAssignableFrom(raw) || raw == Optional.class) {
          type = argument(type, 0);
        } else if (Map.class.isAssignableFrom(raw)) {
          type = argument(type, 1);
        } else {
          break;
        }
      }
      Class<?> leaf = raw(type);
      javaTypes.put(f.path(), leaf);
      if (!f.fields().isEmpty()) {
        indexJavaTypes(leaf, f.fields());
      }
    }
  }

  private static @Nullable Type propertyType(Class<?> owner, String name) {
    if (owner.isRecord()) {
      for (RecordComponent rc : owner.getRecordComponents()) {
        if (rc.getName().equals(name)) {
          return rc.getGenericType();
        }
      }
    }
    for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name).getGenericType();
      } catch (NoSuchFieldException e) {
        // a superclass may declare it, or only a getter
      }
    }
    String capitalized =
        name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (String getter : List.of("get" + capitalized, "is" + capitalized, name)) {
      try {
        Method m = owner.getMethod(getter);
        return m.getGenericReturnType();
      } catch (NoSuchMethodException e) {
        // try the next spelling
      }
    }
    return null;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    } else if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    } else if (type instanceof WildcardType w) {
      return raw(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
      return p.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  /** The clear schema of an encrypted field ({@code mesh.clear.schema}), or null for others. */
  private @Nullable Schema clearSchema(Schema.Field field) {
    String json = field.getProp(CLEAR_SCHEMA);
    if (json == null) {
      return null;
    }
    return clearSchemas.computeIfAbsent(field.name(), n -> new Schema.Parser().parse(json));
  }

  private static byte[] encode(Schema schema, @Nullable Object record) {
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
