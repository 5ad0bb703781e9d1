package io.meshsdk.contract;

import java.util.Objects;

/**
 * A data-quality rule on one field, checked before a record is sent. The set mirrors Jakarta
 * Validation's built-in constraints, which is how annotated classes declare them; Avro-generated
 * classes declare them through {@link ProductDescriptor} with the factory methods here.
 *
 * <p>Every constraint except {@link NotNull} passes on a {@code null} value, as in Jakarta
 * Validation. Non-nullable fields are checked for {@code null} without any annotation.
 */
public sealed interface Constraint {

  /**
   * The rule's name as shown in violations, for example {@code Size}.
   *
   * @return the rule name
   */
  String rule();

  /**
   * What a valid value looks like, for messages, for example {@code "size must be between 3 and
   * 3"}.
   *
   * @return the description
   */
  String describe();

  /** The value must not be {@code null}. */
  record NotNull() implements Constraint {
    @Override
    public String rule() {
      return "NotNull";
    }

    @Override
    public String describe() {
      return "must not be null";
    }
  }

  /** A text must contain at least one non-whitespace character. */
  record NotBlank() implements Constraint {
    @Override
    public String rule() {
      return "NotBlank";
    }

    @Override
    public String describe() {
      return "must not be blank";
    }
  }

  /** A text, collection, map or byte array must not be empty. */
  record NotEmpty() implements Constraint {
    @Override
    public String rule() {
      return "NotEmpty";
    }

    @Override
    public String describe() {
      return "must not be empty";
    }
  }

  /**
   * The length of a text or the size of a collection, map or byte array lies in {@code [min, max]}.
   *
   * @param min the smallest size, at least 0
   * @param max the largest size, at least {@code min}
   */
  record Size(int min, int max) implements Constraint {
    /** Validates the bounds. */
    public Size {
      if (min < 0 || max < min) {
        throw new IllegalArgumentException("Size needs 0 <= min <= max, got " + min + ".." + max);
      }
    }

    @Override
    public String rule() {
      return "Size";
    }

    @Override
    public String describe() {
      return "size must be between " + min + " and " + max;
    }
  }

  /**
   * A number is at least {@code value}.
   *
   * @param value the inclusive lower bound
   */
  record Min(long value) implements Constraint {
    @Override
    public String rule() {
      return "Min";
    }

    @Override
    public String describe() {
      return "must be greater than or equal to " + value;
    }
  }

  /**
   * A number is at most {@code value}.
   *
   * @param value the inclusive upper bound
   */
  record Max(long value) implements Constraint {
    @Override
    public String rule() {
      return "Max";
    }

    @Override
    public String describe() {
      return "must be less than or equal to " + value;
    }
  }

  /**
   * The sign of a number.
   *
   * @param sign which sign is required
   */
  record Signum(Sign sign) implements Constraint {
    /** Requires a sign. */
    public Signum {
      Objects.requireNonNull(sign, "sign");
    }

    @Override
    public String rule() {
      return sign.rule;
    }

    @Override
    public String describe() {
      return sign.description;
    }
  }

  /** Signs a number can be required to have. */
  enum Sign {
    /** Greater than zero. */
    POSITIVE("Positive", "must be greater than 0"),
    /** Zero or greater. */
    POSITIVE_OR_ZERO("PositiveOrZero", "must be greater than or equal to 0"),
    /** Less than zero. */
    NEGATIVE("Negative", "must be less than 0"),
    /** Zero or less. */
    NEGATIVE_OR_ZERO("NegativeOrZero", "must be less than or equal to 0");

    private final String rule;
    private final String description;

    Sign(String rule, String description) {
      this.rule = rule;
      this.description = description;
    }
  }

  /**
   * A text matches a regular expression as a whole.
   *
   * @param regex the expression, in {@link java.util.regex.Pattern} syntax
   */
  record Pattern(String regex) implements Constraint {
    /** Validates the expression. */
    public Pattern {
      Objects.requireNonNull(regex, "regex");
      java.util.regex.Pattern.compile(regex);
    }

