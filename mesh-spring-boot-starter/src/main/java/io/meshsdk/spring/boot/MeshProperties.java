package io.meshsdk.spring.boot;

import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.runtime.ProvisioningMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code mesh.*} properties of a Spring Boot application, bound by {@link
 * MeshAutoConfiguration} into the settings of one {@link io.meshsdk.Mesh}. Every setting left unset
 * falls back to the Spring Kafka property that means the same ({@code
 * spring.kafka.bootstrap-servers}, {@code spring.kafka.security.*}, {@code spring.kafka.ssl.*},
 * {@code spring.kafka.properties.*}) and then to Mesh SDK's own default (docs/runtime.md,
 * configuration reference); the mesh validates them all when it is built and names the offending
 * key. Keys under {@code mesh.} that this class does not know fail the start.
 *
 * <p>Thread-safety: a Spring-bound JavaBean; read it, do not change it after the context started.
 */
@ConfigurationProperties(prefix = "mesh", ignoreUnknownFields = false)
public class MeshProperties {
  /** Application id (letters, digits, '.', '_', '-'); default spring.application.name. */
  private @Nullable String application;

  /** Kafka bootstrap servers, host:port; default spring.kafka.bootstrap-servers. */
  private List<String> bootstrapServers = new ArrayList<>();

  /** The schema registry. */
  private final Registry registry = new Registry();

  /**
   * AUTO_REGISTER registers the derived schema; VERIFY requires it to be registered (default
   * AUTO_REGISTER).
   */
  private @Nullable RegistrationMode registration;

  /**
   * CREATE_IF_MISSING, VERIFY (fail listing every mismatch) or NONE: what the SDK does with product
   * topics (default CREATE_IF_MISSING).
   */
  private @Nullable ProvisioningMode provisioning;

  /** FULL or COMPACT: which CloudEvents headers producers write (default FULL). */
  private @Nullable HeaderProfile headers;

  /** Replication factor of topics the SDK creates (default: the broker's). */
  private @Nullable Integer replicationFactor;

  /** Prefix of every topic derived from a contract, dead-letter topics included (default none). */
  private @Nullable String topicPrefix;

  /** How long closing one client may take (default 30s). */
  private @Nullable Duration closeTimeout;

  /** How long creating a producer or consumer may wait for the broker (default 15s). */
  private @Nullable Duration startupTimeout;

  /** How long a consumer started before its topic exists waits for it (default 2m). */
  private @Nullable Duration topicWait;

  /** The contract lock: classpath, a file path, or none (default classpath). */
  private @Nullable String contractLock;

  /**
   * Kafka client properties passed to the clients that know them; they win over
   * spring.kafka.properties.
   */
  private Map<String, String> kafka = new LinkedHashMap<>();

  /** Settings of @MeshListener consumers. */
  private final Listener listener = new Listener();

  /** Settings of the actuator's health check. */
  private final Health health = new Health();

  /** Settings of @AutoConfigureTestMesh. */
  private final Test test = new Test();

  /** Creates the properties with nothing set. */
  public MeshProperties() {}

  /**
   * The application id ({@code mesh.application}); default {@code spring.application.name}.
   *
   * @return the id, or null when unset
   */
  public @Nullable String getApplication() {
    return application;
  }

  /**
   * Sets the application id: letters, digits, {@code .}, {@code _}, {@code -}.
   *
   * @param application the id
   */
  public void setApplication(@Nullable String application) {
    this.application = application;
  }

