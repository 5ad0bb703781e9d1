package io.meshsdk.spring.actuate;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.spring.internal.BrokerProbe;
import io.meshsdk.spring.listener.MeshListeners;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The mesh's health: the broker reachable (it lists the cluster's nodes), the schema registry
 * reachable (it lists its subjects), and each {@code @MeshListener} consumer's state. {@code DOWN}
 * when the broker or the registry does not answer within the timeout, or a consumer {@code FAILED}
 * (its reason in the details); {@code UP} otherwise, consumers waiting for their topic or the
 * registry included (they resume on their own). Messages name topics and groups, never payloads or
 * credentials.
 *
 * <p>Thread-safety: thread-safe; each check calls the broker and the registry once.
 */
public final class MeshHealthIndicator implements HealthIndicator {
  private final Mesh mesh;
  private final MeshListeners listeners;
  private final BrokerProbe broker;
  private final Duration timeout;

  MeshHealthIndicator(Mesh mesh, MeshListeners listeners, BrokerProbe broker, Duration timeout) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public Health health() {
    boolean up = true;
    Health.Builder health = Health.unknown().withDetail("application", mesh.application());
    try {
      health.withDetail("broker", Map.of("status", "UP", "nodes", broker.nodes(timeout)));
    } catch (Exception e) {
      up = false;
      health.withDetail("broker", Map.of("status", "DOWN", "error", describe(e)));
    }
    try {
      int subjects = mesh.schemaRegistry().subjects().size();
      health.withDetail("registry", Map.of("status", "UP", "subjects", subjects));
    } catch (RuntimeException e) {
      up = false;
      health.withDetail("registry", Map.of("status", "DOWN", "error", describe(e)));
    }
    Map<String, Object> consumers = new LinkedHashMap<>();
    for (MeshListeners.Listener listener : listeners.listeners()) {
      MeshConsumer.State state = listener.state();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("state", state.name());
      detail.put("group", listener.group());
      detail.put("topic", listener.topic());
      if (state == MeshConsumer.State.FAILED) {
        up = false;
        listener.failure().ifPresent(f -> detail.put("error", describe(f)));
      }
      consumers.put(listener.id(), detail);
    }
    health.withDetail("consumers", consumers);
    return (up ? health.up() : health.down()).build();
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
