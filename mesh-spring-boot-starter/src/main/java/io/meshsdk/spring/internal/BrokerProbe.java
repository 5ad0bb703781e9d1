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
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.jspecify.annotations.Nullable;

/**
 * Asks the broker for its topic names with one admin client, created on the first check from the
 * mesh's settings (the admin client's keys only) and closed with the context.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class BrokerProbe implements AutoCloseable {
  private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

  private final KafkaClientFactory clients;
  private final Supplier<Map<String, Object>> settings;
  private @Nullable Admin admin;
  private boolean closed;

  private BrokerProbe(KafkaClientFactory clients, Supplier<Map<String, Object>> settings) {
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
   * How many topics the broker lists within the timeout.
   *
   * @param timeout how long to wait
   * @return the number of topics
   * @throws Exception why the broker did not answer
   */
  public int topicCount(Duration timeout) throws Exception {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    try {
      return admin()
          .listTopics(new ListTopicsOptions().timeoutMs(millis))
          .names()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .size();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("no answer within " + timeout);
    }
  }

  private synchronized Admin admin() {
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
