package io.meshsdk.contract.internal;

import io.meshsdk.contract.Constraint;
import io.meshsdk.contract.DataSubject;
import io.meshsdk.contract.DefaultValue;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.contract.ProductDescriptor.FieldDescriptor;
import io.meshsdk.contract.ProductVersion;
import io.meshsdk.contract.Since;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.Scalar;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a product class and its nested types into {@link RecordModel}s, collecting every problem
 * instead of stopping at the first, so that one failed start-up lists them all.
 *
 * <p>Property order is the record component order for records; for plain classes it is the
 * declaration order of the instance fields, superclass fields first.
 */
final class ModelBuilder {
  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final ProductVersion productVersion;
  private final Map<String, FieldDescriptor> overrides;
  private final List<String> problems = new ArrayList<>();
  private final Map<Class<?>, RecordModel> records = new HashMap<>();
  private final Set<Class<?>> inProgress = new HashSet<>();
  private boolean sawKey;
  private boolean sawSubject;
  private final TypeResolver types = new TypeResolver(this);

  ModelBuilder(ProductVersion productVersion, Map<String, FieldDescriptor> overrides) {
    this.productVersion = productVersion;
    this.overrides = overrides;
  }

  /** Whether any top-level property was marked @Key, even one that had other problems. */
  boolean sawKey() {
    return sawKey;
  }

  boolean inProgress(Class<?> type) {
    return inProgress.contains(type);
  }

  List<String> problems() {
    return problems;
  }

  void problem(String message) {
    problems.add(message);
  }

