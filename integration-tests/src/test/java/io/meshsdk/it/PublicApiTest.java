package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public API of each published module, described in a committed file ({@code api/<module>.api}:
 * every public type of a non-internal package with its public and protected members, their generic
 * signatures and where {@code @Nullable} is allowed) and compared with the jar this build made. A
 * change of the API fails the build until the file is updated in the same commit, so every API
 * change shows in review as a diff of that file:
 *
 * <pre>mvn -B verify -Dmesh.api.update=true   # rewrites api/*.api; commit them with the change
 * </pre>
 *
 * <p>Internal packages are left out: they are not API ({@code @InternalApi}). japicmp takes over
 * binary compatibility against the last release from the first release on (docs/api.md).
 */
class PublicApiTest {
  private static final Path ROOT = PublishedModules.ROOT;
  static final String UPDATE = "mesh.api.update";

  @ParameterizedTest
  @MethodSource("io.meshsdk.it.PublishedModules#libraries")
  void theApiIsWhatTheCommittedDescriptionSays(String module) throws Exception {
    Path jar = PublishedModules.jar(module);
    assertThat(jar).as("the build packages %s before the integration tests", module).exists();
    String actual = describe(module, jar);
    Path file = ROOT.resolve("api").resolve(module + ".api");
    if (Boolean.getBoolean(UPDATE)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file)
        .as(
            "%s is missing: run mvn -B verify -D%s=true and commit it",
            ROOT.relativize(file), UPDATE)
        .exists();
    String committed = Files.readString(file, StandardCharsets.UTF_8);
    if (!committed.equals(actual)) {
      throw new AssertionError(
          "the public API of "
              + module
              + " differs from "
              + ROOT.relativize(file)
              + " (- only in the file, + only in the code). If the change is meant, run"
              + " mvn -B verify -D"
              + UPDATE
              + "=true and commit the file with it; else restore the API.\n"
              + diff(committed, actual));
    }
  }

  /**
   * One convention for absence, per kind of member (docs/api.md): a method that may have no answer
   * returns {@code Optional}; parameters that may be absent are {@code @Nullable}, never {@code
   * Optional}, and no field is an {@code Optional}. The exception is the data of a Kafka record
   * (its key, value and raw bytes, a value that broke a rule, and what serializers and Connect's
   * converters return), {@code @Nullable} as in kafka-clients, since null is data there: a
   * tombstone, a record without key. The other is the getters of the starter's
   * {@code @ConfigurationProperties} JavaBean ({@code MeshProperties}): Spring's binder and
   * configuration processor pair each getter with a setter of the same type, and unset means "the
   * Spring Kafka property, else the SDK's default".
   */
  @ParameterizedTest
  @MethodSource("io.meshsdk.it.PublishedModules#libraries")
  void absenceFollowsOneConvention(String module) throws Exception {
    Path jar = PublishedModules.jar(module);
    Set<String> recordData =
        Set.of(
            "key",
            "value",
            "rawKey",
            "rawValue",
            "invalidValue",
            "serialize",
            "deserialize",
            "fromConnectData"); // Kafka Connect's serialize: a null value is a tombstone
    List<String> wrong = new ArrayList<>();
    String type = "";
    for (String line : describe(module, jar).lines().toList()) {
      if (!line.startsWith(" ")) {
        type = line;
        continue;
      }
      String member = line.strip();
      int paren = member.indexOf('(');
      String head = paren < 0 ? member : member.substring(0, paren);
      String name = head.substring(head.lastIndexOf(' ') + 1);
      String params = paren < 0 ? "" : member.substring(paren, member.indexOf(')', paren) + 1);
      boolean propertiesGetter =
          type.contains(" io.meshsdk.spring.boot.MeshProperties") && name.startsWith("get");
      if (member.contains("@Nullable: return") && !recordData.contains(name) && !propertiesGetter) {
        wrong.add(member + " returns @Nullable: return Optional (in " + type + ")");
      }
      if (params.contains("java.util.Optional")) {
        wrong.add(member + " takes an Optional: take @Nullable (in " + type + ")");
      }
      if (paren < 0 && head.contains("java.util.Optional")) {
        wrong.add(member + " is an Optional field (in " + type + ")");
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** The description of a module's API, from the classes in its jar. */
  static String describe(String module, Path jar) throws IOException, ClassNotFoundException {
    List<String> names = new ArrayList<>();
    try (JarFile j = new JarFile(jar.toFile())) {
      j.stream()
          .map(e -> e.getName())
          .filter(n -> n.startsWith("io/meshsdk/") && n.endsWith(".class"))
          .filter(n -> !n.contains("/internal/") && !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .forEach(names::add);
    }
    Collections.sort(names);
    StringBuilder out = new StringBuilder();
    out.append("# The public API of ")
        .append(module)
        .append(", checked by PublicApiTest; regenerate with mvn -B verify -D")
        .append(UPDATE)
        .append("=true\n");
    ClassLoader loader = PublicApiTest.class.getClassLoader();
    for (String name : names) {
      Class<?> type = Class.forName(name, false, loader);
      if (!isApi(type)) {
        continue;
      }
      out.append('\n').append(header(type)).append('\n');
      Set<String> members = new TreeSet<>();
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c) && !c.isSynthetic()) {
          members.add(signature(c));
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
          members.add(signature(m));
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (visible(f) && !f.isSynthetic()) {
          members.add(
              deprecated(f)
                  + f.toGenericString().replace(type.getName() + ".", "")
                  + nullable(f.getAnnotatedType(), ""));
        }
      }
      members.forEach(m -> out.append("  ").append(m).append('\n'));
    }
    return out.toString();
  }

  private static boolean isApi(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
        return false;
      }
    }
    return !type.isSynthetic();
  }

