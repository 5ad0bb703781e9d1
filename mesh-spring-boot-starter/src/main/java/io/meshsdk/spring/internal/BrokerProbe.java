package io.meshsdk.spring.internal;

import io.meshsdk.runtime.KafkaClientFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.jspecify.annotations.Nullable;

/**
 * Asks the cluster for its nodes with one admin client, created on the first check from the mesh's
 * settings (the admin client's keys only) and closed with the context. The testkit's in-memory
 * Kafka has no cluster to ask: its probe ({@link #inMemory()}) always answers one node.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class BrokerProbe implements AutoCloseable {
  private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

  private final @Nullable KafkaClientFactory clients;
  private final Supplier<Map<String, Object>> settings;
  private @Nullable Admin admin;
  private boolean closed;

  private BrokerProbe(
      @Nullable KafkaClientFactory clients, Supplier<Map<String, Object>> settings) {
    this.clients = clients;
    this.settings = settings;
  }

  /**
   * A probe.
   *
   * @param clients creates the admin client
   * @param settings the mesh's settings; the admin client's keys are taken from them
   * @return the probe
   */
  public static BrokerProbe of(KafkaClientFactory clients, Supplier<Map<String, Object>> settings) {
    return new BrokerProbe(
        Objects.requireNonNull(clients, "clients"), Objects.requireNonNull(settings, "settings"));
  }

  /**
   * The probe of the testkit's in-memory Kafka, which is always there.
   *
   * @return the probe
   */
  public static BrokerProbe inMemory() {
    return new BrokerProbe(null, Map::of);
  }

  /**
   * How many nodes the cluster has, asked within the timeout.
   *
   * @param timeout how long to wait
   * @return the number of nodes
   * @throws Exception why the cluster did not answer
   */
  public int nodes(Duration timeout) throws Exception {
    if (clients == null) {
      return 1;
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    try {
      return admin(clients)
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
          .nodes()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .size();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("no answer within " + timeout);
    }
  }

  private synchronized Admin admin(KafkaClientFactory clients) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    Admin a = admin;
    if (a == null) {
      Map<String, Object> config = new HashMap<>();
      settings
          .get()
          .forEach(
              (k, v) -> {
                if (ADMIN_KEYS.contains(k)) {
                  config.put(k, v);
                }
              });
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, "mesh-health");
      a = clients.admin(config);
      admin = a;
    }
    return a;
  }

  @Override
  public synchronized void close() {
    closed = true;
    Admin a = admin;
    admin = null;
    if (a != null) {
      a.close(Duration.ofSeconds(5));
    }
  }
}
