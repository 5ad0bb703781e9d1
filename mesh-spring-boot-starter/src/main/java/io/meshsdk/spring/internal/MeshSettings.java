package io.meshsdk.spring.internal;

import io.meshsdk.MeshBuilder;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.spring.boot.MeshProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Turns {@link MeshProperties} and the Spring Kafka properties an application already has into the
 * keys of {@link MeshBuilder#properties(Map)}, which validates them all and names the offending
 * key. Keys of {@code spring.kafka.properties.*} that Mesh SDK sets itself (serializers, {@code
 * interceptor.classes}, {@code client.id}, {@code group.id}, {@code enable.auto.commit}, {@code
 * transactional.id}) are skipped with one INFO line. Order of precedence, lowest first: {@code
 * spring.kafka.properties.*}, {@code spring.kafka.security.*}/{@code ssl.*}/{@code
 * bootstrap-servers}, {@code mesh.kafka.*}, the typed {@code mesh.*} properties.
 *
 * <p>Thread-safety: stateless.
 */
public final class MeshSettings {
  private static final Logger log = LoggerFactory.getLogger(MeshSettings.class);
  private static final Map<String, String> SSL_KEYS = sslKeys();

  /**
   * Kafka keys Mesh SDK sets itself and refuses to take (mesh-sdk's {@code KafkaKeys}, internal
   * there): skipped when they come from {@code spring.kafka.properties}, which Spring Kafka's own
   * clients share, and still refused under {@code mesh.kafka.*}.
   */
  static final Set<String> SDK_OWNED =
      Set.of(
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "enable.auto.commit",
          "group.id",
          "transactional.id",
          "interceptor.classes",
          "client.id");

  private MeshSettings() {}

  /**
   * The mesh's settings.
   *
   * @param properties the bound {@code mesh.*} properties
   * @param environment the environment, for {@code spring.kafka.*} and {@code
   *     spring.application.name}
   * @param resources loads {@code spring.kafka.ssl.*-location} resources
   * @return keys and values for {@link MeshBuilder#properties(Map)}
   * @throws MeshConfigurationException naming the property when a Spring Kafka setting cannot be
   *     used
   */
  public static Map<String, Object> of(
      MeshProperties properties, Environment environment, ResourceLoader resources) {
    Binder binder = Binder.get(environment);
    Map<String, Object> map = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();

    binder
        .bind("spring.kafka.properties", Bindable.mapOf(String.class, String.class))
        .ifBound(
            springKafka -> {
              List<String> skipped = new ArrayList<>();
              springKafka.forEach(
                  (k, v) -> {
                    if (SDK_OWNED.contains(k)) {
                      skipped.add(k);
                    } else {
                      map.put(k, v);
                    }
                  });
              if (!skipped.isEmpty()) {
                log.info(
                    "Mesh SDK ({}) does not take spring.kafka.properties {}: it sets these itself"
                        + " (they still apply to Spring Kafka's clients)",
                    environment.getProperty("spring.application.name", "application"),
                    skipped.stream().sorted().toList());
              }
            });
    binder
        .bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class))
        .ifBound(servers -> map.put("bootstrap.servers", String.join(",", servers)));
    binder
        .bind("spring.kafka.security.protocol", String.class)
        .ifBound(p -> map.put("security.protocol", p));
    if (binder.bind("spring.kafka.ssl.bundle", String.class).isBound()) {
      problems.add(
          "spring.kafka.ssl.bundle: SSL bundles are not supported by Mesh SDK; set"
              + " spring.kafka.ssl.key-store-location/trust-store-location (or"
              + " mesh.kafka.ssl.*) instead");
    }
    SSL_KEYS.forEach(
        (spring, kafka) ->
            binder
                .bind("spring.kafka.ssl." + spring, String.class)
                .ifBound(
                    value -> {
                      if (spring.endsWith("-location")) {
                        String file =
                            file(resources, "spring.kafka.ssl." + spring, value, problems);
                        if (file != null) {
                          map.put(kafka, file);
                        }
                      } else {
                        map.put(kafka, value);
                      }
                    }));

    map.putAll(properties.getKafka());

    String application = properties.getApplication();
    if (application == null) {
      application = environment.getProperty("spring.application.name");
    }
    put(map, MeshBuilder.APPLICATION, application);
    if (!properties.getBootstrapServers().isEmpty()) {
      map.put("bootstrap.servers", String.join(",", properties.getBootstrapServers()));
    }
    MeshProperties.Registry registry = properties.getRegistry();
    put(map, MeshBuilder.SCHEMA_REGISTRY_URL, registry.getUrl());
    put(map, MeshBuilder.BASIC_AUTH_USER_INFO, registry.getBasicAuthUserInfo());
    put(map, MeshBuilder.BEARER_AUTH_TOKEN, registry.getBearerToken());
    put(map, MeshBuilder.REGISTRY_TIMEOUT_MS, millis(registry.getTimeout()));
    put(map, MeshBuilder.REGISTRATION, properties.getRegistration());
    put(map, MeshBuilder.PROVISIONING, properties.getProvisioning());
    put(map, MeshBuilder.HEADERS, properties.getHeaders());
    put(map, MeshBuilder.REPLICATION_FACTOR, properties.getReplicationFactor());
    put(map, MeshBuilder.TOPIC_PREFIX, properties.getTopicPrefix());
    put(map, MeshBuilder.CLOSE_TIMEOUT_MS, millis(properties.getCloseTimeout()));
    put(map, MeshBuilder.STARTUP_TIMEOUT_MS, millis(properties.getStartupTimeout()));
    put(map, MeshBuilder.TOPIC_WAIT_MS, millis(properties.getTopicWait()));
    put(map, MeshBuilder.CONTRACT_LOCK, properties.getContractLock());

    if (!map.containsKey(MeshBuilder.APPLICATION)) {
      problems.add("mesh.application: required; set it or spring.application.name");
    }
    if (!map.containsKey("bootstrap.servers")) {
      problems.add(
          "mesh.bootstrap-servers: required; set it or spring.kafka.bootstrap-servers (no default:"
              + " Mesh SDK does not guess localhost:9092)");
    }
    if (!map.containsKey(MeshBuilder.SCHEMA_REGISTRY_URL)) {
      problems.add(
          "mesh.registry.url: required; set it or spring.kafka.properties.schema.registry.url");
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(
          "Mesh SDK cannot be configured from the Spring environment", problems);
    }
    return map;
  }

  private static void put(Map<String, Object> map, String key, @Nullable Object value) {
    if (value != null) {
      map.put(key, value instanceof Enum<?> e ? e.name() : value.toString());
    }
  }

  private static @Nullable Long millis(@Nullable Duration duration) {
    return duration == null ? null : duration.toMillis();
  }

  private static @Nullable String file(
      ResourceLoader resources, String key, String location, List<String> problems) {
    Resource resource = resources.getResource(location);
    try {
      return resource.getFile().getAbsolutePath();
    } catch (IOException | RuntimeException e) {
      problems.add(
          key
              + ": "
              + location
              + " is not a file on disk (Kafka clients read key and trust stores from files)");
      return null;
    }
  }

  private static Map<String, String> sslKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("key-password", "ssl.key.password");
    keys.put("key-store-certificate-chain", "ssl.keystore.certificate.chain");
    keys.put("key-store-key", "ssl.keystore.key");
    keys.put("key-store-location", "ssl.keystore.location");
    keys.put("key-store-password", "ssl.keystore.password");
    keys.put("key-store-type", "ssl.keystore.type");
    keys.put("trust-store-certificates", "ssl.truststore.certificates");
    keys.put("trust-store-location", "ssl.truststore.location");
    keys.put("trust-store-password", "ssl.truststore.password");
    keys.put("trust-store-type", "ssl.truststore.type");
    keys.put("protocol", "ssl.protocol");
    return Map.copyOf(keys);
  }
}
