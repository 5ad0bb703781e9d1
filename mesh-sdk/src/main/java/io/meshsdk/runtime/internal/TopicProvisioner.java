package io.meshsdk.runtime.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.errors.BrokerUnavailableException;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.errors.MeshException;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or verifies the topics of products and their dead-letter topics with the Kafka admin
 * client: partitions and retention from the contract, {@code cleanup.policy=compact} for {@code
 * STATE} products. Each topic is handled once per {@code Mesh}.
 */
public final class TopicProvisioner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private final ProvisioningMode mode;
  private final KafkaClientFactory clients;
  private final Map<String, Object> kafka;
  private final @Nullable Short replicationFactor;
  private final Duration timeout;
  private final Duration closeTimeout;
  private final Telemetry telemetry;
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private @Nullable Admin admin;

  /**
   * A provisioner.
   *
   * @param mode the provisioning mode
   * @param kafka the mesh's Kafka properties; the admin client gets those it knows
   * @param replicationFactor of created topics, or null for the broker's
   * @param clients creates the admin client
   * @param timeout how long one provisioning (every admin call of it) may take
   * @param closeTimeout how long closing the admin client may take
   * @param telemetry where mismatches of existing topics are counted
   */
  public TopicProvisioner(
      ProvisioningMode mode,
      Map<String, Object> kafka,
      @Nullable Short replicationFactor,
      KafkaClientFactory clients,
      Duration timeout,
      Duration closeTimeout,
      Telemetry telemetry) {
    this.telemetry = telemetry;
    this.mode = mode;
    this.clients = clients;
    Map<String, Object> config = new HashMap<>();
    for (Map.Entry<String, Object> e : kafka.entrySet()) {
      if (KafkaKeys.knownTo(KafkaKeys.ADMIN, e.getKey())) {
        config.put(e.getKey(), e.getValue());
      }
    }
    // each admin call gives up in time, so that the whole provisioning fits its deadline
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.putIfAbsent("default.api.timeout.ms", ms);
    config.putIfAbsent("request.timeout.ms", Math.min(ms, 30_000));
    this.kafka = Map.copyOf(config);
    this.replicationFactor = replicationFactor;
    this.timeout = timeout;
    this.closeTimeout = closeTimeout;
  }

  /** The wanted shape of a topic. */
  public record TopicSpec(
      String name, int partitions, @Nullable String cleanupPolicy, @Nullable Duration retention) {}

  /** The spec of a product's topic. */
  public static TopicSpec specOf(ProductContract<?> contract, String topic) {
    return new TopicSpec(
        topic,
        contract.partitions(),
        contract.kind() == ProductKind.STATE
            ? TopicConfig.CLEANUP_POLICY_COMPACT
            : TopicConfig.CLEANUP_POLICY_DELETE,
        contract.retention().orElse(null));
  }

  /** How long dead letters are kept: long enough to outlive the fix of what caused them. */
  public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

  /** The provisioning mode. */
  public ProvisioningMode mode() {
    return mode;
  }

  /**
   * The spec of a dead-letter topic: as many partitions as the topic it serves (its records keep
   * their keys, so they spread the same way), {@code cleanup.policy=delete}, and {@link
   * #DEAD_LETTER_RETENTION}.
   *
   * @param deadLetterTopic the dead-letter topic
   * @param source the topic whose dead letters it holds
   * @return the spec
   * @throws io.meshsdk.errors.BrokerUnavailableException if the source topic cannot be described
   */
  public TopicSpec deadLetterSpec(String deadLetterTopic, String source) {
    int partitions;
    try {
      // the admin client answers for every topic asked about
      partitions =
          Objects.requireNonNull(
                  admin().describeTopics(List.of(source)).topicNameValues().get(source), source)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .partitions()
              .size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while describing " + source, e);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      throw new BrokerUnavailableException(
          "cannot describe " + source + " at " + kafka.get("bootstrap.servers") + ": " + e, e);
    }
    return new TopicSpec(
        deadLetterTopic, partitions, TopicConfig.CLEANUP_POLICY_DELETE, DEAD_LETTER_RETENTION);
  }

  /** Provisions topics according to the mode. */
  public void provision(List<TopicSpec> specs) {
    if (mode == ProvisioningMode.NONE) {
      return;
    }
    List<TopicSpec> todo = new ArrayList<>();
    for (TopicSpec s : specs) {
      if (!done.contains(s.name())) {
        todo.add(s);
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Set<String> created = Set.of();
      if (mode == ProvisioningMode.CREATE_IF_MISSING) {
        created = create(todo, deadline);
        awaitLeaders(created, deadline);
      }
      verify(todo, mode == ProvisioningMode.VERIFY, created, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while provisioning topics " + names(todo), e);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof org.apache.kafka.common.errors.AuthorizationException
          || cause instanceof org.apache.kafka.common.errors.InvalidTopicException
          || cause instanceof org.apache.kafka.common.errors.InvalidConfigurationException
          || cause instanceof org.apache.kafka.common.errors.InvalidReplicationFactorException
          || cause instanceof org.apache.kafka.common.errors.PolicyViolationException) {
        throw new MeshConfigurationException(
            "the Kafka cluster at "
                + kafka.get("bootstrap.servers")
                + " refused to "
                + (mode == ProvisioningMode.CREATE_IF_MISSING ? "create or verify" : "verify")
                + " topics "
                + names(todo)
                + ": "
                + cause.getClass().getSimpleName()
                + ": "
                + cause.getMessage());
      }
      throw new BrokerUnavailableException(
          "cannot reach Kafka at "
              + kafka.get("bootstrap.servers")
              + " to "
              + (mode == ProvisioningMode.CREATE_IF_MISSING ? "create or verify" : "verify")
              + " topics "
              + names(todo)
              + " within "
              + timeout.toMillis()
              + " ms (mesh.startup.timeout.ms): "
              + (cause instanceof TimeoutException
                  ? "no answer in time"
                  : cause.getClass().getSimpleName()
                      + (cause.getMessage() == null ? "" : ": " + cause.getMessage())),
          cause);
    }
    for (TopicSpec s : todo) {
      done.add(s.name());
    }
  }

  /** Creates the missing topics; returns those created now. */
  private static long left(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  private Set<String> create(List<TopicSpec> specs, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> created = new java.util.HashSet<>();
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec s : specs) {
      NewTopic t =
          new NewTopic(
              s.name(),
              s.partitions() > 0 ? Optional.of(s.partitions()) : Optional.empty(),
              Optional.ofNullable(replicationFactor));
      Map<String, String> configs = new HashMap<>();
      if (s.cleanupPolicy() != null) {
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, s.cleanupPolicy());
      }
      if (s.retention() != null) {
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(s.retention().toMillis()));
      }
      topics.add(t.configs(configs));
    }
    var results = admin().createTopics(topics).values();
    for (var e : results.entrySet()) {
      try {
        e.getValue().get(left(deadline), TimeUnit.MILLISECONDS);
        created.add(e.getKey());
        LOG.info("created topic {}", e.getKey());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw ex;
        }
      }
    }
    return created;
  }

  /**
   * Waits until every partition of the topics just created has a leader the cluster's metadata
   * shows. An idempotent producer that sends to a partition the leader has not opened yet can lose
   * a batch for good: the first request fails with NOT_LEADER_OR_FOLLOWER, a later one is appended,
   * and every retry of the first then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until {@code
   * delivery.timeout.ms} (KAFKA-15591, fixed in brokers after 4.4). Bounded by the provisioning
   * deadline; when it passes, producing goes on and Kafka's retries take over.
   */
  private void awaitLeaders(Set<String> created, long deadline)
      throws InterruptedException, ExecutionException {
    if (created.isEmpty()) {
      return;
    }
    long pauseMillis = 10;
    while (true) {
      boolean ready = true;
      try {
        for (TopicDescription d :
            admin()
                .describeTopics(created)
                .allTopicNames()
                .get(left(deadline), TimeUnit.MILLISECONDS)
                .values()) {
          ready &=
              !d.partitions().isEmpty()
                  && d.partitions().stream()
                      .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        ready = false; // created, not yet in the metadata this broker serves
      } catch (TimeoutException e) {
        ready = false;
      }
      if (ready) {
        return;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        LOG.warn(
            "topics {} were created but not every partition had a leader within the start-up"
                + " time-out; producing goes on",
            created);
        return;
      }
      Thread.sleep(Math.min(pauseMillis, left)); // polling the cluster's metadata, not a test
      pauseMillis = Math.min(pauseMillis * 2, 200);
    }
  }

  private void verify(List<TopicSpec> specs, boolean strict, Set<String> created, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> problems = new ArrayList<>();
    Map<String, TopicDescription> descriptions = new HashMap<>();
    var described = admin().describeTopics(names(specs)).topicNameValues();
    for (TopicSpec s : specs) {
      try {
        descriptions.put(
            s.name(),
            Objects.requireNonNull(described.get(s.name()), s.name())
                .get(left(deadline), TimeUnit.MILLISECONDS));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          if (!created.contains(s.name())) { // a topic created just now may not be visible yet
            problems.add("topic " + s.name() + " does not exist");
          }
        } else {
          throw e;
        }
      }
    }
    List<ConfigResource> resources = new ArrayList<>();
    for (String name : descriptions.keySet()) {
      resources.add(new ConfigResource(ConfigResource.Type.TOPIC, name));
    }
    Map<ConfigResource, Config> configs =
        resources.isEmpty()
            ? Map.of()
            : admin().describeConfigs(resources).all().get(left(deadline), TimeUnit.MILLISECONDS);
    for (TopicSpec s : specs) {
      TopicDescription d = descriptions.get(s.name());
      if (d == null) {
        continue;
      }
      if (s.partitions() > 0 && d.partitions().size() != s.partitions()) {
        problems.add(
            "topic "
                + s.name()
                + " has "
                + d.partitions().size()
                + " partitions, the contract says "
                + s.partitions());
      }
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, s.name()));
      if (config != null && s.cleanupPolicy() != null) {
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy != null && !policy.value().contains(s.cleanupPolicy())) {
          problems.add(
              "topic "
                  + s.name()
                  + " has cleanup.policy="
                  + policy.value()
                  + ", the contract needs "
                  + s.cleanupPolicy());
        }
      }
      if (config != null && s.retention() != null) {
        ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
        if (retention != null
            && !retention.value().equals(Long.toString(s.retention().toMillis()))) {
          problems.add(
              "topic "
                  + s.name()
                  + " has retention.ms="
                  + retention.value()
                  + ", the contract says "
                  + s.retention().toMillis());
        }
      }
    }
    if (!problems.isEmpty()) {
      if (strict) {
        throw new MeshConfigurationException(
            "topics do not match their contracts (provisioning mode VERIFY)", problems);
      }
      // CREATE_IF_MISSING does not change an existing topic, but reports each mismatch
      for (String p : problems) {
        LOG.warn("{} (provisioning mode CREATE_IF_MISSING leaves existing topics as they are)", p);
        String topic = p.substring("topic ".length(), p.indexOf(' ', "topic ".length()));
        Telemetry.safely(
            () ->
                Counter.builder(MeshMetrics.TOPIC_MISMATCHES)
                    .tag(MeshMetrics.TAG_TOPIC, topic)
                    .register(telemetry.meters())
                    .increment());
      }
    }
  }

  /**
   * A topic's {@code max.message.bytes} as the broker reports it (its own setting or the broker's
   * default).
   *
   * @param topic the topic
   * @return the limit, or empty when the broker cannot say (unreachable, not authorized)
   */
  public java.util.OptionalInt maxMessageBytes(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config =
          admin()
              .describeConfigs(List.of(resource))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
      ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (entry != null && entry.value() != null) {
        return java.util.OptionalInt.of(Integer.parseInt(entry.value()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("cannot read max.message.bytes of {}: {}", topic, e.toString());
    }
    return java.util.OptionalInt.empty();
  }

  /**
   * Reads configurations of a (share) group: its own values or the broker's defaults, each with its
   * source.
   *
   * @return the entries found, with a value; empty when the group's configuration cannot be read
   *     (no permission, an older broker), which the caller reports
   */
  public Map<String, ConfigEntry> groupConfig(String group, Collection<String> keys) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    Map<String, ConfigEntry> found = new HashMap<>();
    try {
      Config config =
          admin()
              .describeConfigs(List.of(resource))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
      for (String key : keys) {
        ConfigEntry e = config == null ? null : config.get(key);
        if (e != null && e.value() != null) {
          found.put(key, e);
        }
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("cannot read the configuration of group {}: {}", group, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return found;
  }

  /**
   * Sets one configuration of a (share) group.
   *
   * @return whether it was set; a refusal is logged as a warning naming the key
   */
  public boolean setGroupConfig(String group, String key, String value) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    try {
      admin()
          .incrementalAlterConfigs(
              Map.of(
                  resource,
                  List.of(
                      new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
          .all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("group {}: set {}={}", group, key, value);
      return true;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn(
          "group {}: cannot set {}={} ({}); the group's own setting applies",
          group,
          key,
          value,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = Clients.create("admin client", kafka, () -> clients.admin(kafka));
    }
    return admin;
  }

  private static List<String> names(List<TopicSpec> specs) {
    return specs.stream().map(TopicSpec::name).toList();
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      try {
        admin.close(closeTimeout);
      } catch (RuntimeException e) {
        LOG.warn("closing the admin client failed: {}", e.toString());
      }
      admin = null;
    }
  }
}
