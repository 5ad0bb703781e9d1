package io.meshsdk.spring.listener;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.ProductContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link MeshListener} methods of an application context, each one a Mesh consumer started with
 * the context ({@link SmartLifecycle}, in a late phase so that every other bean is ready) and
 * closed gracefully when the context stops: the record in hand finishes, its offset is committed,
 * the consumer leaves its group. A consumer that cannot start (a product failing the governance
 * policy, a topic that does not exist under {@code mesh.provisioning=VERIFY}) stops the context's
 * start with the mesh's exception, after closing the listeners already started.
 *
 * <p>Thread-safety: thread-safe; the context starts and stops it, health checks read it.
 */
public final class MeshListeners implements SmartLifecycle {
  /** The phase: after other lifecycle beans start, before they stop (as Spring Kafka's). */
  public static final int PHASE = Integer.MAX_VALUE - 100;

  private static final Logger log = LoggerFactory.getLogger(MeshListeners.class);

  private final Mesh mesh;
  private final Duration stopTimeout;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean running;

  /**
   * Creates the registry; {@code MeshAutoConfiguration} does.
   *
   * @param mesh the mesh whose consumers the listeners are; not closed here
   * @param stopTimeout how long stopping waits for each consumer
   */
  public MeshListeners(Mesh mesh, Duration stopTimeout) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
  }

  /**
   * The listeners, in the order the context created their beans.
   *
   * @return the listeners
   */
  public List<Listener> listeners() {
    return List.copyOf(listeners);
  }

  /**
   * The post-processor that finds {@link MeshListener} methods on beans and registers them here;
   * {@code MeshAutoConfiguration} declares it.
   *
   * @param beanFactory where it finds this registry, the error handlers and the placeholders
   * @return the post-processor
   */
  public static BeanPostProcessor postProcessor(ConfigurableListableBeanFactory beanFactory) {
    return new MeshListenerProcessor(beanFactory);
  }

  void register(Listener listener) {
    for (Listener l : listeners) {
      if (l.id.equals(listener.id)) {
        throw new IllegalStateException(
            "two @MeshListener methods have the id " + listener.id + ": give one another id");
      }
    }
    listeners.add(listener);
    if (running && listener.autoStartup) {
      listener.start(mesh);
    }
  }

  @Override
  public synchronized void start() {
    List<Listener> started = new ArrayList<>();
    try {
      for (Listener listener : listeners) {
        if (listener.autoStartup) {
          listener.start(mesh);
          started.add(listener);
        }
      }
    } catch (RuntimeException e) {
      started.forEach(Listener::stop);
      throw e;
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
    for (Listener listener : listeners) {
      listener.stop();
    }
    for (Listener listener : listeners) {
      listener.awaitTermination(stopTimeout);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * One {@link MeshListener} method and its consumer.
   *
   * <p>Thread-safety: thread-safe.
   */
  public static final class Listener {
    private final String id;
    private final String group;
    private final ProductContract<?> contract;
    private final boolean autoStartup;
    private final Function<Mesh, MeshConsumer<?>> starter;
    private volatile @Nullable MeshConsumer<?> consumer;

    Listener(
        String id,
        String group,
        ProductContract<?> contract,
        boolean autoStartup,
        Function<Mesh, MeshConsumer<?>> starter) {
      this.id = id;
      this.group = group;
      this.contract = contract;
      this.autoStartup = autoStartup;
      this.starter = starter;
      this.consumer = null;
    }

    /**
     * The listener's id ({@code beanName.methodName} unless set).
     *
     * @return the id
     */
    public String id() {
      return id;
    }

    /**
     * The consumer group.
     *
     * @return the group
     */
    public String group() {
      return group;
    }

    /**
     * The contract of the product consumed.
     *
     * @return the contract
     */
    public ProductContract<?> contract() {
      return contract;
    }

    /**
     * The state of its consumer; {@code STOPPED} before the context started it.
     *
     * @return the state
     */
    public MeshConsumer.State state() {
      MeshConsumer<?> c = consumer;
      return c == null ? MeshConsumer.State.STOPPED : c.state();
    }

    /**
     * Why its consumer stopped on its own.
     *
     * @return the cause, empty while it runs, before it started or after a normal stop
     */
    public java.util.Optional<Throwable> failure() {
      MeshConsumer<?> c = consumer;
      return c == null ? java.util.Optional.empty() : c.failure();
    }

    /**
     * The topic consumed: its consumer's once started, else the contract's.
     *
     * @return the topic
     */
    public String topic() {
      MeshConsumer<?> c = consumer;
      return c == null ? contract.topic() : c.topic();
    }

    synchronized void start(Mesh mesh) {
      if (consumer == null) {
        MeshConsumer<?> started = starter.apply(mesh);
        consumer = started;
        log.info("Mesh listener {} started: group {} on {}", id, group, started.topic());
      }
    }

    synchronized void stop() {
      MeshConsumer<?> c = consumer;
      if (c != null) {
        c.close();
      }
    }

    void awaitTermination(Duration timeout) {
      MeshConsumer<?> c = consumer;
      if (c == null) {
        return;
      }
      try {
        if (!c.awaitTermination(timeout)) {
          log.warn("Mesh listener {} did not stop within {}", id, timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