  RecordModel record(Class<?> type, String pathPrefix, boolean top) {
    RecordModel existing = records.get(type);
    if (existing != null) {
      return existing;
    }
    Doc typeDoc = type.getAnnotation(Doc.class);
    RecordModel model = new RecordModel(type, typeDoc == null ? null : typeDoc.value());
    records.put(type, model);
    inProgress.add(type);
    try {
      MethodHandles.Lookup lookup = lookup(type);
      if (lookup == null) {
        return model;
      }
      if (type.isRecord()) {
        readRecord(type, model, lookup, pathPrefix, top);
      } else if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
        problem(type.getName() + ": interfaces and abstract classes cannot be products or fields");
      } else if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
        problem(type.getName() + ": inner (non-static) classes cannot be products or fields");
      } else {
        readPlainClass(type, model, lookup, pathPrefix, top);
      }
      if (model.properties().isEmpty() && problemsAbout(type) == 0) {
        problem(type.getName() + ": has no fields");
      }
    } finally {
      inProgress.remove(type);
    }
    return model;
  }

  private int problemsAbout(Class<?> type) {
    int n = 0;
    for (String p : problems) {
      if (p.startsWith(type.getName())) {
        n++;
      }
    }
    return n;
  }

  private MethodHandles.@Nullable Lookup lookup(Class<?> type) {
    try {
      return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    } catch (IllegalAccessException | SecurityException e) {
      if (Modifier.isPublic(type.getModifiers())) {
        return MethodHandles.publicLookup();
      }
      problem(
          type.getName()
              + ": not accessible to Mesh SDK; make it public or open its package to the SDK");
      return null;
    }
  }

  private void readRecord(
      Class<?> type, RecordModel model, MethodHandles.Lookup lookup, String prefix, boolean top) {
    RecordComponent[] components = type.getRecordComponents();
    List<PropertyModel> properties = new ArrayList<>();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent rc = components[i];
      types[i] = rc.getType();
      Field backing = declaredField(type, rc.getName());
      Annotations anns = Annotations.of(rc.getAnnotatedType(), rc, backing, rc.getAccessor());
      MethodHandle getter;
      try {
        getter = lookup.unreflect(rc.getAccessor());
      } catch (IllegalAccessException e) {
        problem(type.getName() + "." + rc.getName() + ": accessor not accessible");
        continue;
      }
      PropertyModel p =
          property(
              type,
              rc.getName(),
              i,
              rc.getGenericType(),
              rc.getAnnotatedType(),
              anns,
              lookup,
              getter,
              prefix,
              top);
      if (p != null) {
        properties.add(p);
      }
    }
    Instantiator instantiator = null;
    try {
      MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, types));
      instantiator = spreading(ctor);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      problem(type.getName() + ": canonical constructor not accessible");
    }
    model.complete(properties, instantiator);
  }

  private void readPlainClass(
      Class<?> type, RecordModel model, MethodHandles.Lookup lookup, String prefix, boolean top) {
    List<Field> fields = new ArrayList<>();
    collectFields(type, fields);
    List<PropertyModel> properties = new ArrayList<>();
    List<BiConsumer<Object, @Nullable Object>> setters = new ArrayList<>();
    Class<?>[] types = new Class<?>[fields.size()];
    boolean settable = true;
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      types[i] = f.getType();
      Method getterMethod = findGetter(f);
      Annotations anns = Annotations.of(f.getAnnotatedType(), f, getterMethod);
      MethodHandle getter;
      try {
        getter = getterMethod != null ? lookup.unreflect(getterMethod) : lookup.unreflectGetter(f);
      } catch (IllegalAccessException e) {
        problem(type.getName() + "." + f.getName() + ": no accessible getter or field");
        continue;
      }
      PropertyModel p =
          property(
              type,
              f.getName(),
              i,
              f.getGenericType(),
              f.getAnnotatedType(),
              anns,
              lookup,
              getter,
              prefix,
              top);
      if (p != null) {
        properties.add(p);
      }
      BiConsumer<Object, @Nullable Object> setter = findSetter(lookup, f);
      if (setter == null) {
        settable = false;
      }
      setters.add(setter);
    }
    Instantiator instantiator = null;
    try {
      MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, types));
      instantiator = spreading(ctor);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      // no all-fields constructor: try a no-arg constructor and setters below
    }
    if (instantiator == null) {
      Supplier<Object> create = null;
      try {
        create =
            Accessor.constructor(
                lookup, lookup.findConstructor(type, MethodType.methodType(void.class)));
      } catch (NoSuchMethodException | IllegalAccessException e) {
        // reported below
      }
      if (create == null || !settable) {
        problem(
            type.getName()
                + ": needs a constructor taking every field in declaration order, or a no-arg"
                + " constructor and a setter (or non-final field) for every field");
      } else {
        Supplier<Object> factory = create;
        List<BiConsumer<Object, @Nullable Object>> set = List.copyOf(setters);
        instantiator =
            values -> {
              Object bean = factory.get();
              for (int i = 0; i < values.length; i++) {
                set.get(i).accept(bean, values[i]);
              }
              return bean;
            };
      }
    }
    model.complete(properties, instantiator);
  }

  private static void collectFields(Class<?> type, List<Field> out) {
    if (type.getSuperclass() != null && type.getSuperclass() != Object.class) {
      collectFields(type.getSuperclass(), out);
    }
    for (Field f : type.getDeclaredFields()) {
      int m = f.getModifiers();
      if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
        out.add(f);
      }
    }
  }

  private static @Nullable Method findGetter(Field f) {
    String cap = Character.toUpperCase(f.getName().charAt(0)) + f.getName().substring(1);
    for (String name : new String[] {"get" + cap, "is" + cap, f.getName()}) {
      try {
        Method m = f.getDeclaringClass().getDeclaredMethod(name);
        if (m.getReturnType() == f.getType() && !Modifier.isStatic(m.getModifiers())) {
          return m;
        }
      } catch (NoSuchMethodException e) {
        // try the next name
      }
    }
    return null;
  }

  private static @Nullable BiConsumer<Object, @Nullable Object> findSetter(
      MethodHandles.Lookup lookup, Field f) {
    String cap = Character.toUpperCase(f.getName().charAt(0)) + f.getName().substring(1);
    try {
      Method m = f.getDeclaringClass().getDeclaredMethod("set" + cap, f.getType());
      return Accessor.setter(lookup, lookup.unreflect(m));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      // fall back to the field
    }
    if (Modifier.isFinal(f.getModifiers())) {
      return null;
    }
    try {
      return Accessor.setter(lookup, lookup.unreflectSetter(f));
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  private static @Nullable Field declaredField(Class<?> type, String name) {
    try {
      return type.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  private static Instantiator spreading(MethodHandle ctor) {
    int n = ctor.type().parameterCount();
    MethodHandle spread =
        ctor.asType(ctor.type().generic())
            .asSpreader(Object[].class, n)
            .asType(MethodType.methodType(Object.class, Object[].class));
    return values -> {
      try {
        return (Object) spread.invokeExact(values);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private @Nullable PropertyModel property(
      Class<?> owner,
      String name,
      int index,
      Type type,
      AnnotatedType annotatedType,
      Annotations anns,
      MethodHandles.Lookup lookup,
      MethodHandle getter,
      String prefix,
      boolean top) {
    String where = owner.getName() + "." + name;
    String path = prefix.isEmpty() ? name : prefix + "." + name;
    int before = problems.size();
    if (!AVRO_NAME.matcher(name).matches()) {
      problem(where + ": '" + name + "' is not a valid Avro field name");
    }
    FieldDescriptor override = overrides.get(path);

    TypeNode node = types.resolve(type, annotatedType, anns, where, path);
    if (anns.nullable() && !(node instanceof NullableNode)) {
      if (type instanceof Class<?> c && c.isPrimitive()) {
        problem(where + ": a primitive cannot be @Nullable; use its box");
      } else {
        node = new NullableNode(node, false);
      }
    }

    Doc doc = anns.get(Doc.class);
    String docText =
        override != null && override.doc().isPresent()
            ? override.doc().get()
            : doc == null ? null : doc.value();
    Pii pii = anns.get(Pii.class);
    PiiLevel piiLevel =
        override != null && override.pii().isPresent()
            ? override.pii().get()
            : pii == null ? null : pii.value();
    boolean encrypted = pii != null && pii.encrypted();
    boolean subject = anns.has(DataSubject.class);
    if (encrypted) {
      if (!top) {
        problem(where + ": only top-level fields of the product can be encrypted");
      } else if (type instanceof Class<?> c && c.isPrimitive()) {
        problem(
            where
                + ": an encrypted field must be a reference type, since a consumer without the key"
                + " reads it as null; use its box");
      } else if (anns.has(Key.class) || subject) {
        problem(where + ": the @Key and the @DataSubject field cannot be encrypted");
      }
    }
    if (subject) {
      if (!top) {
        problem(where + ": @DataSubject is only allowed on top-level fields of the product");
      } else if (node instanceof NullableNode) {
        problem(where + ": the @DataSubject field must not be nullable");
      } else if (!(node instanceof ScalarNode sn
          && (sn.kind() == Scalar.STRING || sn.kind() == Scalar.UUID || sn.kind().integral()))) {
        problem(
            where
                + ": the @DataSubject field must be a string, UUID or integral number (its text"
                + " identifies the subject)");
      } else if (sawSubject) {
        problem(where + ": a product has at most one @DataSubject field");
      }
      sawSubject = true;
    }
    boolean key = anns.has(Key.class);
    sawKey |= key && top;
    if (key && !top) {
      problem(where + ": @Key is only allowed on top-level fields of the product");
    }
    if (key) {
      TypeNode k = node;
      boolean keyable =
          k instanceof ScalarNode s
              && (s.kind() == Scalar.STRING || s.kind() == Scalar.UUID || s.kind().integral());
      if (!keyable) {
        problem(
            where
                + ": @Key must be a non-nullable string, UUID or integral number, not "
                + Constraints.describe(k)
                + (k instanceof NullableNode ? " (nullable)" : ""));
      }
    }

    ProductVersion since = null;
    Since sinceAnnotation = anns.get(Since.class);
    String sinceText =
        override != null && override.since().isPresent()
            ? override.since().get()
            : sinceAnnotation == null ? null : sinceAnnotation.value();
    if (sinceText != null) {
      try {
        since = ProductVersion.parse(sinceText);
        if (since.compareTo(productVersion) > 0) {
          problem(
              where
                  + ": @Since(\""
                  + since
                  + "\") is newer than the product version "
                  + productVersion);
        }
      } catch (RuntimeException e) {
        problem(where + ": @Since: " + e.getMessage());
      }
    }

    Object defaultValue = null;
    boolean hasDefault = false;
    DefaultValue dv = anns.get(DefaultValue.class);
    if (dv != null && encrypted && !(node instanceof NullableNode)) {
      problem(
          where
              + ": an encrypted field cannot have a @DefaultValue (records written without it read"
              + " as null); make it nullable instead");
    }
    if (dv != null) {
      try {
        defaultValue = Defaults.parse(dv.value(), node);
        hasDefault = true;
      } catch (IllegalArgumentException e) {
        problem(where + ": @DefaultValue(\"" + dv.value() + "\") " + e.getMessage());
      }
    } else if (node instanceof NullableNode) {
      defaultValue = org.apache.avro.JsonProperties.NULL_VALUE;
      hasDefault = true;
    }
    if (since != null
        && since.major() == productVersion.major()
        && since.minor() > 0
        && !hasDefault) {
      problem(
          where
              + ": added in "
              + since
              + " without a default, so data written before it cannot be read; add @DefaultValue"
              + " or make it nullable");
    }

    List<Constraint> constraints = new ArrayList<>();
    for (Annotation a : anns.inPackage(Constraints.JAKARTA)) {
      try {
        constraints.add(Constraints.fromAnnotation(a));
      } catch (IllegalArgumentException e) {
        problem(where + ": " + e.getMessage());
      }
    }
    if (override != null) {
      constraints.addAll(override.constraints());
    }
    for (Constraint c : constraints) {
      String why = Constraints.incompatibility(c, node);
      if (why != null) {
        problem(where + ": " + why);
      }
    }
    if (problems.size() > before) {
      return null;
    }
    Accessor accessor = Accessor.of(lookup, getter);
    return new PropertyModel(
        name,
        index,
        node,
        accessor,
        docText,
        piiLevel,
        key,
        since,
        defaultValue,
        hasDefault,
        List.copyOf(constraints),
        encrypted,
        subject);
  }
}
