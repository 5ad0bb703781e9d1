package io.meshsdk.serde.internal;

import io.meshsdk.MeshBuilder;
import io.meshsdk.config.internal.ConfigKeys;
import io.meshsdk.config.internal.RegistryConfig;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SubjectNameStrategy;
import io.meshsdk.serde.DecodeLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a serializer, deserializer or serde configured by class name, read from the
 * client's configuration map the way Kafka passes it to {@code configure(Map, isKey)}.
 *
 * <p>Thread-safety: immutable; {@link #registry()} is shared.
 *
 * @param contract the product contract
 * @param registry the registry
 * @param ownsRegistry whether the registry was built here and must be closed by its user
 * @param registration how the schema gets into the registry
 * @param subjects the subject naming ({@code -key} subjects for keys)
 * @param limits decode limits
 */
public record SerdeConfig(
    ProductContract<?> contract,
    SchemaRegistry registry,
    boolean ownsRegistry,
    RegistrationMode registration,
    SubjectNameStrategy subjects,
    DecodeLimits limits) {

  /** The value product class: a {@code Class} or a class name. */
  public static final String PRODUCT_CLASS = "mesh.product.class";

  /** The key product class, for a serde configured for keys. */
  public static final String KEY_PRODUCT_CLASS = "mesh.key.product.class";

  /** {@code TOPIC_NAME} (default), {@code RECORD_NAME} or {@code TOPIC_RECORD_NAME}. */
  public static final String SUBJECT_NAMES = "mesh.subject.names";

  /** Confluent's switch for registration, read as {@code AUTO_REGISTER} or {@code VERIFY}. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Every {@code mesh.} key the serdes read, besides the registry's. */
  public static final List<String> KEYS =
      List.of(
          PRODUCT_CLASS,
          KEY_PRODUCT_CLASS,
          SUBJECT_NAMES,
          MeshBuilder.REGISTRATION,
          MeshBuilder.DECODE_MAX_DEPTH,
          MeshBuilder.DECODE_MAX_ELEMENTS);

  private static final List<String> ALL_KNOWN =
      Stream.of(KEYS, ConfigKeys.BUILDER_KEYS).flatMap(List::stream).distinct().toList();

  /** The subject naming strategies by name. */
  private enum Subjects {
    TOPIC_NAME,
    RECORD_NAME,
    TOPIC_RECORD_NAME
  }

  /**
   * Reads the settings.
   *
   * @param configs the client configuration
   * @param isKey whether the serde is for keys
   * @param who the class being configured, for messages
   * @return the settings; the registry is built last, so a failure leaves nothing open
   * @throws MeshConfigurationException naming every problem found
   */
  public static SerdeConfig parse(Map<String, ?> configs, boolean isKey, String who) {
    Objects.requireNonNull(configs, "configs");
    List<String> problems = new ArrayList<>();
    RegistryConfig registry = new RegistryConfig();
    RegistrationMode registration = RegistrationMode.AUTO_REGISTER;
    String registrationKey = null;
    Subjects subjects = Subjects.TOPIC_NAME;
    DecodeLimits limits = DecodeLimits.defaults();
    ProductContract<?> contract = null;
    String classKey = isKey ? KEY_PRODUCT_CLASS : PRODUCT_CLASS;
    for (Map.Entry<String, ?> e : configs.entrySet()) {
      String key = e.getKey();
      Object raw = e.getValue();
      if (key == null || raw == null) {
        continue;
      }
      String value = raw instanceof Class<?> c ? c.getName() : String.valueOf(raw).trim();
      try {
        if (registry.apply(key, value)) {
          continue;
        }
        switch (key) {
          case PRODUCT_CLASS, KEY_PRODUCT_CLASS -> {
            if (key.equals(classKey)) {
              contract = ProductContract.of(productClass(raw, value));
            }
          }
          case SUBJECT_NAMES -> subjects = ConfigKeys.parse(Subjects.class, value);
          case MeshBuilder.REGISTRATION, AUTO_REGISTER_SCHEMAS -> {
            RegistrationMode mode =
                key.equals(AUTO_REGISTER_SCHEMAS)
                    ? (bool(value) ? RegistrationMode.AUTO_REGISTER : RegistrationMode.VERIFY)
                    : ConfigKeys.parse(RegistrationMode.class, value);
            if (registrationKey != null && mode != registration) {
              throw new IllegalArgumentException(
                  "means "
                      + mode
                      + ", which contradicts "
                      + registrationKey
                      + " ("
                      + registration
                      + "); set one of them");
            }
            registration = mode;
            registrationKey = key;
          }
          case "key.subject.name.strategy", "value.subject.name.strategy" ->
              throw new IllegalArgumentException(
                  "Confluent's strategy classes are not read; use "
                      + SUBJECT_NAMES
                      + "=TOPIC_NAME, RECORD_NAME or TOPIC_RECORD_NAME (the same three namings)");
          case MeshBuilder.DECODE_MAX_DEPTH -> limits = limits.maxDepth(ConfigKeys.integer(value));
          case MeshBuilder.DECODE_MAX_ELEMENTS ->
              limits = limits.maxElements(ConfigKeys.integer(value));
          default -> {
            if (ConfigKeys.ownNamespace(key) && !ALL_KNOWN.contains(key)) {
              throw new IllegalArgumentException(ConfigKeys.unknown(key, ALL_KNOWN));
            }
          }
        }
      } catch (RuntimeException ex) {
        problems.add(key + ": " + ex.getMessage());
      }
    }
    if (contract == null && problems.stream().noneMatch(p -> p.startsWith(classKey + ":"))) {
      problems.add(
          classKey
              + ": required, the product class (a Class or its name) to "
              + (isKey ? "serialize keys as" : "serialize values as")
              + (isKey && configs.containsKey(PRODUCT_CLASS)
                  ? " (" + PRODUCT_CLASS + " names the value class; keys need their own)"
                  : ""));
    }
    if (!registry.named()) {
      problems.add(RegistryConfig.URL + ": required, the registry's URL (or mock://name)");
    }
    problems.addAll(registry.problems());
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(who + " configuration is invalid", problems);
    }
    SchemaRegistry built;
    try {
      built = registry.build(null, "mesh");
    } catch (IllegalArgumentException e) {
      throw new MeshConfigurationException(
          who + " configuration is invalid", List.of(RegistryConfig.URL + ": " + e.getMessage()));
    }
    return new SerdeConfig(
        Objects.requireNonNull(contract),
        built,
        !registry.isMock(),
        registration,
        strategy(subjects, isKey),
        limits);
  }

  /**
   * The registry a serializer or deserializer must close: the one built here, when it is the owner.
   *
   * @param owns whether the caller owns what was built (a serde shares it and closes it itself)
   * @return the registry to close, or null
   */
  public @Nullable SchemaRegistry owned(boolean owns) {
    return owns && ownsRegistry ? registry : null;
  }

  private static SubjectNameStrategy strategy(Subjects s, boolean isKey) {
    return switch (s) {
      case TOPIC_NAME ->
          isKey ? SubjectNameStrategy.TOPIC_NAME_KEY : SubjectNameStrategy.TOPIC_NAME;
      case RECORD_NAME -> SubjectNameStrategy.RECORD_NAME;
      case TOPIC_RECORD_NAME -> SubjectNameStrategy.TOPIC_RECORD_NAME;
    };
  }

  private static Class<?> productClass(Object raw, String name) {
    if (raw instanceof Class<?> c) {
      return c;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    try {
      return Class.forName(
          name, false, context != null ? context : SerdeConfig.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      try {
        return Class.forName(name, false, SerdeConfig.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError again) {
        throw new IllegalArgumentException(
            "class '" + name + "' not found on the class path (" + e + ")", e);
      }
    }
  }

  private static boolean bool(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("'" + value + "' is not true or false");
  }
}