    @Override
    public String rule() {
      return "Pattern";
    }

    @Override
    public String describe() {
      return "must match \"" + regex + "\"";
    }
  }

  /** A text is a well-formed e-mail address. */
  record Email() implements Constraint {
    @Override
    public String rule() {
      return "Email";
    }

    @Override
    public String describe() {
      return "must be a well-formed email address";
    }
  }

  /**
   * A time value ({@code Instant}, {@code LocalDate}, {@code LocalTime}) lies in the past or future
   * of the moment of the check.
   *
   * @param when which side of now is required
   */
  record Temporal(When when) implements Constraint {
    /** Requires a side. */
    public Temporal {
      Objects.requireNonNull(when, "when");
    }

    @Override
    public String rule() {
      return when.rule;
    }

    @Override
    public String describe() {
      return when.description;
    }
  }

  /** Sides of now a time value can be required to lie on. */
  enum When {
    /** Strictly before now. */
    PAST("Past", "must be a past date"),
    /** Before now or now. */
    PAST_OR_PRESENT("PastOrPresent", "must be a date in the past or in the present"),
    /** Strictly after now. */
    FUTURE("Future", "must be a future date"),
    /** After now or now. */
    FUTURE_OR_PRESENT("FutureOrPresent", "must be a date in the present or in the future");

    private final String rule;
    private final String description;

    When(String rule, String description) {
      this.rule = rule;
      this.description = description;
    }
  }

  /**
   * Returns {@link NotNull}.
   *
   * @return the constraint
   */
  static Constraint notNull() {
    return new NotNull();
  }

  /**
   * Returns {@link NotBlank}.
   *
   * @return the constraint
   */
  static Constraint notBlank() {
    return new NotBlank();
  }

  /**
   * Returns {@link NotEmpty}.
   *
   * @return the constraint
   */
  static Constraint notEmpty() {
    return new NotEmpty();
  }

  /**
   * Returns {@link Size}.
   *
   * @param min the smallest size
   * @param max the largest size
   * @return the constraint
   */
  static Constraint size(int min, int max) {
    return new Size(min, max);
  }

  /**
   * Returns {@link Min}.
   *
   * @param value the inclusive lower bound
   * @return the constraint
   */
  static Constraint min(long value) {
    return new Min(value);
  }

  /**
   * Returns {@link Max}.
   *
   * @param value the inclusive upper bound
   * @return the constraint
   */
  static Constraint max(long value) {
    return new Max(value);
  }

  /**
   * Returns a {@link Signum} requiring a number greater than zero.
   *
   * @return the constraint
   */
  static Constraint positive() {
    return new Signum(Sign.POSITIVE);
  }

  /**
   * Returns a {@link Signum} requiring zero or more.
   *
   * @return the constraint
   */
  static Constraint positiveOrZero() {
    return new Signum(Sign.POSITIVE_OR_ZERO);
  }

  /**
   * Returns a {@link Signum} requiring a number less than zero.
   *
   * @return the constraint
   */
  static Constraint negative() {
    return new Signum(Sign.NEGATIVE);
  }

  /**
   * Returns a {@link Signum} requiring zero or less.
   *
   * @return the constraint
   */
  static Constraint negativeOrZero() {
    return new Signum(Sign.NEGATIVE_OR_ZERO);
  }

  /**
   * Returns {@link Pattern}.
   *
   * @param regex the expression the whole text must match
   * @return the constraint
   */
  static Constraint pattern(String regex) {
    return new Pattern(regex);
  }

  /**
   * Returns {@link Email}.
   *
   * @return the constraint
   */
  static Constraint email() {
    return new Email();
  }

  /**
   * Returns a {@link Temporal} constraint.
   *
   * @param when which side of now is required
   * @return the constraint
   */
  static Constraint temporal(When when) {
    return new Temporal(when);
  }
}
