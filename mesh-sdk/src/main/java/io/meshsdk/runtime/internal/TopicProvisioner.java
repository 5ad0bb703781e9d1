package io.meshsdk.runtime.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.errors.MeshException;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.runtime.ProvisioningMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
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
  private static final long TIMEOUT_SECONDS = 30;

  private final ProvisioningMode mode;
  private final KafkaClientFactory clients;
  private final Map<String, Object> kafka;
  private final @Nullable Short replicationFactor;
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private @Nullable Admin admin;

  public TopicProvisioner(
      ProvisioningMode mode,
      Map<String, Object> kafka,
      @Nullable Short replicationFactor,
      KafkaClientFactory clients) {
    this.mode = mode;
    this.clients = clients;
    this.kafka = Map.copyOf(kafka);
    this.replicationFactor = replicationFactor;
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
    try {
      Set<String> created = Set.of();
      if (mode == ProvisioningMode.CREATE_IF_MISSING) {
        created = create(todo);
      }
      verify(todo, mode == ProvisioningMode.VERIFY, created);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while provisioning topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new MeshException("cannot provision topics " + names(todo) + ": " + e.getCause(), e) {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isRetriable() {
          return true;
        }
      };
    }
    for (TopicSpec s : todo) {
      done.add(s.name());
    }
  }

  /** Creates the missing topics; returns those created now. */
  private Set<String> create(List<TopicSpec> specs)
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
        e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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

  private void verify(List<TopicSpec> specs, boolean strict, Set<String> created)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> problems = new ArrayList<>();
    Map<String, TopicDescription> descriptions = new HashMap<>();
    var described = admin().describeTopics(names(specs)).topicNameValues();
    for (TopicSpec s : specs) {
      try {
        descriptions.put(s.name(), described.get(s.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
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
            : admin().describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
      for (String p : problems) {
        LOG.warn("{}", p);
      }
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = clients.admin(kafka);
    }
    return admin;
  }

  private static List<String> names(List<TopicSpec> specs) {
    return specs.stream().map(TopicSpec::name).toList();
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(5));
      admin = null;
    }
  }
}