  /**
   * Kafka bootstrap servers, {@code host:port}; default {@code spring.kafka.bootstrap-servers}.
   *
   * @return the servers, empty when unset
   */
  public List<String> getBootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Sets the bootstrap servers.
   *
   * @param bootstrapServers {@code host:port} entries
   */
  public void setBootstrapServers(List<String> bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * The schema registry settings ({@code mesh.registry.*}).
   *
   * @return the registry settings
   */
  public Registry getRegistry() {
    return registry;
  }

  /**
   * Whether producers register their schema or only verify it is registered.
   *
   * @return the mode, or null for the SDK's default ({@code AUTO_REGISTER})
   */
  public @Nullable RegistrationMode getRegistration() {
    return registration;
  }

  /**
   * Sets the registration mode.
   *
   * @param registration the mode
   */
  public void setRegistration(@Nullable RegistrationMode registration) {
    this.registration = registration;
  }

  /**
   * Whether the SDK creates, verifies or leaves alone the topics of products.
   *
   * @return the mode, or null for the SDK's default ({@code CREATE_IF_MISSING})
   */
  public @Nullable ProvisioningMode getProvisioning() {
    return provisioning;
  }

  /**
   * Sets the provisioning mode.
   *
   * @param provisioning the mode
   */
  public void setProvisioning(@Nullable ProvisioningMode provisioning) {
    this.provisioning = provisioning;
  }

  /**
   * Which CloudEvents headers producers write.
   *
   * @return the profile, or null for the SDK's default ({@code FULL})
   */
  public @Nullable HeaderProfile getHeaders() {
    return headers;
  }

  /**
   * Sets the header profile.
   *
   * @param headers the profile
   */
  public void setHeaders(@Nullable HeaderProfile headers) {
    this.headers = headers;
  }

  /**
   * Replication factor of the topics the SDK creates.
   *
   * @return the factor, or null for the broker's default
   */
  public @Nullable Integer getReplicationFactor() {
    return replicationFactor;
  }

  /**
   * Sets the replication factor.
   *
   * @param replicationFactor positive
   */
  public void setReplicationFactor(@Nullable Integer replicationFactor) {
    this.replicationFactor = replicationFactor;
  }

  /**
   * Prefix of every topic derived from a contract (environments sharing a cluster).
   *
   * @return the prefix, or null for none
   */
  public @Nullable String getTopicPrefix() {
    return topicPrefix;
  }

  /**
   * Sets the topic prefix.
   *
   * @param topicPrefix the prefix
   */
  public void setTopicPrefix(@Nullable String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  /**
   * How long closing one client may take.
   *
   * @return the timeout, or null for the SDK's default (30 s)
   */
  public @Nullable Duration getCloseTimeout() {
    return closeTimeout;
  }

  /**
   * Sets the close timeout.
   *
   * @param closeTimeout positive
   */
  public void setCloseTimeout(@Nullable Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  /**
   * How long creating a producer or consumer may wait for the broker.
   *
   * @return the timeout, or null for the SDK's default (15 s)
   */
  public @Nullable Duration getStartupTimeout() {
    return startupTimeout;
  }

  /**
   * Sets the startup timeout.
   *
   * @param startupTimeout positive
   */
  public void setStartupTimeout(@Nullable Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  /**
   * How long a consumer started before its topic exists waits for it.
   *
   * @return the wait, or null for the SDK's default (120 s)
   */
  public @Nullable Duration getTopicWait() {
    return topicWait;
  }

  /**
   * Sets the topic wait.
   *
   * @param topicWait positive
   */
  public void setTopicWait(@Nullable Duration topicWait) {
    this.topicWait = topicWait;
  }

  /**
   * The contract lock: {@code classpath}, a file path or {@code none}.
   *
   * @return the lock, or null for the SDK's default ({@code classpath})
   */
  public @Nullable String getContractLock() {
    return contractLock;
  }

  /**
   * Sets the contract lock.
   *
   * @param contractLock {@code classpath}, a file path or {@code none}
   */
  public void setContractLock(@Nullable String contractLock) {
    this.contractLock = contractLock;
  }

  /**
   * Kafka client properties passed through to the clients that know them ({@code
   * mesh.kafka.acks=all}); they win over {@code spring.kafka.properties.*}.
   *
   * @return the properties, empty when none
   */
  public Map<String, String> getKafka() {
    return kafka;
  }

  /**
   * Sets the Kafka client properties.
   *
   * @param kafka Kafka keys and values
   */
  public void setKafka(Map<String, String> kafka) {
    this.kafka = kafka;
  }

  /**
   * Settings of {@code @MeshListener} consumers ({@code mesh.listener.*}).
   *
   * @return the listener settings
   */
  public Listener getListener() {
    return listener;
  }

  /**
   * Settings of the actuator's health check ({@code mesh.health.*}).
   *
   * @return the health settings
   */
  public Health getHealth() {
    return health;
  }

  /**
   * Settings of {@code @AutoConfigureTestMesh} ({@code mesh.test.*}).
   *
   * @return the test settings
   */
  public Test getTest() {
    return test;
  }

  /** The schema registry ({@code mesh.registry.*}). */
  public static class Registry {
    /**
     * Comma-separated http(s) URLs of a Confluent-compatible registry, or mock://name for an
     * in-memory one; default spring.kafka.properties.schema.registry.url.
     */
    private @Nullable String url;

    /** Registry basic auth user:password; default spring.kafka.properties.basic.auth.user.info. */
    private @Nullable String basicAuthUserInfo;

    /** A static registry bearer token; default spring.kafka.properties.bearer.auth.token. */
    private @Nullable String bearerToken;

    /** How long one registry call may take in all, retries and failover included (default 10s). */
    private @Nullable Duration timeout;

    /** Creates the settings with nothing set. */
    public Registry() {}

    /**
     * Comma-separated http(s) URLs of a Confluent-compatible registry, or {@code mock://name} for
     * an in-memory one; default {@code spring.kafka.properties.schema.registry.url}.
     *
     * @return the URL, or null when unset
     */
    public @Nullable String getUrl() {
      return url;
    }

    /**
     * Sets the registry URL.
     *
     * @param url the URL(s)
     */
    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    /**
     * Basic auth {@code user:password}; default {@code
     * spring.kafka.properties.basic.auth.user.info}.
     *
     * @return the user info, or null when unset
     */
    public @Nullable String getBasicAuthUserInfo() {
      return basicAuthUserInfo;
    }

    /**
     * Sets basic auth.
     *
     * @param basicAuthUserInfo {@code user:password}
     */
    public void setBasicAuthUserInfo(@Nullable String basicAuthUserInfo) {
      this.basicAuthUserInfo = basicAuthUserInfo;
    }

    /**
     * A static bearer token; default {@code spring.kafka.properties.bearer.auth.token}.
     *
     * @return the token, or null when unset
     */
    public @Nullable String getBearerToken() {
      return bearerToken;
    }

    /**
     * Sets the bearer token.
     *
     * @param bearerToken the token
     */
    public void setBearerToken(@Nullable String bearerToken) {
      this.bearerToken = bearerToken;
    }

    /**
     * How long one registry call may take in all, retries and failover included.
     *
     * @return the timeout, or null for the SDK's default (10 s)
     */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the registry timeout.
     *
     * @param timeout positive
     */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** Settings of {@code @MeshListener} consumers ({@code mesh.listener.*}). */
  public static class Listener {
    /**
     * Whether @MeshListener consumers start with the context; a listener's own autoStartup wins.
     */
    private boolean autoStartup = true;

    /**
     * How long stopping the context waits for all listeners together to finish their in-flight
     * records; they close in parallel.
     */
    private Duration stopTimeout = Duration.ofSeconds(30);

    /** Creates the settings with their defaults. */
    public Listener() {}

    /**
     * Whether listeners start with the context (default true); a listener's own {@code autoStartup}
     * attribute wins.
     *
     * @return whether they start
     */
    public boolean isAutoStartup() {
      return autoStartup;
    }

    /**
     * Sets whether listeners start with the context.
     *
     * @param autoStartup whether they start
     */
    public void setAutoStartup(boolean autoStartup) {
      this.autoStartup = autoStartup;
    }

    /**
     * How long stopping the context waits for all listeners together to finish their in-flight
     * records (default 30 s); they close in parallel, and one still closing then is left to finish
     * within {@code mesh.close-timeout}.
     *
     * @return the timeout
     */
    public Duration getStopTimeout() {
      return stopTimeout;
    }

    /**
     * Sets the stop timeout.
     *
     * @param stopTimeout positive
     */
    public void setStopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
    }
  }

  /** Settings of the actuator's health check ({@code mesh.health.*}). */
  public static class Health {
    /** How long one health check waits for the broker and the registry together. */
    private Duration timeout = Duration.ofSeconds(5);

    /** Creates the settings with their defaults. */
    public Health() {}

    /**
     * How long one health check waits for the broker and the registry, asked in parallel under this
     * one deadline (default 5 s).
     *
     * @return the timeout
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the health check's timeout.
     *
     * @param timeout positive
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** Settings of {@code @AutoConfigureTestMesh} ({@code mesh.test.*}). */
  public static class Test {
    /** Where the test mesh's Kafka runs: in-memory or embedded (mesh-sdk-testkit-broker). */
    private TestBroker broker = TestBroker.IN_MEMORY;

    /** Creates the settings with their defaults. */
    public Test() {}

    /**
     * Where the test mesh's Kafka runs (default in memory).
     *
     * @return the broker
     */
    public TestBroker getBroker() {
      return broker;
    }

    /**
     * Sets where the test mesh's Kafka runs.
     *
     * @param broker the broker
     */
    public void setBroker(TestBroker broker) {
      this.broker = broker;
    }
  }

  /** Where the Kafka of a {@code @AutoConfigureTestMesh} test runs. */
  public enum TestBroker {
    /** The testkit's in-memory Kafka (milliseconds). */
    IN_MEMORY,
    /** The KRaft broker in the test JVM ({@code mesh-sdk-testkit-broker} on the class path). */
    EMBEDDED
  }
}
