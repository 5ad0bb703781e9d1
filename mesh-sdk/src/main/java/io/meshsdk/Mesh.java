package io.meshsdk;

import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.internal.DefaultMesh;
import io.meshsdk.migration.Migrations;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of Mesh SDK for one application: creates producers, consumers and processors of
 * data products that share the application id, Kafka settings, schema registry, governance policy
 * and telemetry.
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.builder()
 *     .application("checkout-service")
 *     .bootstrapServers("localhost:9092")
 *     .schemaRegistry(registry)
 *     .build()) {
 *   MeshProducer<OrderPlaced> orders = mesh.producer(OrderPlaced.class);
 *   orders.send(order);
 *   mesh.consumer(OrderPlaced.class).group("shipping").handle(e -> ship(e.value())).start();
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; share one per application. {@link #close()} closes the producers,
 * consumers and processors it created (consumers first, so their last commits and dead letters go
 * out), but not what it was given: the schema registry, the {@code MeterRegistry}, the {@code
 * OpenTelemetry}.
 */
public interface Mesh extends AutoCloseable {

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A mesh from properties named like Kafka's own: every key passes through to the Kafka clients
   * except the {@code mesh.*} keys and {@code schema.registry.url} (see {@link
   * Builder#properties(Map)}).
   *
   * @param properties the properties
   * @return the mesh
   * @throws MeshConfigurationException naming every missing or invalid key
   */
  static Mesh fromProperties(Properties properties) {
    Objects.requireNonNull(properties, "properties");
    Map<String, Object> map = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return builder().properties(map).build();
  }

  /**
   * A mesh from a map of properties; see {@link #fromProperties(Properties)}.
   *
   * @param properties the properties
   * @return the mesh
   * @throws MeshConfigurationException naming every missing or invalid key
   */
  static Mesh fromMap(Map<String, ?> properties) {
    Objects.requireNonNull(properties, "properties");
    return builder().properties(properties).build();
  }

  /**
   * The application id.
   *
   * @return the id
   */
  String application();

  /**
   * The schema registry.
   *
   * @return the registry (not owned by the mesh when it was given)
   */
  SchemaRegistry schemaRegistry();

  /**
   * A producer of a product class. Governance, topic provisioning and schema registration happen
   * now, so problems surface here rather than at the first send.
   *
   * @param type the product class
   * @param <T> the product type
   * @return a new producer, closed with the mesh
   * @throws MeshConfigurationException if the class, governance or provisioning refuse it
   * @throws io.meshsdk.registry.SchemaRegistryException if the registry refuses or fails
   */
  <T> MeshProducer<T> producer(Class<T> type);

  /**
   * A producer of a product described by a contract (for example of an Avro-generated class).
   *
   * @param contract the contract
   * @param <T> the product type
   * @return a new producer, closed with the mesh
   * @throws MeshConfigurationException if governance or provisioning refuse it
   */
  <T> MeshProducer<T> producer(ProductContract<T> contract);

  /**
   * Starts configuring a producer of a new major that also publishes each event, translated by the
   * registered downcasts, to an older major's topic during a migration period.
   *
   * @param type the new major's class
   * @param <T> the product type
   * @return a builder; {@code build()} returns the producer, closed with the mesh
   */
  <T> DualProducer.Builder<T> dualProducer(Class<T> type);

  /**
   * The migrations between major versions given to the mesh.
   *
   * @return the migrations ({@link Migrations#none()} by default)
   */
  Migrations migrations();

  /**
   * Starts configuring a consumer that reads a product into its own class.
   *
   * @param type the reader class
   * @param <T> the product type
   * @return a builder; {@code start()} returns the running consumer, closed with the mesh
   */
  <T> MeshConsumer.Builder<T> consumer(Class<T> type);

  /**
   * Starts configuring a consumer from a contract.
   *
   * @param contract the reader's contract
   * @param <T> the product type
   * @return a builder
   */
  <T> MeshConsumer.Builder<T> consumer(ProductContract<T> contract);

  /**
   * Starts configuring a processor from one product to another.
   *
   * @param input the input class
   * @param output the output class
   * @param <I> the input type
   * @param <O> the output type
   * @return a builder; {@code start()} returns the running processor, closed with the mesh
   */
  <I, O> MeshProcessor.Builder<I, O> processor(Class<I> input, Class<O> output);

  /**
   * The dead letters of a consumer group on a product's topic.
   *
   * @param type the product class
   * @param group the consumer group
   * @param <T> the product type
   * @return the dead letters, for replay to the topic or through a handler
   * @throws NullPointerException if an argument is null
   */
  <T> DeadLetters<T> deadLetters(Class<T> type, String group);

  /** Closes what the mesh created. Idempotent. */
  @Override
  void close();

  /** Configures a {@link Mesh}. Not thread-safe. */
  final class Builder {
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

    private static final Map<String, InMemorySchemaRegistry> MOCKS = new ConcurrentHashMap<>();

    private @Nullable String application;
    private @Nullable String bootstrapServers;
    private @Nullable SchemaRegistry registry;
    private @Nullable String registryLocation;
    private @Nullable String registryUrls;
    private @Nullable String basicAuthUserInfo;
    private @Nullable String bearerToken;
    private boolean ownsRegistry;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable OpenTelemetry openTelemetry;
    private GovernancePolicy governance = GovernancePolicy.standard();
    private RegistrationMode registration = RegistrationMode.AUTO_REGISTER;
    private ProvisioningMode provisioning = ProvisioningMode.CREATE_IF_MISSING;
    private @Nullable Short replicationFactor;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private KafkaClientFactory clientFactory = KafkaClientFactory.kafka();
    private String topicPrefix = "";
    private Migrations migrations = Migrations.none();
    private HeaderProfile headerProfile = HeaderProfile.FULL;
    private final Map<String, Object> kafka = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the application id (required): the CloudEvents source, client ids, metric tags.
     *
     * @param application the id
     * @return this builder
     */
    public Builder application(String application) {
      this.application = Objects.requireNonNull(application, "application");
      return this;
    }

    /**
     * Sets the Kafka bootstrap servers (required).
     *
     * @param servers {@code host:port,...}
     * @return this builder
     */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = Objects.requireNonNull(servers, "servers");
      return this;
    }

    /**
     * Sets the schema registry (required). The mesh does not close it.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder schemaRegistry(SchemaRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the Micrometer registry (default: none, meters are no-ops). Not closed by the mesh.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the OpenTelemetry instance (default: {@code GlobalOpenTelemetry}). Not closed by the
     * mesh.
     *
     * @param openTelemetry the instance
     * @return this builder
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Sets the governance policy (default {@link GovernancePolicy#standard()}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder governance(GovernancePolicy policy) {
      this.governance = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the registration mode (default {@code AUTO_REGISTER}; use {@code VERIFY} in production).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder registration(RegistrationMode mode) {
      this.registration = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the provisioning mode (default {@code CREATE_IF_MISSING}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder provisioning(ProvisioningMode mode) {
      this.provisioning = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the replication factor of topics the SDK creates (default: the broker's).
     *
     * @param factor at least 1
     * @return this builder
     */
    public Builder replicationFactor(int factor) {
      if (factor < 1 || factor > Short.MAX_VALUE) {
        throw new IllegalArgumentException("replication factor must be at least 1, got " + factor);
      }
      this.replicationFactor = (short) factor;
      return this;
    }

    /**
     * Sets a prefix for every topic name derived from a contract, dead-letter topics included
     * (default none). Topics named explicitly (for example with {@code consumer.topic(...)}) are
     * taken as they are. The registry subjects follow the topic names.
     *
     * @param prefix letters, digits, '.', '_' and '-' only; may be empty
     * @return this builder
     */
    public Builder topicPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.matches("[A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException(
            "topic prefix '" + prefix + "' may use only letters, digits, '.', '_' and '-'");
      }
      this.topicPrefix = prefix;
      return this;
    }

    /**
     * Sets the factory of the Kafka clients (default {@link KafkaClientFactory#kafka()}, Apache
     * Kafka's own clients). The testkit's in-memory Kafka is one; the mesh does not close it.
     *
     * @param factory the factory
     * @return this builder
     */
    public Builder kafkaClientFactory(KafkaClientFactory factory) {
      this.clientFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Sets the migrations between major versions of products (default none), used by dual
     * publishing and by consumers reading another major's topic.
     *
     * @param migrations the validated migrations
     * @return this builder
     */
    public Builder migrations(Migrations migrations) {
      this.migrations = Objects.requireNonNull(migrations, "migrations");
      return this;
    }

    /**
     * Sets which CloudEvents headers producers write (default {@link HeaderProfile#FULL}).
     *
     * @param profile the profile
     * @return this builder
     */
    public Builder headerProfile(HeaderProfile profile) {
      this.headerProfile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /**
     * Sets how long closing a client may take (default 30 s).
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("close timeout must be positive");
      }
      this.closeTimeout = timeout;
      return this;
    }

    /**
     * Passes a property to every Kafka client the mesh creates. Keys the SDK owns (serializers,
     * {@code group.id}, {@code enable.auto.commit}, {@code transactional.id}, interceptors, {@code
     * client.id}) are refused.
     *
     * @param key the Kafka property
     * @param value its value
     * @return this builder
     * @throws MeshConfigurationException for an owned key
     */
    public Builder kafkaProperty(String key, Object value) {
      io.meshsdk.runtime.internal.KafkaKeys.requirePassable(key);
      kafka.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Applies properties: {@code mesh.application}, {@code bootstrap.servers}, {@code
     * schema.registry.url} ({@code mock://name} for a named in-memory registry shared in the JVM),
     * {@code mesh.registration}, {@code mesh.provisioning}, {@code mesh.replication.factor}, {@code
     * mesh.topic.prefix}, {@code mesh.headers}; every other key passes through to the Kafka
     * clients. Problems are reported together by {@link #build()}.
     *
     * @param properties the properties
     * @return this builder
     */
    public Builder properties(Map<String, ?> properties) {
      Objects.requireNonNull(properties, "properties");
      for (Map.Entry<String, ?> e : properties.entrySet()) {
        String key = e.getKey();
        String value = String.valueOf(e.getValue()).trim();
        try {
          switch (key) {
            case APPLICATION -> application(value);
            case "bootstrap.servers" -> bootstrapServers(value);
            case REGISTRATION -> registration(parse(RegistrationMode.class, value));
            case PROVISIONING -> provisioning(parse(ProvisioningMode.class, value));
            case REPLICATION_FACTOR -> replicationFactor(Integer.parseInt(value));
            case TOPIC_PREFIX -> topicPrefix(value);
            case HEADERS -> headerProfile(parse(HeaderProfile.class, value));
            case SCHEMA_REGISTRY_URL -> registryUrl(value);
            case BASIC_AUTH_USER_INFO -> basicAuthUserInfo = value;
            case BEARER_AUTH_TOKEN -> bearerToken = value;
            case BASIC_AUTH_SOURCE -> {
              if (!value.equalsIgnoreCase("USER_INFO") && !value.equalsIgnoreCase("URL")) {
                throw new IllegalArgumentException("'" + value + "' is not USER_INFO or URL");
              }
            }
            default -> kafkaProperty(key, e.getValue());
          }
        } catch (IllegalArgumentException | MeshConfigurationException ex) {
          problems.add(key + ": " + ex.getMessage());
        }
      }
      return this;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
      try {
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()),
            e);
      }
    }

    private void registryUrl(String url) {
      if (url.startsWith("mock://")) {
        String name = url.substring("mock://".length());
        this.registry = MOCKS.computeIfAbsent(name, n -> new InMemorySchemaRegistry());
        this.registryLocation = url;
      } else {
        for (String part : url.split(",")) {
          String u = part.trim();
          if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new IllegalArgumentException(
                "'"
                    + io.meshsdk.registry.internal.HttpSchemaRegistry.redact(java.net.URI.create(u))
                    + "' is not an http(s) or mock:// URL");
          }
        }
        this.registryUrls = url;
      }
    }

    /**
     * Validates and builds.
     *
     * @return the mesh
     * @throws MeshConfigurationException naming every missing or invalid setting
     */
    public Mesh build() {
      List<String> all = new ArrayList<>(problems);
      if (application == null || application.isBlank()) {
        all.add(APPLICATION + ": an application id is required");
      } else if (!application.matches("[A-Za-z0-9._-]+")) {
        all.add(
            APPLICATION + ": '" + application + "' may use only letters, digits, '.', '_' and '-'");
      }
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        all.add("bootstrap.servers: required");
      }
      if (registry == null && registryUrls != null) {
        RestSchemaRegistry.Builder rest =
            RestSchemaRegistry.builder(registryUrls.split("\\s*,\\s*"));
        if (bearerToken != null) {
          rest.bearerToken(bearerToken);
        } else if (basicAuthUserInfo != null) {
          try {
            rest.basicAuthUserInfo(basicAuthUserInfo);
          } catch (IllegalArgumentException e) {
            all.add(BASIC_AUTH_USER_INFO + ": " + e.getMessage());
          }
        }
        if (meterRegistry != null) {
          rest.meterRegistry(meterRegistry, application == null ? "mesh" : application);
        }
        registry = rest.build();
        registryLocation =
            io.meshsdk.registry.internal.HttpSchemaRegistry.redact(
                java.net.URI.create(registryUrls.split(",")[0].trim()));
        ownsRegistry = true;
      }
      if (registry == null && all.stream().noneMatch(p -> p.startsWith(SCHEMA_REGISTRY_URL))) {
        all.add(SCHEMA_REGISTRY_URL + ": a schema registry is required");
      }
      if (!all.isEmpty()) {
        throw new MeshConfigurationException("Mesh configuration is invalid", all);
      }
      Map<String, Object> clients = new LinkedHashMap<>(kafka);
      clients.put("bootstrap.servers", bootstrapServers);
      return new DefaultMesh(
          application,
          clients,
          registry,
          registryLocation != null ? registryLocation + "/schemas/ids/" : "urn:mesh:schema:",
          meterRegistry,
          openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.get(),
          governance,
          registration,
          provisioning,
          replicationFactor,
          closeTimeout,
          ownsRegistry,
          clientFactory,
          topicPrefix,
          migrations,
          headerProfile);
    }
  }
}