  private static String header(Class<?> type) {
    StringBuilder h = new StringBuilder(deprecated(type)).append(type.toGenericString());
    Type superclass = type.getGenericSuperclass();
    if (superclass != null
        && superclass != Object.class
        && !type.isEnum()
        && !type.isRecord()
        && !type.isInterface()) {
      h.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0 && !type.isAnnotation()) {
      h.append(type.isInterface() ? " extends " : " implements ")
          .append(
              Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    return h.toString();
  }

  private static String signature(Executable e) {
    String s = e.toGenericString().replace(e.getDeclaringClass().getName() + ".", "");
    List<String> nulls = new ArrayList<>();
    if (e instanceof Method m && isNullable(m.getAnnotatedReturnType())) {
      nulls.add("return");
    }
    AnnotatedType[] params = e.getAnnotatedParameterTypes();
    for (int i = 0; i < params.length; i++) {
      if (isNullable(params[i])) {
        nulls.add("parameter " + (i + 1));
      }
    }
    return deprecated(e) + s + (nulls.isEmpty() ? "" : "  @Nullable: " + String.join(", ", nulls));
  }

  private static String nullable(AnnotatedType type, String what) {
    return isNullable(type) ? "  @Nullable" + what : "";
  }

  private static boolean isNullable(AnnotatedType type) {
    return type.isAnnotationPresent(Nullable.class);
  }

  private static String deprecated(java.lang.reflect.AnnotatedElement e) {
    return e.isAnnotationPresent(Deprecated.class) ? "@Deprecated " : "";
  }

  private static boolean visible(Member m) {
    return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
  }

  /** The members only in one of the texts, each with its type, marked - and +. */
  static String diff(String committed, String actual) {
    Set<String> before = new LinkedHashSet<>(qualified(committed));
    Set<String> after = new LinkedHashSet<>(qualified(actual));
    StringBuilder out = new StringBuilder();
    after.stream()
        .filter(l -> !before.contains(l))
        .forEach(l -> out.append("+ ").append(l).append('\n'));
    before.stream()
        .filter(l -> !after.contains(l))
        .forEach(l -> out.append("- ").append(l).append('\n'));
    return out.toString();
  }

  /** Each line of a description; a member line with its type in front. */
  private static List<String> qualified(String description) {
    List<String> lines = new ArrayList<>();
    String type = "";
    for (String line : description.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!line.startsWith(" ")) {
        type = line;
        lines.add(line);
      } else {
        lines.add(type + " :: " + line.strip());
      }
    }
    return lines;
  }
}
