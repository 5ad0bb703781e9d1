package io.meshsdk.runtime.internal;

import io.meshsdk.errors.MeshConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client properties: those the SDK owns and refuses to take from the application, and the
 * checks of the rest against Kafka's own definitions (so a typo or a bad value is reported when the
 * mesh is built, not when the first client starts or never).
 */
public final class KafkaKeys {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaKeys.class);

  /** Keys of Kafka's producer, consumer and admin client. */
  public static final Set<String> PRODUCER = ProducerConfig.configNames();

  public static final Set<String> CONSUMER = ConsumerConfig.configNames();

  public static final Set<String> ADMIN = AdminClientConfig.configNames();

  private static final Set<String> OWNED =
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

  private KafkaKeys() {}

  /** Refuses a key the SDK sets itself, with the reason. */
  public static void requirePassable(String key) {
    Objects.requireNonNull(key, "key");
    if (OWNED.contains(key)) {
      throw new MeshConfigurationException(
          "Kafka property '"
              + key
              + "' is set by Mesh SDK and cannot be passed through"
              + (key.equals("group.id") ? "; use .group(...) on the consumer" : "")
              + (key.endsWith("serializer") ? "; Mesh SDK serializes products itself" : ""));
    }
  }

  /**
   * Whether a client of this kind takes the key: it is one of its keys, or a security key ({@code
   * ssl.}, {@code sasl.}, {@code security.}) that plugins may extend.
   */
  public static boolean knownTo(Set<String> client, String key) {
    return client.contains(key)
        || key.startsWith("ssl.")
        || key.startsWith("sasl.")
        || key.startsWith("security.");
  }

  /**
   * Checks bootstrap servers: a comma-separated list of {@code host:port}, without a scheme.
   *
   * @return the problems, empty when the value is well-formed
   */
  public static List<String> checkBootstrapServers(String servers) {
    List<String> problems = new ArrayList<>();
    for (String part : servers.split(",", -1)) {
      String address = part.trim();
      String problem = null;
      if (address.isEmpty()) {
        problem = "an empty entry";
      } else if (address.contains("://")) {
        problem = "'" + address + "' has a scheme; give host:port";
      } else if (address.chars().anyMatch(Character::isWhitespace)) {
        problem = "'" + address + "' contains a space";
      } else {
        String host = Utils.getHost(address);
        Integer port = Utils.getPort(address);
        if (host == null || host.isEmpty() || port == null) {
          problem = "'" + address + "' is not host:port";
        } else if (port < 1 || port > 65535) {
          problem = "'" + address + "' has port " + port + ", outside 1-65535";
        }
      }
      if (problem != null) {
        problems.add("bootstrap.servers: " + problem);
      }
    }
    return problems;
  }

  /**
   * Checks the values of the keys each Kafka client knows with that client's own definition (types,
   * ranges, valid strings). Values of password keys never appear in the problems.
   *
   * @param kafka bootstrap servers and passthrough properties
   * @return the problems, empty when every known value is valid
   */
  public static List<String> checkValues(Map<String, Object> kafka) {
    Set<String> problems = new TreeSet<>();
    check(ProducerConfig.configDef(), PRODUCER, kafka, producerDefaults(), problems);
    check(ConsumerConfig.configDef(), CONSUMER, kafka, consumerDefaults(), problems);
    check(AdminClientConfig.configDef(), ADMIN, kafka, Map.of(), problems);
    return new ArrayList<>(problems);
  }

  private static Map<String, Object> producerDefaults() {
    return Map.of(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
  }

  private static Map<String, Object> consumerDefaults() {
    return Map.of(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
  }

  private static void check(
      ConfigDef def,
      Set<String> names,
      Map<String, Object> kafka,
      Map<String, Object> required,
      Set<String> problems) {
    Map<String, Object> known = new HashMap<>(required);
    for (Map.Entry<String, Object> e : kafka.entrySet()) {
      if (names.contains(e.getKey())) {
        known.put(e.getKey(), e.getValue());
      }
    }
    // one key at a time, so that every bad value is reported, not only the first
    for (String key : known.keySet()) {
      if (required.containsKey(key) || key.equals("bootstrap.servers")) {
        continue; // bootstrap servers have their own check, with clearer messages
      }
      // known holds the definition's names only
      ConfigDef.ConfigKey definition = Objects.requireNonNull(def.configKeys().get(key), key);
      try {
        Object parsed = ConfigDef.parseType(key, known.get(key), definition.type);
        if (definition.validator != null) {
          definition.validator.ensureValid(key, parsed);
        }
      } catch (ConfigException e) {
        problems.add(
            key
                + ": "
                + (definition.type == ConfigDef.Type.PASSWORD
                    ? "invalid value (a password; not shown)"
                    : e.getMessage()));
      }
    }
  }

  /**
   * Logs, once, the passthrough keys that no Kafka client knows: they would be passed to none.
   *
   * @param keys the passthrough keys
   */
  public static void reportUnknown(Set<String> keys) {
    Set<String> unknown = new TreeSet<>();
    for (String key : keys) {
      if (!knownTo(PRODUCER, key) && !knownTo(CONSUMER, key) && !knownTo(ADMIN, key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      LOG.warn(
          "Kafka properties {} are not known to Kafka's producer, consumer or admin client and are"
              + " passed to none of them; check their spelling",
          unknown);
    }
  }

  /**
   * Logs, once per call, the keys given to one client that it does not know.
   *
   * @param client {@code producer}, {@code consumer} or {@code admin}
   * @param names the keys the client knows
   * @param keys the keys given for it alone
   * @param owner who was given them, for the message
   */
  public static void reportUnknown(
      String client, Set<String> names, Set<String> keys, String owner) {
    Set<String> unknown = new TreeSet<>();
    for (String key : keys) {
      if (!knownTo(names, key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      LOG.warn(
          "{}: Kafka properties {} are not known to Kafka's {} and are ignored; check their"
              + " spelling",
          owner,
          unknown,
          client);
    }
  }
}
