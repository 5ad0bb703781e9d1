package io.meshsdk.spring.actuate;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.errors.MeshException;
import io.meshsdk.spring.internal.BrokerProbe;
import io.meshsdk.spring.listener.MeshListeners;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The mesh's health: the broker reachable (it lists the cluster's nodes), the schema registry
 * reachable (it reads the global compatibility mode, one small call), and each
 * {@code @MeshListener} consumer's state. The broker and the registry are asked in parallel under
 * one deadline, {@code mesh.health.timeout}; a call still unanswered at the next check is waited
 * for again rather than repeated, so a hung broker or registry never piles up calls. {@code DOWN}
 * when the broker or the registry does not answer within the timeout, or a consumer {@code FAILED};
 * {@code UP} otherwise, consumers waiting for their topic or the registry included (they resume on
 * their own).
 *
 * <p>Errors show the exception's class only, and the message of Mesh SDK's own exceptions (which
 * name products, topics and schema ids, never payload values): a handler's exception message may
 * carry values of the record, so it stays in the logs.
 *
 * <p>The broker check needs the {@code BrokerProbe} of the auto-configured (or test) mesh; with an
 * application's own {@code Mesh} bean there is none and {@code broker} says it is not checked.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class MeshHealthIndicator implements HealthIndicator {
  private static final Executor CHECKS =
      task -> {
        Thread t = new Thread(task, "mesh-health");
        t.setDaemon(true);
        t.start();
      };

  private final Mesh mesh;
  private final MeshListeners listeners;
  private final @Nullable BrokerProbe broker;
  private final Duration timeout;
  private final AtomicReference<@Nullable CompletableFuture<Integer>> brokerCall =
      new AtomicReference<>();
  private final AtomicReference<@Nullable CompletableFuture<String>> registryCall =
      new AtomicReference<>();

  MeshHealthIndicator(
      Mesh mesh, MeshListeners listeners, @Nullable BrokerProbe broker, Duration timeout) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.broker = broker;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public Health health() {
    long deadline = System.nanoTime() + timeout.toNanos();
    BrokerProbe probe = broker;
    CompletableFuture<Integer> nodes = probe == null ? null : call(brokerCall, () -> nodes(probe));
    CompletableFuture<String> compatibility =
        call(registryCall, () -> mesh.schemaRegistry().globalCompatibility().name());

    boolean up = true;
    Health.Builder health = Health.unknown().withDetail("application", mesh.application());
    if (nodes == null) {
      health.withDetail(
          "broker", Map.of("status", "UNKNOWN", "reason", "not checked: the application's Mesh"));
    } else {
      try {
        health.withDetail("broker", Map.of("status", "UP", "nodes", await(nodes, deadline)));
      } catch (Exception e) {
        up = false;
        health.withDetail("broker", Map.of("status", "DOWN", "error", describe(e)));
      }
    }
    try {
      health.withDetail(
          "registry", Map.of("status", "UP", "compatibility", await(compatibility, deadline)));
    } catch (Exception e) {
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

  private int nodes(BrokerProbe probe) {
    try {
      return probe.nodes(timeout);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** The call in flight, or a new one when the last has ended. */
  private static <T> CompletableFuture<T> call(
      AtomicReference<@Nullable CompletableFuture<T>> inFlight, Supplier<T> task) {
    synchronized (inFlight) {
      CompletableFuture<T> f = inFlight.get();
      if (f == null || f.isDone()) {
        f = CompletableFuture.supplyAsync(task, CHECKS);
        inFlight.set(f);
      }
      return f;
    }
  }

  private Object await(CompletableFuture<?> call, long deadline) throws Exception {
    try {
      return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      throw cause instanceof Exception x ? x : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("no answer within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  /**
   * The class of the exception; the message only for Mesh SDK's exceptions and our own timeout,
   * whose messages never carry payload values.
   */
  private static String describe(Throwable e) {
    String name = e.getClass().getSimpleName();
    String message = e.getMessage();
    boolean safe =
        e instanceof MeshException
            || (e instanceof TimeoutException
                && message != null
                && message.startsWith("no answer"));
    return safe && message != null ? name + ": " + message : name;
  }
}
