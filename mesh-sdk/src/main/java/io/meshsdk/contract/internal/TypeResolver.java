package io.meshsdk.contract.internal;

import io.meshsdk.contract.Decimal;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.EnumDefault;
import io.meshsdk.contract.TimestampMicros;
import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.EnumNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.RecordNode;
import io.meshsdk.contract.internal.TypeNode.Scalar;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps the Java type of a property (with its annotations and type-use annotations) to the type
 * model: scalars and logical types, enums, nested records, lists, sets, maps and nullability.
 * Problems are reported to the {@link ModelBuilder} that owns it.
 */
final class TypeResolver {
  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final ModelBuilder owner;
  private final Map<Class<?>, EnumNode> enums = new HashMap<>();

  TypeResolver(ModelBuilder owner) {
    this.owner = owner;
  }

  TypeNode resolve(
      Type type, @Nullable AnnotatedType annotated, Annotations anns, String where, String path) {
    if (type instanceof Class<?> c) {
      return resolveClass(c, anns, where, path);
    }
    if (type instanceof WildcardType w) {
      return resolve(w.getUpperBounds()[0], null, anns, where, path);
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      AnnotatedType[] annotatedArgs =
          annotated instanceof AnnotatedParameterizedType apt
              ? apt.getAnnotatedActualTypeArguments()
              : new AnnotatedType[args.length];
      if (raw == Optional.class) {
        return new NullableNode(element(args[0], annotatedArgs[0], where, path, false), true);
      }
      if (raw == List.class || raw == Collection.class || raw == Set.class) {
        return new ArrayNode(
            element(args[0], annotatedArgs[0], where, path, true), raw == Set.class);
      }
      if (raw == Map.class) {
        if (args[0] != String.class) {
          owner.problem(where + ": map keys must be String, not " + args[0].getTypeName());
        }
        return new MapNode(element(args[1], annotatedArgs[1], where, path, true));
      }
    }
    owner.problem(where + ": unsupported type " + type.getTypeName());
    return new ScalarNode(Scalar.STRING, false, 0, 0);
  }

  private TypeNode element(
      Type type, @Nullable AnnotatedType annotated, String where, String path, boolean allowNull) {
    TypeNode node = resolve(type, annotated, Annotations.of(annotated), where, path);
    if (annotated != null && Annotations.typeUseNullable(annotated)) {
      if (!allowNull) {
        owner.problem(where + ": Optional<@Nullable T> is redundant; use Optional<T>");
      } else if (!(node instanceof NullableNode)) {
        node = new NullableNode(node, false);
      }
    }
    return node;
  }

  private TypeNode resolveClass(Class<?> c, Annotations anns, String where, String path) {
    if (c == boolean.class || c == Boolean.class) {
      return new ScalarNode(Scalar.BOOLEAN, c.isPrimitive(), 0, 0);
    } else if (c == int.class || c == Integer.class) {
      return new ScalarNode(Scalar.INT, c.isPrimitive(), 0, 0);
    } else if (c == long.class || c == Long.class) {
      return new ScalarNode(Scalar.LONG, c.isPrimitive(), 0, 0);
    } else if (c == float.class || c == Float.class) {
      return new ScalarNode(Scalar.FLOAT, c.isPrimitive(), 0, 0);
    } else if (c == double.class || c == Double.class) {
      return new ScalarNode(Scalar.DOUBLE, c.isPrimitive(), 0, 0);
    } else if (c == short.class || c == Short.class) {
      return new ScalarNode(Scalar.SHORT, c.isPrimitive(), 0, 0);
    } else if (c == byte.class || c == Byte.class) {
      return new ScalarNode(Scalar.BYTE, c.isPrimitive(), 0, 0);
    } else if (c == String.class) {
      return new ScalarNode(Scalar.STRING, false, 0, 0);
    } else if (c == byte[].class) {
      return new ScalarNode(Scalar.BYTES, false, 0, 0);
    } else if (c == ByteBuffer.class) {
      return new ScalarNode(Scalar.BYTE_BUFFER, false, 0, 0);
    } else if (c == Instant.class) {
      boolean micros = anns.has(TimestampMicros.class);
      return new ScalarNode(micros ? Scalar.INSTANT_MICROS : Scalar.INSTANT_MILLIS, false, 0, 0);
    } else if (c == LocalDate.class) {
      return new ScalarNode(Scalar.LOCAL_DATE, false, 0, 0);
    } else if (c == LocalTime.class) {
      return new ScalarNode(Scalar.LOCAL_TIME, false, 0, 0);
    } else if (c == UUID.class) {
      return new ScalarNode(Scalar.UUID, false, 0, 0);
    } else if (c == BigDecimal.class) {
      Decimal d = anns.get(Decimal.class);
      if (d == null) {
        owner.problem(where + ": BigDecimal needs @Decimal(precision, scale)");
        return new ScalarNode(Scalar.DECIMAL, false, 1, 0);
      }
      if (d.precision() < 1 || d.scale() < 0 || d.scale() > d.precision()) {
        owner.problem(where + ": @Decimal needs precision >= 1 and 0 <= scale <= precision");
      }
      return new ScalarNode(Scalar.DECIMAL, false, d.precision(), d.scale());
    } else if (c.isEnum()) {
      return enumNode(c, where);
    } else if (c == Optional.class
        || List.class.isAssignableFrom(c)
        || Map.class.isAssignableFrom(c)
        || Collection.class.isAssignableFrom(c)) {
      owner.problem(
          where
              + ": "
              + c.getSimpleName()
              + " needs type arguments, and only the interfaces List, Set, Collection, Map and Optional are supported");
    } else if (c.isArray()
        || c.isPrimitive()
        || c.getName().startsWith("java.")
        || c.getName().startsWith("javax.")) {
      owner.problem(where + ": unsupported type " + c.getTypeName());
    } else if (owner.inProgress(c)) {
      owner.problem(where + ": recursive type " + c.getName() + " is not supported");
    } else {
      return new RecordNode(owner.record(c, path, false));
    }
    return new ScalarNode(Scalar.STRING, false, 0, 0);
  }

  private EnumNode enumNode(Class<?> c, String where) {
    EnumNode cached = enums.get(c);
    if (cached != null) {
      return cached;
    }
    Enum<?>[] constants = (Enum<?>[]) c.getEnumConstants();
    String fallback = null;
    for (Enum<?> constant : constants) {
      if (!AVRO_NAME.matcher(constant.name()).matches()) {
        owner.problem(where + ": enum constant " + constant.name() + " is not a valid Avro symbol");
      }
      try {
        if (c.getField(constant.name()).isAnnotationPresent(EnumDefault.class)) {
          if (fallback != null) {
            owner.problem(c.getName() + ": more than one @EnumDefault constant");
          }
          fallback = constant.name();
        }
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e);
      }
    }
    if (constants.length == 0) {
      owner.problem(c.getName() + ": an enum needs at least one constant");
    }
    Doc doc = c.getAnnotation(Doc.class);
    EnumNode node = new EnumNode(c, constants, fallback, doc == null ? null : doc.value());
    enums.put(c, node);
    return node;
  }
}
