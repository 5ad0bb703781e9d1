package io.meshsdk.contract.internal;

import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.ContractViolation;
import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.RecordNode;
import io.meshsdk.contract.internal.TypeNode.Scalar;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The constraints of a product compiled into a tree of checks, once per class. Checking a record
 * reads only the properties that have something to check, through their bound accessors; field
 * paths are rendered only when a violation is found. Fields that are not nullable are checked for
 * {@code null}, and decimals for their declared precision and scale, without any annotation.
 *
 * <p>Time constraints ({@code Past}, {@code Future}) compare with the clock given at compile time,
 * in UTC for dates and times of day.
 */
public final class CompiledValidator {

  private final RecordCheck root;
  private final Clock clock;
  private final Map<RecordModel, RecordCheck> compiled = new HashMap<>();

  private CompiledValidator(RecordModel model, Clock clock) {
    this.clock = clock;
    this.root = compile(model);
  }

  /** Compiles the checks of a model. */
  public static CompiledValidator compile(RecordModel model, Clock clock) {
    return new CompiledValidator(model, clock);
  }

  /** Every violation of the value, empty when it complies. */
  public List<ContractViolation> validate(Object value) {
    Context ctx = new Context();
    root.check(value, ctx, false);
    return ctx.violations == null ? List.of() : ctx.violations;
  }

  // ---- checks while encoding --------------------------------------------------------------

  /*
   * A codec that checks a record while it encodes it reads each property once: it asks for the
   * test of each property's own value and applies it to the value it is about to write. The
   * tests only tell whether a value passes; when one does not (or the codec refuses a value),
   * validate(...) finds the violations with their paths. The tests leave out what the codec
   * checks itself: the fields of nested records (their own tests, as the codec writes them) and
   * null where the type is not nullable (the codec refuses it).
   */

  /**
   * The test of an integral primitive property's value while it is encoded, or null when it has no
   * constraint.
   */
  public @Nullable LongPredicate longTest(PropertyModel p) {
    if (!(p.type() instanceof ScalarNode s && s.primitive() && s.kind().integral())) {
      return null;
    }
    LongRule[] rules = longRules(p.constraints());
    if (rules.length == 0) {
      return null;
    }
    return v -> {
      for (LongRule r : rules) {
        if (!r.test().test(v)) {
          return false;
        }
      }
      return true;
    };
  }

  /**
   * The test of a {@code double} or {@code float} primitive property's value while it is encoded,
   * or null when it has no constraint.
   */
  public @Nullable DoublePredicate doubleTest(PropertyModel p) {
    if (!(p.type() instanceof ScalarNode s
        && s.primitive()
        && (s.kind() == Scalar.DOUBLE || s.kind() == Scalar.FLOAT))) {
      return null;
    }
    DoubleRule[] rules = doubleRules(p.constraints());
    if (rules.length == 0) {
      return null;
    }
    return v -> {
      for (DoubleRule r : rules) {
        if (!r.test().test(v)) {
          return false;
        }
      }
      return true;
    };
  }

  /**
   * The test of an object property's value while it is encoded (the value as the accessor returns
   * it, {@code Optional} included), or null when there is nothing the codec does not check itself.
   */
  public @Nullable Predicate<@Nullable Object> valueTest(PropertyModel p) {
    if (p.type() instanceof ScalarNode s && s.primitive()) {
      return null;
    }
    ValueCheck check = value(p.type(), p.constraints(), true);
    if (check == null) {
      return null;
    }
    return v -> {
      try {
        check.check(v, FailFast.INSTANCE, false);
        return true;
      } catch (FailFast.Failed e) {
        return false;
      }
    };
  }

  // ---- compilation ------------------------------------------------------------------------

  private RecordCheck compile(RecordModel model) {
    RecordCheck existing = compiled.get(model);
    if (existing != null) {
      return existing;
    }
    RecordCheck check = new RecordCheck();
    compiled.put(model, check);
    List<PropertyCheck> props = new ArrayList<>();
    for (PropertyModel p : model.properties()) {
      PropertyCheck pc = property(p);
      if (pc != null) {
        props.add(pc);
      }
    }
    check.properties = props.toArray(new PropertyCheck[0]);
    return check;
  }

