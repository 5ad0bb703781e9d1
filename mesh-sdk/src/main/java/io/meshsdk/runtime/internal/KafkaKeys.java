package io.meshsdk.runtime.internal;

import io.meshsdk.errors.MeshConfigurationException;
import java.util.Objects;
import java.util.Set;

/** Kafka client properties the SDK owns and refuses to take from the application. */
public final class KafkaKeys {
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
}
