package io.meshsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.spring.boot.MeshAutoConfiguration;
import io.meshsdk.spring.boot.MeshProducers;
import io.meshsdk.spring.fixtures.NewsletterSignup;
import io.meshsdk.spring.fixtures.OrderPlaced;
import io.meshsdk.spring.listener.MeshListener;
import io.meshsdk.spring.listener.MeshListeners;
import io.meshsdk.spring.test.TestMeshAutoConfiguration;
import io.meshsdk.testkit.TestMesh;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;

/** The lifecycle of {@code @MeshListener} consumers: start, stop, restart, one by one, failures. */
class MeshListenersTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(TestMeshAutoConfiguration.class, MeshAutoConfiguration.class))
          .withPropertyValues("spring.application.name=listeners-test");

  @Test
  void aStoppedContextThatStartsAgainConsumesAgain() {
    runner
        .withBean(Orders.class)
        .run(
            context -> {
              Orders orders = context.getBean(Orders.class);
              MeshProducers producers = context.getBean(MeshProducers.class);
              producers.producer(OrderPlaced.class).send(new OrderPlaced("o-1", 1, "EUR")).join();
              await().until(() -> orders.received.size() == 1);

              context.stop();
              assertThat(context.getBean(MeshListeners.class).listeners().get(0).isRunning())
                  .isFalse();
              context.start();

              producers.producer(OrderPlaced.class).send(new OrderPlaced("o-2", 2, "EUR")).join();
              await().until(() -> orders.received.contains("o-2"));
              assertThat(context.getBean(MeshListeners.class).listeners().get(0).state())
                  .isNotEqualTo(MeshConsumer.State.STOPPED);
            });
  }

  @Test
  void aKeyOrderedListenerHandlesOnWorkerThreadsInKeyOrder() {
    runner
        .withBean(ParallelOrders.class)
        .run(
            context -> {
              ParallelOrders orders = context.getBean(ParallelOrders.class);
              MeshProducers producers = context.getBean(MeshProducers.class);
              for (int i = 0; i < 30; i++) {
                producers
                    .producer(OrderPlaced.class)
                    .send(new OrderPlaced("o-" + (i % 3), i + 1, "EUR"))
                    .join();
              }
              await().until(() -> orders.received.size() == 30);
              assertThat(orders.threads).allMatch(t -> t.contains("-worker-"));
              for (String key : List.of("o-0", "o-1", "o-2")) {
                List<Long> amounts =
                    orders.received.stream()
                        .filter(o -> o.orderId().equals(key))
                        .map(OrderPlaced::amountCents)
                        .toList();
                assertThat(amounts).hasSize(10).isSorted();
              }
            });
  }

  static class ParallelOrders {
    final List<OrderPlaced> received = new CopyOnWriteArrayList<>();
    final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @MeshListener(group = "parallel-orders", ordering = "KEY", parallelism = "4")
    void on(OrderPlaced order) {
      threads.add(Thread.currentThread().getName());
      received.add(order);
    }
  }

  @Test
  void aListenerThatDoesNotStartWithTheContextStartsAndStopsByItsId() {
    runner
        .withBean(Manual.class)
        .run(
            context -> {
              MeshListeners listeners = context.getBean(MeshListeners.class);
              Manual manual = context.getBean(Manual.class);
              assertThat(listeners.isRunning()).as("the context's lifecycle").isTrue();
              MeshListeners.Listener listener = listeners.listeners().get(0);
              assertThat(listener.isAutoStartup()).isFalse();
              assertThat(listener.isRunning()).isFalse();
              context
                  .getBean(MeshProducers.class)
                  .producer(OrderPlaced.class)
                  .send(new OrderPlaced("o-1", 1, "EUR"))
                  .join();

              listeners.start("manual");

              assertThat(listener.isRunning()).isTrue();
              await().until(() -> manual.received.contains("o-1"));
              listeners.stop("manual");
              assertThat(listener.isRunning()).isFalse();
              assertThat(listener.state()).isEqualTo(MeshConsumer.State.STOPPED);
              assertThatThrownBy(() -> listeners.start("nobody"))
                  .isInstanceOf(MeshConfigurationException.class)
                  .hasMessageContaining("nobody")
                  .hasMessageContaining("[manual]");
            });
  }

  @Test
  void stoppingClosesEveryListenerAtOnceUnderOneStopTimeout() {
    CountDownLatch release = new CountDownLatch(1);
    Busy.release = release;
    runner
        .withBean(Busy.class)
        .withPropertyValues("mesh.listener.stop-timeout=2s")
        .run(
            context -> {
              Busy busy = context.getBean(Busy.class);
              try {
                context
                    .getBean(MeshProducers.class)
                    .producer(OrderPlaced.class)
                    .send(new OrderPlaced("o-1", 1, "EUR"))
                    .join();
                await().until(() -> busy.entered.getCount() == 0);

                long start = System.nanoTime();
                context.stop();
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                // three handlers stuck: one at a time would take at least 3 x 2 s (and each close
                // waited for the close time-out, 35 s, before the fix); at once, about 2 s
                assertThat(took).isLessThan(Duration.ofSeconds(4));
                assertThat(release.getCount()).as("handlers still stuck").isEqualTo(1);
              } finally {
                release.countDown();
              }
            });
  }

  @Test
  void aListenerFailingToStartStopsTheOnesStartedAndFailsTheContextNamingIt() {
    runner
        .withBean(Orders.class)
        .withBean(NonCompliant.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure()))
                  .contains(
                      "@MeshListener marketing could not start (GovernanceException); stopped the 1"
                          + " listener(s) started before it");
              MeshListeners listeners = Orders.registry.get();
              assertThat(listeners.listeners().get(0).id()).isEqualTo("orders");
              assertThat(listeners.listeners().get(0).isRunning()).isFalse();
            });
  }

  @Test
  void listenersStopBeforeTheMeshCloses() {
    TestMesh testMesh = TestMesh.builder().application("own-mesh").build();
    List<String> atClose = new CopyOnWriteArrayList<>();
    AtomicReference<MeshListeners> registry = new AtomicReference<>();
    Mesh mesh =
        (Mesh)
            Proxy.newProxyInstance(
                Mesh.class.getClassLoader(),
                new Class<?>[] {Mesh.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    registry.get().listeners().forEach(l -> atClose.add(l.state().name()));
                  }
                  try {
                    return method.invoke(testMesh, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withBean("mesh", Mesh.class, () -> mesh, d -> d.setDestroyMethodName("close"))
        .withBean(Orders.class)
        .run(
            context -> {
              registry.set(context.getBean(MeshListeners.class));
              assertThat(registry.get().listeners().get(0).isRunning()).isTrue();
            });
    assertThat(atClose).containsExactly("STOPPED");
  }

  @Test
  void aPrototypeListenerBeanFailsTheStartNamingBeanAndMethod() {
    runner
        .withBean(
            "prototypeOrders",
            Orders.class,
            Orders::new,
            d -> d.setScope(ConfigurableBeanFactory.SCOPE_PROTOTYPE))
        .withBean(NeedsOrders.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure()))
                  .contains(Orders.class.getName() + ".on", "bean prototypeOrders", "singleton");
            });
  }

  @Test
  void aScopedTargetIsSkippedNotRefused() {
    runner
        .withUserConfiguration(ScopedOrders.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              context.getBean("scopedTarget.orders"); // created on use, post-processed, skipped
              assertThat(context.getBean(MeshListeners.class).listeners()).isEmpty();
            });
  }

  @Test
  void staticOrPrivateListenerMethodsAndDuplicateIdsFailNamingTheMethod() {
    runner
        .withBean(StaticListener.class)
        .run(
            context ->
                assertThat(messages(context.getStartupFailure()))
                    .contains("StaticListener.on", "instance method that is not private"));
    runner
        .withBean(PrivateListener.class)
        .run(
            context ->
                assertThat(messages(context.getStartupFailure()))
                    .contains("PrivateListener.on", "instance method that is not private"));
    runner
        .withBean(Orders.class)
        .withBean(SameId.class)
        .run(
            context -> {
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(MeshConfigurationException.class);
              assertThat(messages(context.getStartupFailure()))
                  .contains("@MeshListener orders", "SameId.on", "another @MeshListener");
            });
  }

  @Test
  void aListenerOfAGenericBaseClassConsumesTheProductOfItsSubclass() {
    runner
        .withBean(ConcreteOrders.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(MeshListeners.class).listeners().get(0).contract().type())
                  .isEqualTo(OrderPlaced.class);
              context
                  .getBean(MeshProducers.class)
                  .producer(OrderPlaced.class)
                  .send(new OrderPlaced("o-9", 1, "EUR"))
                  .join();
              ConcreteOrders orders = context.getBean(ConcreteOrders.class);
              await().until(() -> orders.received.size() == 1);
            });
  }

  private static String messages(Throwable t) {
    StringBuilder messages = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      messages.append(c.getMessage()).append('\n');
    }
    return messages.toString();
  }

  static class Orders {
    static final AtomicReference<MeshListeners> registry = new AtomicReference<>();
    final List<String> received = new CopyOnWriteArrayList<>();

    @MeshListener(id = "orders", group = "orders")
    void on(OrderPlaced order) {
      received.add(order.orderId());
    }

    @org.springframework.beans.factory.annotation.Autowired
    void registry(MeshListeners listeners) {
      registry.set(listeners);
    }
  }

  static class NeedsOrders {
    NeedsOrders(Orders orders) {}
  }

  static class Manual {
    final List<String> received = new CopyOnWriteArrayList<>();

    @MeshListener(id = "manual", group = "manual", autoStartup = "false")
    void on(OrderPlaced order) {
      received.add(order.orderId());
    }
  }

  static class Busy {
    static CountDownLatch release = new CountDownLatch(0);
    final CountDownLatch entered = new CountDownLatch(3);

    @MeshListener(group = "busy-1")
    void one(OrderPlaced order) {
      block();
    }

    @MeshListener(group = "busy-2")
    void two(OrderPlaced order) {
      block();
    }

    @MeshListener(group = "busy-3")
    void three(OrderPlaced order) {
      block();
    }

    private void block() {
      entered.countDown();
      boolean interrupted = false;
      while (release.getCount() > 0) {
        try {
          release.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static class NonCompliant {
    @MeshListener(id = "marketing", group = "marketing")
    void on(NewsletterSignup signup) {}
  }

  @Configuration(proxyBeanMethods = false)
  static class ScopedOrders {
    @Bean
    @Scope(
        scopeName = ConfigurableBeanFactory.SCOPE_PROTOTYPE,
        proxyMode = ScopedProxyMode.TARGET_CLASS)
    Orders orders() {
      return new Orders();
    }
  }

  static class StaticListener {
    @MeshListener(group = "g")
    static void on(OrderPlaced order) {}
  }

  static class PrivateListener {
    @MeshListener(group = "g")
    private void on(OrderPlaced order) {}
  }

  static class SameId {
    @MeshListener(id = "orders", group = "other")
    void on(OrderPlaced order) {}
  }

  abstract static class Base<T> {
    final List<T> received = new CopyOnWriteArrayList<>();

    @MeshListener(group = "generic")
    void on(T event) {
      received.add(event);
    }
  }

  static class ConcreteOrders extends Base<OrderPlaced> {}
}