  private @Nullable PropertyCheck property(PropertyModel p) {
    TypeNode node = p.type();
    boolean pii = p.pii() != null;
    if (node instanceof ScalarNode s && s.primitive()) {
      if (p.constraints().isEmpty()) {
        return null;
      }
      if (s.kind().integral()) {
        return new LongPropertyCheck(
            p.name(), pii, p.accessor().longReader(), longRules(p.constraints()));
      }
      if (s.kind() == Scalar.DOUBLE || s.kind() == Scalar.FLOAT) {
        return new DoublePropertyCheck(
            p.name(), pii, p.accessor().doubleReader(), doubleRules(p.constraints()));
      }
      return null;
    }
    ValueCheck value = value(node, p.constraints(), false);
    if (value == null) {
      return null;
    }
    return new ObjectPropertyCheck(p.name(), pii, p.accessor(), value);
  }

  /**
   * The check of one value of a type, or null when there is nothing to check.
   *
   * @param whileEncoding leave out what a codec checks while it encodes the value: the fields of
   *     nested records (their own checks, when the codec writes them) and {@code null} where the
   *     type is not nullable (the codec refuses it)
   */
  private @Nullable ValueCheck value(
      TypeNode node, List<Constraint> constraints, boolean whileEncoding) {
    boolean nullable = node instanceof NullableNode;
    boolean optional = node instanceof NullableNode n && n.optional();
    TypeNode inner = node.unwrap();
    List<Rule> rules = new ArrayList<>();
    boolean notNull = !nullable && !whileEncoding;
    for (Constraint c : constraints) {
      if (c instanceof Constraint.NotNull) {
        notNull = true;
      } else {
        rules.add(rule(c, inner));
      }
    }
    if (inner instanceof ScalarNode s && s.kind() == Scalar.DECIMAL) {
      rules.add(decimalFit(s.precision(), s.scale()));
    }
    NestedCheck nested = null;
    if (inner instanceof RecordNode r) {
      if (!whileEncoding) {
        RecordCheck rc = compile(r.model());
        nested = (v, ctx, pii) -> rc.check(v, ctx, pii);
      }
    } else if (inner instanceof ArrayNode a) {
      ValueCheck elementCheck = value(a.element(), List.of(), whileEncoding);
      if (elementCheck != null) {
        nested =
            (v, ctx, pii) -> {
              int i = 0;
              for (Object e : (Collection<?>) v) {
                ctx.pushIndex(i++);
                elementCheck.check(e, ctx, pii);
                ctx.pop();
              }
            };
      }
    } else if (inner instanceof MapNode m) {
      ValueCheck valueCheck = value(m.value(), List.of(), whileEncoding);
      if (valueCheck != null) {
        nested =
            (v, ctx, pii) -> {
              for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                ctx.pushKey(pii ? "*" : String.valueOf(e.getKey()));
                if (e.getKey() == null) {
                  ctx.violation("NotNull", "map keys must not be null", pii, null);
                }
                valueCheck.check(e.getValue(), ctx, pii);
                ctx.pop();
              }
            };
      }
    }
    if (!notNull && rules.isEmpty() && nested == null) {
      return null;
    }
    Rule[] ruleArray = rules.toArray(new Rule[0]);
    NestedCheck nestedCheck = nested;
    boolean required = notNull;
    return (v, ctx, pii) -> {
      Object value = v;
      if (optional && value != null) {
        value = ((Optional<?>) value).orElse(null);
      }
      if (value == null) {
        if (required) {
          ctx.violation("NotNull", "must not be null", pii, null);
        }
        return;
      }
      for (Rule r : ruleArray) {
        if (!r.test(value)) {
          ctx.violation(r.rule, r.message, pii, value);
        }
      }
      if (nestedCheck != null) {
        nestedCheck.check(value, ctx, pii);
      }
    };
  }

  private Rule rule(Constraint c, TypeNode type) {
    String name = c.rule();
    String message = c.describe();
    if (c instanceof Constraint.NotBlank) {
      return new Rule(name, message, v -> !v.toString().isBlank());
    } else if (c instanceof Constraint.Pattern p) {
      java.util.regex.Pattern regex = java.util.regex.Pattern.compile(p.regex());
      return new Rule(name, message, v -> regex.matcher((CharSequence) v).matches());
    } else if (c instanceof Constraint.Email) {
      return new Rule(name, message, v -> isEmail((CharSequence) v));
    } else if (c instanceof Constraint.NotEmpty) {
      return new Rule(name, message, v -> size(v) > 0);
    } else if (c instanceof Constraint.Size s) {
      return new Rule(
          name,
          message,
          v -> {
            int n = size(v);
            return n >= s.min() && n <= s.max();
          });
    } else if (c instanceof Constraint.Min m) {
      // NaN is neither above nor below a bound: it breaks both, boxed or not
      return new Rule(name, message, v -> !isNaN(v) && compare(v, m.value()) >= 0);
    } else if (c instanceof Constraint.Max m) {
      return new Rule(name, message, v -> !isNaN(v) && compare(v, m.value()) <= 0);
    } else if (c instanceof Constraint.Signum s) {
      return new Rule(name, message, v -> signOk(s.sign(), signum(v)));
    } else if (c instanceof Constraint.Temporal t) {
      return new Rule(name, message, v -> whenOk(t.when(), compareToNow(v)));
    }
    throw new IllegalStateException("unknown constraint " + c);
  }

  private static Rule decimalFit(int precision, int scale) {
    return new Rule(
        "Decimal",
        "must fit decimal(" + precision + "," + scale + ")",
        v -> {
          BigDecimal d = (BigDecimal) v;
          if (d.scale() > scale && d.stripTrailingZeros().scale() > scale) {
            return false;
          }
          return d.precision() - d.scale() <= precision - scale;
        });
  }

  private static LongRule[] longRules(List<Constraint> constraints) {
    List<LongRule> rules = new ArrayList<>();
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Min m) {
        rules.add(new LongRule(c.rule(), c.describe(), v -> v >= m.value()));
      } else if (c instanceof Constraint.Max m) {
        rules.add(new LongRule(c.rule(), c.describe(), v -> v <= m.value()));
      } else if (c instanceof Constraint.Signum s) {
        rules.add(new LongRule(c.rule(), c.describe(), v -> signOk(s.sign(), Long.signum(v))));
      }
    }
    return rules.toArray(new LongRule[0]);
  }

  private static DoubleRule[] doubleRules(List<Constraint> constraints) {
    List<DoubleRule> rules = new ArrayList<>();
    for (Constraint c : constraints) {
      if (c instanceof Constraint.Min m) {
        rules.add(
            new DoubleRule(
                c.rule(), c.describe(), v -> !Double.isNaN(v) && compare(v, m.value()) >= 0));
      } else if (c instanceof Constraint.Max m) {
        rules.add(
            new DoubleRule(
                c.rule(), c.describe(), v -> !Double.isNaN(v) && compare(v, m.value()) <= 0));
      } else if (c instanceof Constraint.Signum s) {
        rules.add(
            new DoubleRule(
                c.rule(),
                c.describe(),
                v -> !Double.isNaN(v) && signOk(s.sign(), (int) Math.signum(v))));
      }
    }
    return rules.toArray(new DoubleRule[0]);
  }

  /**
   * A well-formed address in one pass without allocating: one {@code @}, a non-empty local part, a
   * domain of non-empty dot-separated labels, no whitespace. Deliverability is not checked.
   */
  static boolean isEmail(CharSequence s) {
    int at = -1;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '@') {
        if (at >= 0) {
          return false;
        }
        at = i;
      } else if (Character.isWhitespace(c)) {
        return false;
      }
    }
    if (at <= 0 || at == n - 1) {
      return false;
    }
    char previous = '.';
    for (int i = at + 1; i < n; i++) {
      char c = s.charAt(i);
      if (c == '.' && previous == '.') {
        return false;
      }
      previous = c;
    }
    return previous != '.';
  }

  private static int size(Object v) {
    if (v instanceof CharSequence s) {
      return s.length();
    } else if (v instanceof Collection<?> c) {
      return c.size();
    } else if (v instanceof Map<?, ?> m) {
      return m.size();
    } else if (v instanceof byte[] b) {
      return b.length;
    } else if (v instanceof ByteBuffer b) {
      return b.remaining();
    }
    throw new IllegalStateException("no size for " + v.getClass());
  }

  private static int compare(Object v, long bound) {
    if (v instanceof BigDecimal d) {
      return d.compareTo(BigDecimal.valueOf(bound));
    } else if (v instanceof BigInteger i) {
      return i.compareTo(BigInteger.valueOf(bound));
    } else if (v instanceof Double || v instanceof Float) {
      return compare(((Number) v).doubleValue(), bound);
    }
    return Long.compare(((Number) v).longValue(), bound);
  }

  private static boolean isNaN(Object v) {
    return (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
  }

  /**
   * Compares a double with a long exactly, without allocating: {@code (double) bound} rounds a
   * bound beyond 2^53, so {@code 9007199254740992.0 <= 9007199254740993L} would be false by a plain
   * comparison. Not for NaN.
   */
  static int compare(double d, long bound) {
    double b = bound; // the double nearest to bound: no double lies strictly between them
    if (d < b) {
      return -1;
    } else if (d > b) {
      return 1;
    }
    // d == b: a whole number in [-2^63, 2^63]; only 2^63 itself is beyond every long
    return d >= 0x1p63 ? 1 : Long.compare((long) d, bound);
  }

  private static int signum(Object v) {
    if (v instanceof BigDecimal d) {
      return d.signum();
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isNaN(d) ? 2 : (int) Math.signum(d);
    }
    return Long.signum(((Number) v).longValue());
  }

  private static boolean signOk(Constraint.Sign sign, int signum) {
    switch (sign) {
      case POSITIVE:
        return signum == 1;
      case POSITIVE_OR_ZERO:
        return signum == 1 || signum == 0;
      case NEGATIVE:
        return signum == -1;
      default:
        return signum == -1 || signum == 0;
    }
  }

  private int compareToNow(Object v) {
    if (v instanceof Instant i) {
      return i.compareTo(clock.instant());
    } else if (v instanceof LocalDate d) {
      return d.compareTo(LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC)));
    }
    return ((LocalTime) v).compareTo(LocalTime.now(clock.withZone(java.time.ZoneOffset.UTC)));
  }

  private static boolean whenOk(Constraint.When when, int cmp) {
    switch (when) {
      case PAST:
        return cmp < 0;
      case PAST_OR_PRESENT:
        return cmp <= 0;
      case FUTURE:
        return cmp > 0;
      default:
        return cmp >= 0;
    }
  }

  // ---- runtime ----------------------------------------------------------------------------

  private interface ValueCheck {
    void check(@Nullable Object value, Context ctx, boolean pii);
  }

  /** The check of the inside of a value (record fields, elements, map values), never null. */
  private interface NestedCheck {
    void check(Object value, Context ctx, boolean pii);
  }

  private record Rule(String rule, String message, Predicate<Object> test) {
    boolean test(Object v) {
      return test.test(v);
    }
  }

  private record LongRule(String rule, String message, LongPredicate test) {}

  private record DoubleRule(String rule, String message, DoublePredicate test) {}

  private static final class RecordCheck {
    PropertyCheck[] properties = new PropertyCheck[0];

    void check(Object value, Context ctx, boolean pii) {
      for (PropertyCheck p : properties) {
        p.check(value, ctx, pii);
      }
    }
  }

  private abstract static class PropertyCheck {
    final String name;
    final boolean pii;

    PropertyCheck(String name, boolean pii) {
      this.name = name;
      this.pii = pii;
    }

    abstract void check(Object bean, Context ctx, boolean parentPii);
  }

  private static final class ObjectPropertyCheck extends PropertyCheck {
    private final Accessor accessor;
    private final ValueCheck check;

    ObjectPropertyCheck(String name, boolean pii, Accessor accessor, ValueCheck check) {
      super(name, pii);
      this.accessor = accessor;
      this.check = check;
    }

    @Override
    void check(Object bean, Context ctx, boolean parentPii) {
      ctx.push(name);
      check.check(accessor.get(bean), ctx, pii || parentPii);
      ctx.pop();
    }
  }

  private static final class LongPropertyCheck extends PropertyCheck {
    private final ToLongFunction<Object> reader;
    private final LongRule[] rules;

    LongPropertyCheck(String name, boolean pii, ToLongFunction<Object> reader, LongRule[] rules) {
      super(name, pii);
      this.reader = reader;
      this.rules = rules;
    }

    @Override
    void check(Object bean, Context ctx, boolean parentPii) {
      long v = reader.applyAsLong(bean);
      for (LongRule r : rules) {
        if (!r.test().test(v)) {
          ctx.push(name);
          ctx.violation(r.rule(), r.message(), pii || parentPii, v);
          ctx.pop();
        }
      }
    }
  }

  private static final class DoublePropertyCheck extends PropertyCheck {
    private final ToDoubleFunction<Object> reader;
    private final DoubleRule[] rules;

    DoublePropertyCheck(
        String name, boolean pii, ToDoubleFunction<Object> reader, DoubleRule[] rules) {
      super(name, pii);
      this.reader = reader;
      this.rules = rules;
    }

    @Override
    void check(Object bean, Context ctx, boolean parentPii) {
      double v = reader.applyAsDouble(bean);
      for (DoubleRule r : rules) {
        if (!r.test().test(v)) {
          ctx.push(name);
          ctx.violation(r.rule(), r.message(), pii || parentPii, v);
          ctx.pop();
        }
      }
    }
  }

  /** The path being checked and the violations found; one per validation. */
  private static class Context {
    private Object[] segments = new Object[8];
    private int depth;
    private @Nullable List<ContractViolation> violations;

    void push(String field) {
      grow();
      segments[depth++] = field;
    }

    void pushIndex(int index) {
      grow();
      segments[depth++] = index;
    }

    void pushKey(String key) {
      grow();
      segments[depth++] = new StringBuilder("[").append(key).append(']');
    }

    void pop() {
      depth--;
    }

    private void grow() {
      if (depth == segments.length) {
        segments = java.util.Arrays.copyOf(segments, depth * 2);
      }
    }

    void violation(String rule, String message, boolean pii, @Nullable Object value) {
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        Object s = segments[i];
        if (s instanceof Integer index) {
          path.append('[').append(index).append(']');
        } else if (s instanceof StringBuilder key) {
          path.append(key);
        } else {
          if (path.length() > 0) {
            path.append('.');
          }
          path.append(s);
        }
      }
      if (violations == null) {
        violations = new ArrayList<>();
      }
      violations.add(new ContractViolation(path.toString(), rule, message, pii, value));
    }
  }

  /** A context that keeps no path and stops at the first violation; stateless, so shared. */
  private static final class FailFast extends Context {
    static final FailFast INSTANCE = new FailFast();

    @Override
    void push(String field) {}

    @Override
    void pushIndex(int index) {}

    @Override
    void pushKey(String key) {}

    @Override
    void pop() {}

    @Override
    void violation(String rule, String message, boolean pii, @Nullable Object value) {
      throw Failed.INSTANCE;
    }

    /** Thrown at the first violation; preallocated, without a stack trace. */
    static final class Failed extends RuntimeException {
      private static final long serialVersionUID = 1L;
      static final Failed INSTANCE = new Failed();

      private Failed() {
        super(null, null, false, false);
      }
    }
  }
}
