package io.meshsdk;

import io.meshsdk.catalog.internal.OpenLineageConfig;
import io.meshsdk.config.internal.ConfigKeys;
import io.meshsdk.config.internal.RegistryConfig;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.internal.DefaultMesh;
import io.meshsdk.internal.MeshSettings;
import io.meshsdk.migration.Migrations;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.internal.LockedSchemaRegistry;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.runtime.internal.KafkaKeys;
import io.meshsdk.serde.DecodeLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  public static final String REGISTRY_TIMEOUT_MS = RegistryConfig.TIMEOUT_MS;

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
  public static final String SCHEMA_REGISTRY_URL = RegistryConfig.URL;

  /** Property: registry basic auth as {@code user:password}, as Confluent's clients name it. */
  public static final String BASIC_AUTH_USER_INFO = RegistryConfig.BASIC_AUTH_USER_INFO;

  /** Property: where basic auth comes from, {@code USER_INFO} (default) or {@code URL}. */
  public static final String BASIC_AUTH_SOURCE = RegistryConfig.BASIC_AUTH_SOURCE;

  /** Property: a static registry bearer token, as Confluent's clients name it. */
  public static final String BEARER_AUTH_TOKEN = RegistryConfig.BEARER_AUTH_TOKEN;

  /** Property: {@code STATIC_TOKEN}, the only bearer source supported, as Confluent names it. */
  public static final String BEARER_AUTH_SOURCE = RegistryConfig.BEARER_AUTH_SOURCE;

  /**
   * Property: the contract lock ({@link ContractLock}): {@code classpath} (default: the resource
   * {@value ContractLock#RESOURCE} when present, used only with a registry configured by URL), a
   * file path, or {@code none}.
   */
  public static final String CONTRACT_LOCK = "mesh.contract.lock";

  /**
   * Property: where the mesh sends its OpenLineage run events (job-level lineage for Marquez,
   * DataHub, OpenMetadata; see {@code docs/catalog.md}): {@code none} (default, no events), {@code
   * log} (SLF4J INFO, logger {@code io.meshsdk.openlineage}), {@code http} (needs {@link
   * #OPENLINEAGE_URL}) or {@code kafka} (needs {@link #OPENLINEAGE_TOPIC}). Events go out from one
   * daemon thread, never on a send or poll.
   */
  public static final String OPENLINEAGE_TRANSPORT = OpenLineageConfig.TRANSPORT;

  /**
   * Property: the base URL of the OpenLineage endpoint of the {@code http} transport, for example
   * {@code http://marquez:5000}; events are POSTed to it followed by {@link #OPENLINEAGE_ENDPOINT}.
   */
  public static final String OPENLINEAGE_URL = OpenLineageConfig.URL;

  /** Property: the path the {@code http} transport posts to (default {@code /api/v1/lineage}). */
  public static final String OPENLINEAGE_ENDPOINT = OpenLineageConfig.ENDPOINT;

  /**
   * Property: an API key the {@code http} transport sends as {@code Authorization: Bearer ...}
   * (default none); never logged.
   */
  public static final String OPENLINEAGE_API_KEY = OpenLineageConfig.API_KEY;

  /**
   * Property: the topic the {@code kafka} transport writes events to, through the mesh's producer;
   * it must exist or be created by the broker on first write.
   */
  public static final String OPENLINEAGE_TOPIC = OpenLineageConfig.TOPIC;

  /**
   * Property: the OpenLineage job namespace of the application (default {@code kafka://{first
   * bootstrap server}}, the namespace of its datasets); the job's name is the application id.
   */
  public static final String OPENLINEAGE_NAMESPACE = OpenLineageConfig.NAMESPACE;

  /**
   * Property: how often a {@code RUNNING} snapshot of the datasets and their figures is sent, in
   * milliseconds (default 60,000).
   */
  public static final String OPENLINEAGE_INTERVAL_MS = OpenLineageConfig.INTERVAL_MS;

  /**
   * Property: how many OpenLineage events may wait to be sent (default 100); when full, events are
   * dropped and counted ({@code mesh.openlineage.events}, outcome {@code dropped}).
   */
  public static final String OPENLINEAGE_QUEUE_CAPACITY = OpenLineageConfig.QUEUE_CAPACITY;

  /**
   * Property: how long sending one OpenLineage event may take, and how long closing the mesh waits
   * for the last ones, in milliseconds (default 5,000).
   */
  public static final String OPENLINEAGE_TIMEOUT_MS = OpenLineageConfig.TIMEOUT_MS;

  private static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  private final MeshSettings settings = new MeshSettings();
  private @Nullable String bootstrapServers;
  private final RegistryConfig registryConfig = new RegistryConfig();
  private final OpenLineageConfig openLineage = new OpenLineageConfig();
  private final List<String> problems = new ArrayList<>();

  /** The lock given in code or by {@link #CONTRACT_LOCK}; null: look on the class path. */
  private @Nullable ContractLock contractLock;

  private boolean lockFromClassPath = true;

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
    registryConfig.clear();
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
   * Turns on field-level encryption: producers encrypt the fields products declare encrypted
   * ({@code @Pii(encrypted = true)}), consumers decrypt them when their key can be unwrapped here
   * (default: none; a product with encrypted fields then cannot be produced, and its encrypted
   * fields read as null). See {@code docs/security.md}.
   *
   * @param encryption the key-management service and data key store
   * @return this builder
   */
  public MeshBuilder fieldEncryption(FieldEncryption encryption) {
    settings.fieldEncryption = Objects.requireNonNull(encryption, "encryption");
    return this;
  }

  /**
   * Sets the contract lock the mesh checks at start-up and runs from during a registry outage. By
   * default the mesh reads the lock bundled on the class path ({@value ContractLock#RESOURCE}) when
   * its registry is configured by URL ({@link #SCHEMA_REGISTRY_URL}); a lock given here applies to
   * any registry. When the registry is reachable, {@link #build()} fails on every difference
   * between lock and registry; when it is unreachable, the mesh starts, and producers and consumers
   * of the locked versions work without the registry.
   *
   * @param lock the lock
   * @return this builder
   */
  public MeshBuilder contractLock(ContractLock lock) {
    this.contractLock = Objects.requireNonNull(lock, "lock");
    this.lockFromClassPath = false;
    return this;
  }

  /**
   * Runs without a contract lock, even when one is bundled on the class path.
   *
   * @return this builder
   */
  public MeshBuilder noContractLock() {
    this.contractLock = null;
    this.lockFromClassPath = false;
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
      case REGISTRATION -> registration(ConfigKeys.parse(RegistrationMode.class, value));
      case PROVISIONING -> provisioning(ConfigKeys.parse(ProvisioningMode.class, value));
      case REPLICATION_FACTOR -> replicationFactor(ConfigKeys.integer(value));
      case TOPIC_PREFIX -> topicPrefix(value);
      case HEADERS -> headerProfile(ConfigKeys.parse(HeaderProfile.class, value));
      case CLOSE_TIMEOUT_MS -> closeTimeout(Duration.ofMillis(ConfigKeys.integer(value)));
      case STARTUP_TIMEOUT_MS -> startupTimeout(Duration.ofMillis(ConfigKeys.integer(value)));
      case TOPIC_WAIT_MS -> topicWait(Duration.ofMillis(ConfigKeys.integer(value)));
      case DECODE_MAX_DEPTH ->
          decodeLimits(settings.decodeLimits.maxDepth(ConfigKeys.integer(value)));
      case DECODE_MAX_ELEMENTS ->
          decodeLimits(settings.decodeLimits.maxElements(ConfigKeys.integer(value)));
      case CONTRACT_LOCK -> {
        switch (value) {
          case "classpath" -> {
            contractLock = null;
            lockFromClassPath = true;
          }
          case "none", "" -> noContractLock();
          default -> contractLock(ContractLock.read(Path.of(value)));
        }
      }
      default -> {
        if (openLineage.apply(key, value)) {
          return;
        }
        if (registryConfig.apply(key, value)) {
          if (key.equals(SCHEMA_REGISTRY_URL)) {
            settings.registry = null; // the URL given last names the registry
            settings.ownsRegistry = false;
          }
          return;
        }
        if (ConfigKeys.ownNamespace(key)) {
          throw new IllegalArgumentException(ConfigKeys.unknown(key, ConfigKeys.BUILDER_KEYS));
        }
        if (ConfigKeys.MODULE_KEYS.contains(key)) {
          return; // another Mesh module's, not a Kafka client's
        }
        kafkaProperty(key, Objects.requireNonNull(raw, "value"));
      }
    }
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
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
    all.addAll(openLineage.problems());
    SchemaRegistry registry = settings.registry;
    boolean ownsRegistry = settings.ownsRegistry;
    List<String> registryProblems = registryConfig.problems();
    all.addAll(registryProblems);
    if (registryConfig.named() && registryProblems.isEmpty() && all.isEmpty()) {
      try {
        registry = registryConfig.build(settings.meterRegistry, application);
        ownsRegistry = !registryConfig.isMock();
      } catch (IllegalArgumentException | MeshConfigurationException e) {
        all.add(SCHEMA_REGISTRY_URL + ": " + e.getMessage());
      }
    }
    if (registry == null
        && !registryConfig.named()
        && all.stream().noneMatch(p -> p.startsWith(SCHEMA_REGISTRY_URL))) {
      all.add(SCHEMA_REGISTRY_URL + ": a schema registry is required");
    }
    ContractLock lock = contractLock;
    if (all.isEmpty() && lock == null && lockFromClassPath && registryConfig.isUrl()) {
      try {
        lock = ContractLock.fromClassPath(classLoader()).orElse(null);
      } catch (MeshConfigurationException | IllegalArgumentException e) {
        all.add(CONTRACT_LOCK + ": " + e.getMessage());
      }
    }
    if (!all.isEmpty()) {
      if (ownsRegistry && registry != null) {
        registry.close();
      }
      throw new MeshConfigurationException("Mesh configuration is invalid", all);
    }
    SchemaRegistry built = Objects.requireNonNull(registry, "registry");
    try {
      if (lock != null) {
        built = LockedSchemaRegistry.start(built, lock, registryConfig.locations());
      }
      KafkaKeys.reportUnknown(kafka.keySet());
      MeshSettings s = settings;
      s.kafka.clear();
      s.kafka.putAll(kafka);
      s.registry = built;
      s.ownsRegistry = ownsRegistry;
      s.openLineage = openLineage.settings();
      return new DefaultMesh(s);
    } catch (RuntimeException | Error e) {
      if (ownsRegistry) {
        built.close(); // built for this mesh, which does not start
      }
      throw e;
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : MeshBuilder.class.getClassLoader();
  }

  /** Shows the settings without secrets. */
  @Override
  public String toString() {
    return "MeshBuilder["
        + settings.application
        + ", "
        + bootstrapServers
        + (registryConfig.named() ? ", " + registryConfig.describe() : "")
        + "]";
  }
}
