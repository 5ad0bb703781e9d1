package io.meshsdk.spring.listener;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link MeshListener} methods of an application context, each one a Mesh consumer started with
 * the context ({@link SmartLifecycle}, in a late phase so that every other bean is ready) and
 * closed gracefully when the context stops: the record in hand finishes, its offset is committed,
 * the consumer leaves its group. Stopping closes every consumer at once and waits for them all
 * under one deadline, {@code mesh.listener.stop-timeout}; a consumer still busy then is left to
 * finish closing on its own (within {@code mesh.close-timeout}, and the mesh closes it at the
 * latest). A stopped context that starts again starts its listeners again.
 *
 * <p>A consumer that cannot start (a product failing the governance policy, a topic that does not
 * exist under {@code mesh.provisioning=VERIFY}) stops the context's start with a {@link
 * MeshConfigurationException} naming the listener (the mesh's exception as its cause), after
 * closing the listeners already started. Listeners with {@code autoStartup = "false"} start with
 * {@link #start(String)} and stop with {@link #stop(String)}.
 *
 * <p>Thread-safety: thread-safe; the context starts and stops it, health checks read it. It does
 * not close the mesh.
 */
public final class MeshListeners implements SmartLifecycle, DisposableBean {
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
   * @param stopTimeout how long stopping waits for all consumers together; positive
   * @throws MeshConfigurationException if the timeout is not positive
   */
  public MeshListeners(Mesh mesh, Duration stopTimeout) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
    if (stopTimeout.isNegative() || stopTimeout.isZero()) {
      throw new MeshConfigurationException(
          "mesh.listener.stop-timeout: a positive duration (30s, PT1M), not " + stopTimeout);
    }
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

  synchronized void register(Listener listener, String method) {
    for (Listener l : listeners) {
      if (l.id.equals(listener.id)) {
        throw new MeshConfigurationException(
            "@MeshListener "
                + listener.id
                + " ("
                + method
                + "): another @MeshListener has this id; give one of them another id");
      }
    }
    listeners.add(listener);
    if (running && listener.autoStartup) {
      listener.start(mesh);
    }
  }

  /**
   * Starts one listener's consumer, whether or not it starts with the context; nothing happens if
   * it runs already.
   *
   * @param id the listener's id
   * @throws MeshConfigurationException if no listener has the id, or its consumer cannot start
   */
  public synchronized void start(String id) {
    Listener listener = listener(id);
    try {
      listener.start(mesh);
    } catch (RuntimeException e) {
      throw new MeshConfigurationException(
          "@MeshListener " + id + " could not start: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Stops one listener's consumer, waiting for it up to the stop timeout; nothing happens if it
   * does not run. {@link #start(String)} starts it again.
   *
   * @param id the listener's id
   * @throws MeshConfigurationException if no listener has the id
   */
  public synchronized void stop(String id) {
    stopAll(List.of(listener(id)));
  }

  private Listener listener(String id) {
    Objects.requireNonNull(id, "id");
    for (Listener l : listeners) {
      if (l.id.equals(id)) {
        return l;
      }
    }
    throw new MeshConfigurationException(
        "no @MeshListener has the id "
            + id
            + "; the ids are "
            + listeners.stream().map(Listener::id).toList());
  }

  /**
   * Starts the listeners that start with the context.
   *
   * @throws MeshConfigurationException naming the listener that could not start, the mesh's
   *     exception as its cause, after the listeners already started were stopped
   */
  @Override
  public synchronized void start() {
    List<Listener> started = new ArrayList<>();
    for (Listener listener : listeners) {
      if (!listener.autoStartup) {
        continue;
      }
      try {
        if (listener.start(mesh)) {
          started.add(listener);
        }
      } catch (RuntimeException e) {
        stopAll(started);
        throw new MeshConfigurationException(
            "@MeshListener "
                + listener.id
                + " could not start ("
                + e.getClass().getSimpleName()
                + "); stopped the "
                + started.size()
                + " listener(s) started before it",
            e);
      }
    }
    running = true;
  }

  /** Stops every listener's consumer, all at once, waiting up to the stop timeout in all. */
  @Override
  public synchronized void stop() {
    running = false;
    stopAll(listeners);
  }

  /** Stops the consumers when the context closes without having stopped them (a failed start). */
  @Override
  public void destroy() {
    stop();
  }

  private void stopAll(List<Listener> toStop) {
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    List<Thread> closing = new ArrayList<>();
    for (Listener listener : toStop) {
      MeshConsumer<?> c = listener.detach();
      if (c != null) {
        Thread t = new Thread(c::close, "mesh-listener-stop-" + listener.id);
        t.setDaemon(true);
        t.start();
        closing.add(t);
      }
    }
    List<String> late = new ArrayList<>();
    try {
      for (Thread t : closing) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
        if (t.isAlive()) {
          late.add(t.getName().substring("mesh-listener-stop-".length()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!late.isEmpty()) {
      log.warn(
          "Mesh listeners {} of {} did not stop within mesh.listener.stop-timeout ({}); they go on"
              + " closing in the background",
          late,
          mesh.application(),
          stopTimeout);
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
    private volatile String topic;

    Listener(
        String id,
        String group,
        ProductContract<?> contract,
        String topic,
        boolean autoStartup,
        Function<Mesh, MeshConsumer<?>> starter) {
      this.id = id;
      this.group = group;
      this.contract = contract;
      this.topic = topic;
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
     * The topic consumed: its consumer's once started; before, its {@code topic} attribute or the
     * contract's topic after {@code mesh.topic-prefix}.
     *
     * @return the topic
     */
    public String topic() {
      return topic;
    }

    /**
     * Whether its consumer was started and not stopped since; a consumer that failed on its own
     * still counts ({@link #state()} says {@code FAILED}).
     *
     * @return whether it runs
     */
    public boolean isRunning() {
      return consumer != null;
    }

    /**
     * Whether it starts with the context.
     *
     * @return its {@code autoStartup}, or {@code mesh.listener.auto-startup}
     */
    public boolean isAutoStartup() {
      return autoStartup;
    }

    /** Starts the consumer unless it runs; whether it started one. */
    synchronized boolean start(Mesh mesh) {
      if (consumer != null) {
        return false;
      }
      MeshConsumer<?> started = starter.apply(mesh);
      consumer = started;
      topic = started.topic();
      log.info(
          "Mesh listener {} of {} started: group {} on {}",
          id,
          mesh.application(),
          group,
          started.topic());
      return true;
    }

    /** Forgets the consumer, which the caller closes; a later start creates another. */
    synchronized @Nullable MeshConsumer<?> detach() {
      MeshConsumer<?> c = consumer;
      consumer = null;
      return c;
    }
  }
}
