package io.meshsdk.contract.internal;

import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.EnumNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.JsonProperties;

/** Parses {@code @DefaultValue} text into the Java value Avro takes as a field default. */
final class Defaults {
  private Defaults() {}

  /**
   * The Avro default for the text.
   *
   * @throws IllegalArgumentException saying why the text does not fit the type
   */
  static Object parse(String text, TypeNode node) {
    if (node instanceof NullableNode n) {
      if (text.equals("null")) {
        return JsonProperties.NULL_VALUE;
      }
      return parse(text, n.inner());
    }
    if (text.equals("null")) {
      throw new IllegalArgumentException("is null but the field is not nullable");
    }
    if (node instanceof EnumNode e) {
      for (Enum<?> c : e.constants()) {
        if (c.name().equals(text)) {
          return text;
        }
      }
      throw new IllegalArgumentException("is not a constant of " + e.type().getSimpleName());
    }
    if (node instanceof ArrayNode) {
      if (text.replace(" ", "").equals("[]")) {
        return List.of();
      }
      throw new IllegalArgumentException("must be [] for a list or set");
    }
    if (node instanceof MapNode) {
      if (text.replace(" ", "").equals("{}")) {
        return Map.of();
      }
      throw new IllegalArgumentException("must be {} for a map");
    }
    if (!(node instanceof ScalarNode s)) {
      throw new IllegalArgumentException("is not supported for nested records");
    }
    try {
      switch (s.kind()) {
        case STRING:
        case BYTES:
        case BYTE_BUFFER:
          return text;
        case UUID:
          UUID.fromString(text);
          return text;
        case BOOLEAN:
          if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
          }
          throw new IllegalArgumentException("is not true or false");
        case INT:
          return Integer.valueOf(text);
        case SHORT:
          return (int) Short.parseShort(text);
        case BYTE:
          return (int) Byte.parseByte(text);
        case LONG:
          return Long.valueOf(text);
        case FLOAT:
          return Float.valueOf(text);
        case DOUBLE:
          return Double.valueOf(text);
        case INSTANT_MILLIS:
          return isLong(text) ? Long.parseLong(text) : Instant.parse(text).toEpochMilli();
        case INSTANT_MICROS:
          if (isLong(text)) {
            return Long.parseLong(text);
          }
          Instant i = Instant.parse(text);
          return Math.addExact(
              Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
        case LOCAL_DATE:
          return isLong(text)
              ? Integer.parseInt(text)
              : Math.toIntExact(LocalDate.parse(text).toEpochDay());
        case LOCAL_TIME:
          return isLong(text)
              ? Integer.parseInt(text)
              : (int) (LocalTime.parse(text).toNanoOfDay() / 1_000_000);
        case DECIMAL:
        default:
          throw new IllegalArgumentException(
              "is not supported for " + s.kind().name().toLowerCase(java.util.Locale.ROOT));
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "does not parse as " + s.kind().name().toLowerCase(java.util.Locale.ROOT), e);
    }
  }

  private static boolean isLong(String text) {
    return text.matches("-?\\d+");
  }
}
