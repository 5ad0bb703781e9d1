package io.meshsdk.contract.internal;

import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.Scalar;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.FutureOrPresent;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import org.jspecify.annotations.Nullable;

/** Maps Jakarta Validation annotations to {@link Constraint}s and checks where each applies. */
final class Constraints {
  static final String JAKARTA = "jakarta.validation.constraints";

  private Constraints() {}

  /**
   * The constraint an annotation declares.
   *
   * @throws IllegalArgumentException naming the annotation when it is not supported
   */
  static Constraint fromAnnotation(Annotation a) {
    if (a instanceof NotNull) {
      return Constraint.notNull();
    } else if (a instanceof NotBlank) {
      return Constraint.notBlank();
    } else if (a instanceof NotEmpty) {
      return Constraint.notEmpty();
    } else if (a instanceof Size s) {
      return Constraint.size(s.min(), s.max());
    } else if (a instanceof Min m) {
      return Constraint.min(m.value());
    } else if (a instanceof Max m) {
      return Constraint.max(m.value());
    } else if (a instanceof Positive) {
      return Constraint.positive();
    } else if (a instanceof PositiveOrZero) {
      return Constraint.positiveOrZero();
    } else if (a instanceof Negative) {
      return Constraint.negative();
    } else if (a instanceof NegativeOrZero) {
      return Constraint.negativeOrZero();
    } else if (a instanceof Pattern p) {
      if (p.flags().length > 0) {
        throw new IllegalArgumentException(
            "@Pattern flags are not supported; use (?i) and friends in the regexp");
      }
      return Constraint.pattern(p.regexp());
    } else if (a instanceof Email e) {
      if (!e.regexp().equals(".*") || e.flags().length > 0) {
        throw new IllegalArgumentException(
            "@Email with regexp or flags is not supported; add @Pattern");
      }
      return Constraint.email();
    } else if (a instanceof Past) {
      return Constraint.temporal(Constraint.When.PAST);
    } else if (a instanceof PastOrPresent) {
      return Constraint.temporal(Constraint.When.PAST_OR_PRESENT);
    } else if (a instanceof Future) {
      return Constraint.temporal(Constraint.When.FUTURE);
    } else if (a instanceof FutureOrPresent) {
      return Constraint.temporal(Constraint.When.FUTURE_OR_PRESENT);
    }
    throw new IllegalArgumentException(
        "constraint @" + a.annotationType().getSimpleName() + " is not supported");
  }

  /** Why a constraint cannot apply to a type, or null when it can. */
  static @Nullable String incompatibility(Constraint c, TypeNode node) {
    TypeNode t = node.unwrap();
    boolean text = t instanceof ScalarNode s && s.kind() == Scalar.STRING;
    boolean sized =
        text
            || t instanceof ArrayNode
            || t instanceof MapNode
            || (t instanceof ScalarNode s2
                && (s2.kind() == Scalar.BYTES || s2.kind() == Scalar.BYTE_BUFFER));
    boolean numeric = t instanceof ScalarNode s3 && s3.kind().numeric();
    boolean temporal = t instanceof ScalarNode s4 && s4.kind().temporal();
    boolean ok;
    if (c instanceof Constraint.NotNull) {
      ok = true;
    } else if (c instanceof Constraint.NotBlank
        || c instanceof Constraint.Pattern
        || c instanceof Constraint.Email) {
      ok = text;
    } else if (c instanceof Constraint.NotEmpty || c instanceof Constraint.Size) {
      ok = sized;
    } else if (c instanceof Constraint.Temporal) {
      ok = temporal;
    } else {
      ok = numeric;
    }
    return ok ? null : "@" + c.rule() + " does not apply to " + describe(t);
  }

  static String describe(TypeNode t) {
    if (t instanceof ScalarNode s) {
      return s.kind().name().toLowerCase(java.util.Locale.ROOT);
    } else if (t instanceof TypeNode.EnumNode e) {
      return "enum " + e.type().getSimpleName();
    } else if (t instanceof TypeNode.RecordNode r) {
      return "record " + r.model().type().getSimpleName();
    } else if (t instanceof ArrayNode a) {
      return a.set() ? "set" : "list";
    } else if (t instanceof MapNode) {
      return "map";
    }
    return describe(t.unwrap());
  }
}
