package io.meshsdk.contract.internal;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Reads one property of an object without reflection per call: the accessor method is bound once to
 * a functional interface through {@link LambdaMetafactory}, which the JIT inlines like a direct
 * call. Primitive properties get an unboxed variant so that writing them allocates nothing. When a
 * class cannot be bound that way (a named module that does not open its package), a method-handle
 * adapter is used instead: slower, but correct.
 */
public final class Accessor {
  private final Function<Object, @Nullable Object> boxed;
  private final @Nullable ToLongFunction<Object> asLong;
  private final @Nullable ToIntFunction<Object> asInt;
  private final @Nullable ToDoubleFunction<Object> asDouble;
  private final @Nullable Predicate<Object> asBoolean;

  private Accessor(
      Function<Object, @Nullable Object> boxed,
      @Nullable ToLongFunction<Object> asLong,
      @Nullable ToIntFunction<Object> asInt,
      @Nullable ToDoubleFunction<Object> asDouble,
      @Nullable Predicate<Object> asBoolean) {
    this.boxed = boxed;
    this.asLong = asLong;
    this.asInt = asInt;
    this.asDouble = asDouble;
    this.asBoolean = asBoolean;
  }

  /** Reads the value, boxing primitives. */
  public @Nullable Object get(Object target) {
    return boxed.apply(target);
  }

  /** The unboxed long reader for long, int, short and byte properties. */
  public ToLongFunction<Object> longReader() {
    if (asLong == null) {
      throw new IllegalStateException("not an integral primitive property");
    }
    return asLong;
  }

  /** The unboxed int reader for int, short and byte properties. */
  public ToIntFunction<Object> intReader() {
    if (asInt == null) {
      throw new IllegalStateException("not an int primitive property");
    }
    return asInt;
  }

  /** The unboxed double reader for double and float properties. */
  public ToDoubleFunction<Object> doubleReader() {
    if (asDouble == null) {
      throw new IllegalStateException("not a floating-point primitive property");
    }
    return asDouble;
  }

  /** The unboxed boolean reader. */
  public Predicate<Object> booleanReader() {
    if (asBoolean == null) {
      throw new IllegalStateException("not a boolean primitive property");
    }
    return asBoolean;
  }

  /**
   * Wraps a function, for values read through an interface such as Avro's {@code IndexedRecord}.
   */
  static Accessor of(Function<Object, @Nullable Object> getter) {
    return new Accessor(getter, null, null, null, null);
  }

  /** Binds a getter handle (type {@code (Owner)R}) once. */
  static Accessor of(MethodHandles.Lookup lookup, MethodHandle getter) {
    Class<?> owner = getter.type().parameterType(0);
    Class<?> type = getter.type().returnType();
    Function<Object, @Nullable Object> boxed =
        bind(lookup, getter, Function.class, "apply", Object.class, box(type), owner);
    ToLongFunction<Object> asLong = null;
    ToIntFunction<Object> asInt = null;
    ToDoubleFunction<Object> asDouble = null;
    Predicate<Object> asBoolean = null;
    if (type == long.class || type == int.class || type == short.class || type == byte.class) {
      asLong =
          bind(lookup, getter, ToLongFunction.class, "applyAsLong", long.class, long.class, owner);
    }
    if (type == int.class || type == short.class || type == byte.class) {
      asInt = bind(lookup, getter, ToIntFunction.class, "applyAsInt", int.class, int.class, owner);
    }
    if (type == double.class || type == float.class) {
      asDouble =
          bind(
              lookup,
              getter,
              ToDoubleFunction.class,
              "applyAsDouble",
              double.class,
              double.class,
              owner);
    }
    if (type == boolean.class) {
      asBoolean =
          bind(lookup, getter, Predicate.class, "test", boolean.class, boolean.class, owner);
    }
    return new Accessor(boxed, asLong, asInt, asDouble, asBoolean);
  }

  /** Binds a setter handle (type {@code (Owner, V)void}) once. */
  static BiConsumer<Object, @Nullable Object> setter(
      MethodHandles.Lookup lookup, MethodHandle setter) {
    Class<?> owner = setter.type().parameterType(0);
    Class<?> value = setter.type().parameterType(1);
    try {
      if (setter.type().returnType() == void.class && isDirect(lookup, setter)) {
        var site =
            LambdaMetafactory.metafactory(
                lookup,
                "accept",
                MethodType.methodType(BiConsumer.class),
                MethodType.methodType(void.class, Object.class, Object.class),
                setter,
                MethodType.methodType(void.class, owner, box(value)));
        @SuppressWarnings("unchecked")
        BiConsumer<Object, @Nullable Object> bound =
            (BiConsumer<Object, @Nullable Object>) site.getTarget().invoke();
        return bound;
      }
    } catch (Throwable e) {
      // fall back to the adapter below
    }
    MethodHandle generic =
        setter.asType(MethodType.methodType(void.class, Object.class, Object.class));
    return (target, v) -> {
      try {
        generic.invokeExact(target, v);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** Binds a no-argument constructor handle once. */
  static Supplier<Object> constructor(MethodHandles.Lookup lookup, MethodHandle ctor) {
    try {
      if (isDirect(lookup, ctor)) {
        var site =
            LambdaMetafactory.metafactory(
                lookup,
                "get",
                MethodType.methodType(Supplier.class),
                MethodType.methodType(Object.class),
                ctor,
                ctor.type());
        @SuppressWarnings("unchecked")
        Supplier<Object> bound = (Supplier<Object>) site.getTarget().invoke();
        return bound;
      }
    } catch (Throwable e) {
      // fall back to the adapter below
    }
    MethodHandle generic = ctor.asType(MethodType.methodType(Object.class));
    return () -> {
      try {
        return (Object) generic.invokeExact();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <F> F bind(
      MethodHandles.Lookup lookup,
      MethodHandle getter,
      Class<?> iface,
      String method,
      Class<?> erasedReturn,
      Class<?> instantiatedReturn,
      Class<?> owner) {
    try {
      if (isDirect(lookup, getter)) {
        var site =
            LambdaMetafactory.metafactory(
                lookup,
                method,
                MethodType.methodType(iface),
                MethodType.methodType(erasedReturn, Object.class),
                getter,
                MethodType.methodType(instantiatedReturn, owner));
        return (F) site.getTarget().invoke();
      }
    } catch (Throwable e) {
      // fall back to the adapter below
    }
    MethodHandle generic = getter.asType(MethodType.methodType(erasedReturn, Object.class));
    return (F) adapter(iface, generic);
  }

  private static Object adapter(Class<?> iface, MethodHandle h) {
    if (iface == Function.class) {
      return (Function<Object, Object>) t -> invoke(h, t);
    }
    if (iface == ToLongFunction.class) {
      return (ToLongFunction<Object>) t -> (long) invoke(h, t);
    }
    if (iface == ToIntFunction.class) {
      return (ToIntFunction<Object>) t -> (int) invoke(h, t);
    }
    if (iface == ToDoubleFunction.class) {
      return (ToDoubleFunction<Object>) t -> (double) invoke(h, t);
    }
    return (Predicate<Object>) t -> (boolean) invoke(h, t);
  }

  private static Object invoke(MethodHandle h, Object target) {
    try {
      return h.invoke(target);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isDirect(MethodHandles.Lookup lookup, MethodHandle handle) {
    try {
      lookup.revealDirect(handle);
      return lookup.hasFullPrivilegeAccess();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return MethodType.methodType(type).wrap().returnType();
  }
}
