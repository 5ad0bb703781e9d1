package io.meshsdk;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.internal.DefaultMesh;
import io.meshsdk.internal.MeshSettings;
import io.meshsdk.migration.Migrations;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.internal.Redaction;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.runtime.internal.KafkaKeys;
import io.meshsdk.serde.DecodeLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link Mesh}, from code or from properties named like Kafka's own (see {@link
 * #properties(Map)} and the configuration reference in {@code docs/runtime.md}). Every problem is
 * collected and reported together by {@link #build()}: unknown keys in Mesh SDK's own namespaces
 * (with the nearest known key), invalid values of Kafka client keys, malformed bootstrap servers or
 * registry URLs (shown with credentials masked), conflicting registry authentication.
 *
 * <p>Thread-safety: not thread-safe; use it on one thread, then share the mesh it builds.
 */
public final class MeshBuilder {
  /** Property: the application id. */
  public static final String APPLICATION = "mesh.application";

  /** Property: {@code AUTO_REGISTER} or {@code VERIFY}. */
  public static final String REGISTRATION = "mesh.registration";

  /** Property: {@code CREATE_IF_MISSING}, {@code VERIFY} or {@code NONE}. */
  public static final String PROVISIONING = "mesh.provisioning";

  /**
   * Property: a prefix for every topic name derived from a contract (default none), for example
   * {@code staging.} for environments that share a cluster.
   */
  public static final String TOPIC_PREFIX = "mesh.topic.prefix";

  /** Property: {@code FULL} (default) or {@code COMPACT}: which CloudEvents headers to write. */
  public static final String HEADERS = "mesh.headers";

  /** Property: replication factor of topics the SDK creates (default: the broker's). */
  public static final String REPLICATION_FACTOR = "mesh.replication.factor";

  /** Property: how long closing one client may take, in milliseconds (default 30,000). */
  public static final String CLOSE_TIMEOUT_MS = "mesh.close.timeout.ms";

  /**
   * Property: how long the broker calls made while creating a producer or consumer (topic creation
   * and checks) may take in all, in milliseconds (default 15,000).
   */
  public static final String STARTUP_TIMEOUT_MS = "mesh.startup.timeout.ms";

  /**
   * Property: how long a consumer that starts before its topic exists waits for the product's
   * producer to create it, in milliseconds (default 120,000).
   */
  public static final String TOPIC_WAIT_MS = "mesh.topic.wait.ms";

  /**
   * Property: how long one registry call may take in all, retries included, in milliseconds
   * (default 10,000); for registries configured by {@link #SCHEMA_REGISTRY_URL}.
   */
  public static final String REGISTRY_TIMEOUT_MS = "mesh.registry.timeout.ms";

  /** Property: how deeply one consumed record may nest (default 100; see {@link DecodeLimits}). */
  public static final String DECODE_MAX_DEPTH = "mesh.decode.max.depth";

  /**
   * Property: how many array items and map entries one consumed record may hold (default 1,000,000;
   * see {@link DecodeLimits}).
   */
  public static final String DECODE_MAX_ELEMENTS = "mesh.decode.max.elements";

  /**
   * Property: the registry: comma-separated http(s) URLs of a Confluent-compatible registry, or
   * {@code mock://name} for a named in-memory registry.
   */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Property: registry basic auth as {@code user:password}, as Confluent's clients name it. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Property: where basic auth comes from, {@code USER_INFO} (default) or {@code URL}. */
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";

  /** Property: a static registry bearer token, as Confluent's clients name it. */
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

  /** Property: {@code STATIC_TOKEN}, the only bearer source supported, as Confluent names it. */
  public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";

  private static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  /**
   * The keys Mesh SDK reads itself. Any other key in their namespaces is a typo to report, never a
   * key to pass on silently.
   */
  static final List<String> KNOWN_KEYS =
      List.of(
          APPLICATION,
          REGISTRATION,
          PROVISIONING,
          TOPIC_PREFIX,
          HEADERS,
          REPLICATION_FACTOR,
          CLOSE_TIMEOUT_MS,
          STARTUP_TIMEOUT_MS,
          TOPIC_WAIT_MS,
          REGISTRY_TIMEOUT_MS,
          DECODE_MAX_DEPTH,
          DECODE_MAX_ELEMENTS,
          SCHEMA_REGISTRY_URL,
          "schema.registry.basic.auth.user.info",
          BASIC_AUTH_USER_INFO,
          BASIC_AUTH_SOURCE,
          BEARER_AUTH_TOKEN,
          BEARER_AUTH_SOURCE);

  /** Namespaces owned by Mesh SDK (and Confluent's registry client keys it reads). */
  private static final List<String> OWN_NAMESPACES =
      List.of("mesh.", "schema.registry.", "basic.auth.", "bearer.auth.");

  private static final Map<String, InMemorySchemaRegistry> MOCKS = new ConcurrentHashMap<>();

  private final MeshSettings settings = new MeshSettings();
  private @Nullable String bootstrapServers;
  private @Nullable String registryUrls;
  private @Nullable String basicAuthUserInfo;
  private @Nullable String bearerToken;
  private @Nullable Duration registryTimeout;
  private final List<String> problems = new ArrayList<>();

  MeshBuilder() {}

  /**
   * Sets the application id (required): the CloudEvents source, client ids, metric tags.
   *
   * @param application letters, digits, '.', '_' and '-'
   * @return this builder
   */
  public MeshBuilder application(String application) {
    settings.application = Objects.requireNonNull(application, "application");
    return this;
  }

  /**
   * Sets the Kafka bootstrap servers (required).
   *
   * @param servers {@code host:port,...}
   * @return this builder
   */
  public MeshBuilder bootstrapServers(String servers) {
    this.bootstrapServers = Objects.requireNonNull(servers, "servers");
    return this;
  }

  /**
   * Sets the schema registry (required). The mesh does not close it.
   *
   * @param registry the registry
   * @return this builder
   */
  public MeshBuilder schemaRegistry(SchemaRegistry registry) {
    settings.registry = Objects.requireNonNull(registry, "registry");
    settings.ownsRegistry = false;
    this.registryUrls = null;
    return this;
  }

  /**
   * Sets the Micrometer registry (default: none, meters are no-ops). Not closed by the mesh.
   *
   * @param registry the registry
   * @return this builder
   */
  public MeshBuilder meterRegistry(MeterRegistry registry) {
    settings.meterRegistry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * Sets the OpenTelemetry instance. Not closed by the mesh. By default the mesh uses the global
   * instance once the application (or an agent) has registered one, without ever locking the global
   * itself: clients created before that registration trace nothing.
   *
   * @param openTelemetry the instance
   * @return this builder
   */
  public MeshBuilder openTelemetry(OpenTelemetry openTelemetry) {
    settings.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    return this;
  }

  /**
   * Sets the governance policy (default {@link GovernancePolicy#standard()}).
   *
   * @param policy the policy
   * @return this builder
   */
  public MeshBuilder governance(GovernancePolicy policy) {
    settings.governance = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Sets the registration mode (default {@code AUTO_REGISTER}; use {@code VERIFY} in production).
   *
   * @param mode the mode
   * @return this builder
   */
  public MeshBuilder registration(RegistrationMode mode) {
    settings.registration = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Sets the provisioning mode (default {@code CREATE_IF_MISSING}).
   *
   * @param mode the mode
   * @return this builder
   */
  public MeshBuilder provisioning(ProvisioningMode mode) {
    settings.provisioning = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Sets the replication factor of topics the SDK creates (default: the broker's).
   *
   * @param factor at least 1
   * @return this builder
   * @throws IllegalArgumentException if the factor is out of range
   */
  public MeshBuilder replicationFactor(int factor) {
    if (factor < 1 || factor > Short.MAX_VALUE) {
      throw new IllegalArgumentException("replication factor must be at least 1, got " + factor);
    }
    settings.replicationFactor = (short) factor;
    return this;
  }

  /**
   * Sets a prefix for every topic name derived from a contract, dead-letter topics included
   * (default none). Topics named explicitly (for example with {@code consumer.topic(...)}) are
   * taken as they are. The registry subjects follow the topic names.
   *
   * @param prefix letters, digits, '.', '_' and '-' only; may be empty
   * @return this builder
   * @throws IllegalArgumentException for other characters
   */
  public MeshBuilder topicPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.matches("[A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' may use only letters, digits, '.', '_' and '-'");
    }
    settings.topicPrefix = prefix;
    return this;
  }

  /**
   * Sets the factory of the Kafka clients (default {@link KafkaClientFactory#kafka()}, Apache
   * Kafka's own clients). The testkit's in-memory Kafka is one; the mesh does not close it.
   *
   * @param factory the factory
   * @return this builder
   */
  public MeshBuilder kafkaClientFactory(KafkaClientFactory factory) {
    settings.clientFactory = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Sets the migrations between major versions of products (default none), used by dual publishing
   * and by consumers reading another major's topic.
   *
   * @param migrations the validated migrations
   * @return this builder
   */
  public MeshBuilder migrations(Migrations migrations) {
    settings.migrations = Objects.requireNonNull(migrations, "migrations");
    return this;
  }

  /**
   * Sets which CloudEvents headers producers write (default {@link HeaderProfile#FULL}).
   *
   * @param profile the profile
   * @return this builder
   */
  public MeshBuilder headerProfile(HeaderProfile profile) {
    settings.headerProfile = Objects.requireNonNull(profile, "profile");
    return this;
  }

  /**
   * Sets how long closing one client may take (default 30 s).
   *
   * @param timeout positive
   * @return this builder
   * @throws IllegalArgumentException if the time-out is zero or negative
   */
  public MeshBuilder closeTimeout(Duration timeout) {
    settings.closeTimeout = positive(timeout, "close timeout");
    return this;
  }

  /**
   * Sets how long the broker calls made while creating a producer or consumer (creating and
   * checking topics) may take in all (default 15 s). An unreachable broker then fails the creation
   * with a {@link io.meshsdk.errors.BrokerUnavailableException} naming the bootstrap servers.
   *
   * @param timeout positive
   * @return this builder
   * @throws IllegalArgumentException if the time-out is zero or negative
   */
  public MeshBuilder startupTimeout(Duration timeout) {
    settings.startupTimeout = positive(timeout, "startup timeout");
    return this;
  }

  /**
   * Sets how long a consumer that starts before its topic exists waits for the product's producer
   * to create it (default 2 minutes); then the consumer fails, naming the topic. Consumers never
   * create a product's topic from their own class unless told to ({@code createTopicFromContract()}
   * on the consumer builder).
   *
   * @param timeout positive
   * @return this builder
   * @throws IllegalArgumentException if the time-out is zero or negative
   */
  public MeshBuilder topicWait(Duration timeout) {
    settings.topicWait = positive(timeout, "topic wait");
    return this;
  }

  /**
   * Sets the bounds of decoding one consumed record (default {@link DecodeLimits#defaults()}).
   *
   * @param limits the limits
   * @return this builder
   */
  public MeshBuilder decodeLimits(DecodeLimits limits) {
    settings.decodeLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * Passes a property to the Kafka clients the mesh creates that know it. Keys the SDK owns
   * (serializers, {@code group.id}, {@code enable.auto.commit}, {@code transactional.id},
   * interceptors, {@code client.id}) are refused; values are checked against Kafka's own
   * definitions by {@link #build()}, and keys no Kafka client knows are reported there once.
   *
   * @param key the Kafka property
   * @param value its value
   * @return this builder
   * @throws MeshConfigurationException for an owned key
   */
  public MeshBuilder kafkaProperty(String key, Object value) {
    KafkaKeys.requirePassable(key);
    settings.kafka.put(key, Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Applies properties. Mesh SDK reads the keys of its configuration reference ({@code mesh.*},
   * {@code schema.registry.url} with {@code mock://name} for a named in-memory registry shared in
   * the JVM, Confluent's {@code basic.auth.*} and {@code bearer.auth.*} registry keys); an unknown
   * key in those namespaces is a problem, named with the nearest known key. Every other key passes
   * through to the Kafka clients. Problems are reported together by {@link #build()}.
   *
   * @param properties the properties
   * @return this builder
   */
  public MeshBuilder properties(Map<String, ?> properties) {
    Objects.requireNonNull(properties, "properties");
    for (Map.Entry<String, ?> e : properties.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "property key");
      String value = String.valueOf(e.getValue()).trim();
      try {
        apply(key, value, e.getValue());
      } catch (IllegalArgumentException | MeshConfigurationException ex) {
        problems.add(key + ": " + ex.getMessage());
      }
    }
    return this;
  }

  private void apply(String key, String value, @Nullable Object raw) {
    switch (key) {
      case APPLICATION -> application(value);
      case BOOTSTRAP_SERVERS -> bootstrapServers(value);
      case REGISTRATION -> registration(parse(RegistrationMode.class, value));
      case PROVISIONING -> provisioning(parse(ProvisioningMode.class, value));
      case REPLICATION_FACTOR -> replicationFactor(integer(value));
      case TOPIC_PREFIX -> topicPrefix(value);
      case HEADERS -> headerProfile(parse(HeaderProfile.class, value));
      case CLOSE_TIMEOUT_MS -> closeTimeout(Duration.ofMillis(integer(value)));
      case STARTUP_TIMEOUT_MS -> startupTimeout(Duration.ofMillis(integer(value)));
      case TOPIC_WAIT_MS -> topicWait(Duration.ofMillis(integer(value)));
      case REGISTRY_TIMEOUT_MS ->
          registryTimeout = positive(Duration.ofMillis(integer(value)), "time-out");
      case DECODE_MAX_DEPTH -> decodeLimits(settings.decodeLimits.maxDepth(integer(value)));
      case DECODE_MAX_ELEMENTS -> decodeLimits(settings.decodeLimits.maxElements(integer(value)));
      case SCHEMA_REGISTRY_URL -> registryUrl(value);
      case BASIC_AUTH_USER_INFO, "schema.registry.basic.auth.user.info" -> {
        if (value.indexOf(':') < 0) {
          throw new IllegalArgumentException("must be user:password (value not shown)");
        }
        basicAuthUserInfo = value;
      }
      case BEARER_AUTH_TOKEN -> bearerToken = value;
      case BASIC_AUTH_SOURCE -> {
        if (!value.equalsIgnoreCase("USER_INFO") && !value.equalsIgnoreCase("URL")) {
          throw new IllegalArgumentException("'" + value + "' is not USER_INFO or URL");
        }
      }
      case BEARER_AUTH_SOURCE -> {
        if (!value.equalsIgnoreCase("STATIC_TOKEN")) {
          throw new IllegalArgumentException(
              "'"
                  + value
                  + "' is not supported; use STATIC_TOKEN with "
                  + BEARER_AUTH_TOKEN
                  + ", or RestSchemaRegistry.builder(...).bearerToken(supplier) in code");
        }
      }
      default -> {
        if (ownNamespace(key)) {
          throw new IllegalArgumentException(unknownKey(key));
        }
        kafkaProperty(key, Objects.requireNonNull(raw, "value"));
      }
    }
  }

  private static boolean ownNamespace(String key) {
    for (String ns : OWN_NAMESPACES) {
      if (key.startsWith(ns)) {
        return true;
      }
    }
    return false;
  }

  /** The message for an unknown key in Mesh SDK's namespaces, naming the nearest known key. */
  static String unknownKey(String key) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String known : KNOWN_KEYS) {
      int d = distance(key, known);
      if (d < best) {
        best = d;
        nearest = known;
      }
    }
    String hint =
        nearest != null && best <= Math.max(3, key.length() / 3)
            ? "; did you mean " + nearest + "?"
            : "; known keys: " + String.join(", ", KNOWN_KEYS);
    return "unknown Mesh SDK property" + hint;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static int integer(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number", e);
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()), e);
    }
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  private void registryUrl(String url) {
    if (url.startsWith("mock://")) {
      String name = url.substring("mock://".length());
      settings.registry = MOCKS.computeIfAbsent(name, n -> new InMemorySchemaRegistry());
      settings.ownsRegistry = false;
      settings.schemaLocation = "urn:mesh:schema:";
      registryUrls = null;
      return;
    }
    for (String part : url.split(",")) {
      Redaction.parseRegistryUrl(part); // throws naming the URL with credentials masked
    }
    registryUrls = url;
  }

  /**
   * Validates and builds.
   *
   * @return the mesh
   * @throws MeshConfigurationException naming every missing or invalid setting
   */
  public Mesh build() {
    List<String> all = new ArrayList<>(problems);
    String application = settings.application;
    if (application.isBlank()) {
      all.add(APPLICATION + ": an application id is required");
    } else if (!application.matches("[A-Za-z0-9._-]+")) {
      all.add(
          APPLICATION + ": '" + application + "' may use only letters, digits, '.', '_' and '-'");
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      all.add(BOOTSTRAP_SERVERS + ": required");
    } else {
      all.addAll(KafkaKeys.checkBootstrapServers(bootstrapServers));
    }
    Map<String, Object> kafka = new LinkedHashMap<>(settings.kafka);
    if (bootstrapServers != null) {
      kafka.put(BOOTSTRAP_SERVERS, bootstrapServers.trim());
    }
    all.addAll(KafkaKeys.checkValues(kafka));
    SchemaRegistry registry = settings.registry;
    String schemaLocation = settings.schemaLocation;
    boolean ownsRegistry = settings.ownsRegistry;
    if (registryUrls != null) {
      if (bearerToken != null && basicAuthUserInfo != null) {
        all.add(
            BASIC_AUTH_USER_INFO
                + " and "
                + BEARER_AUTH_TOKEN
                + ": both are set; the registry takes one kind of authentication, choose one");
      } else if (all.isEmpty()) {
        try {
          registry = restRegistry(application);
          ownsRegistry = true;
        } catch (IllegalArgumentException | MeshConfigurationException e) {
          all.add(SCHEMA_REGISTRY_URL + ": " + e.getMessage());
        }
      }
    } else if (basicAuthUserInfo != null || bearerToken != null) {
      all.add(
          (bearerToken != null ? BEARER_AUTH_TOKEN : BASIC_AUTH_USER_INFO)
              + ": set without "
              + SCHEMA_REGISTRY_URL
              + "; credentials apply only to a registry configured by URL");
    }
    if (registry == null
        && registryUrls == null
        && all.stream().noneMatch(p -> p.startsWith(SCHEMA_REGISTRY_URL))) {
      all.add(SCHEMA_REGISTRY_URL + ": a schema registry is required");
    }
    if (!all.isEmpty()) {
      if (ownsRegistry && registry != null) {
        registry.close();
      }
      throw new MeshConfigurationException("Mesh configuration is invalid", all);
    }
    KafkaKeys.reportUnknown(kafka.keySet());
    MeshSettings s = settings;
    s.kafka.clear();
    s.kafka.putAll(kafka);
    s.registry = registry;
    s.schemaLocation = schemaLocation;
    s.ownsRegistry = ownsRegistry;
    return new DefaultMesh(s);
  }

  private SchemaRegistry restRegistry(String application) {
    RestSchemaRegistry.Builder rest =
        RestSchemaRegistry.builder(Objects.requireNonNull(registryUrls).split("\\s*,\\s*"));
    if (bearerToken != null) {
      rest.bearerToken(bearerToken);
    } else if (basicAuthUserInfo != null) {
      rest.basicAuthUserInfo(basicAuthUserInfo);
    }
    if (registryTimeout != null) {
      rest.callTimeout(registryTimeout);
    }
    if (settings.meterRegistry != null) {
      rest.meterRegistry(settings.meterRegistry, application.isBlank() ? "mesh" : application);
    }
    return rest.build();
  }

  /** Shows the settings without secrets. */
  @Override
  public String toString() {
    return "MeshBuilder["
        + settings.application
        + ", "
        + bootstrapServers
        + (registryUrls != null ? ", " + Redaction.url(registryUrls) : "")
        + "]";
  }
}
