package io.meshsdk.contract.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The shape of a Java type as the SDK maps it to Avro. Built once per product class. */
public sealed interface TypeNode {

  /** Kinds of scalar values. */
  enum Scalar {
    BOOLEAN,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    SHORT,
    BYTE,
    STRING,
    BYTES,
    BYTE_BUFFER,
    INSTANT_MILLIS,
    INSTANT_MICROS,
    LOCAL_DATE,
    LOCAL_TIME,
    UUID,
    DECIMAL;

    /** Whether values are whole numbers. */
    public boolean integral() {
      return this == INT || this == LONG || this == SHORT || this == BYTE;
    }

    /** Whether values are numbers of any kind. */
    public boolean numeric() {
      return integral() || this == FLOAT || this == DOUBLE || this == DECIMAL;
    }

    /** Whether values are points or times. */
    public boolean temporal() {
      return this == INSTANT_MILLIS
          || this == INSTANT_MICROS
          || this == LOCAL_DATE
          || this == LOCAL_TIME;
    }
  }

  /**
   * A scalar value.
   *
   * @param kind the kind
   * @param primitive whether the Java type is a primitive (never null)
   * @param precision decimal precision, 0 otherwise
   * @param scale decimal scale, 0 otherwise
   */
  record ScalarNode(Scalar kind, boolean primitive, int precision, int scale) implements TypeNode {
    public ScalarNode {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /**
   * A Java enum.
   *
   * @param type the enum class
   * @param constants the constants in declaration order
   * @param defaultSymbol the fallback symbol, or null
   * @param doc the type's doc, or null
   */
  record EnumNode(
      Class<?> type, Enum<?>[] constants, @Nullable String defaultSymbol, @Nullable String doc)
      implements TypeNode {}

  /**
   * A nested record or class.
   *
   * @param model its model
   */
  record RecordNode(RecordModel model) implements TypeNode {}

  /**
   * A list or set.
   *
   * @param element the element type
   * @param set whether the Java type is a {@link java.util.Set}
   */
  record ArrayNode(TypeNode element, boolean set) implements TypeNode {}

  /**
   * A map with string keys.
   *
   * @param value the value type
   */
  record MapNode(TypeNode value) implements TypeNode {}

  /**
   * A value that may be absent.
   *
   * @param inner the present value's type
   * @param optional whether the Java type is {@link java.util.Optional}
   */
  record NullableNode(TypeNode inner, boolean optional) implements TypeNode {}

  /** The node without its nullable wrapper. */
  default TypeNode unwrap() {
    return this instanceof NullableNode n ? n.inner() : this;
  }
}
