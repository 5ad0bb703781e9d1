package io.meshsdk.contract.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The annotations of one property, merged from everywhere Java puts them: a record component, its
 * backing field, its accessor, and the type use. Jakarta Validation annotations, for example, are
 * not propagated to record components, only to the field, accessor and type.
 */
final class Annotations {
  private final Map<Class<? extends Annotation>, Annotation> byType = new LinkedHashMap<>();

  static Annotations of(@Nullable AnnotatedType typeUse, @Nullable AnnotatedElement... elements) {
    Annotations result = new Annotations();
    for (AnnotatedElement element : elements) {
      if (element != null) {
        result.addAll(element.getAnnotations());
      }
    }
    if (typeUse != null) {
      result.addAll(typeUse.getAnnotations());
    }
    return result;
  }

  private void addAll(Annotation[] annotations) {
    for (Annotation a : annotations) {
      byType.putIfAbsent(a.annotationType(), a);
    }
  }

  <A extends Annotation> @Nullable A get(Class<A> type) {
    return type.cast(byType.get(type));
  }

  boolean has(Class<? extends Annotation> type) {
    return byType.containsKey(type);
  }

  /** Any annotation named {@code Nullable}, from JSpecify, Jakarta, JetBrains or elsewhere. */
  boolean nullable() {
    return isNullable(byType.keySet());
  }

  static boolean isNullable(Iterable<Class<? extends Annotation>> types) {
    for (Class<? extends Annotation> type : types) {
      if (type.getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  static boolean typeUseNullable(AnnotatedType type) {
    List<Class<? extends Annotation>> types = new ArrayList<>();
    for (Annotation a : type.getAnnotations()) {
      types.add(a.annotationType());
    }
    return isNullable(types);
  }

  List<Annotation> inPackage(String packageName) {
    List<Annotation> result = new ArrayList<>();
    for (Annotation a : byType.values()) {
      if (a.annotationType().getPackageName().equals(packageName)) {
        result.add(a);
      }
    }
    return result;
  }
}
