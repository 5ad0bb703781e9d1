package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.internal.DefaultMesh;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

/**
 * A long-lived service creating and closing clients on demand: the mesh shares one Kafka producer,
 * closes every consumer it opened, gives each client its own id, removes the meters of closed
 * clients, and holds nothing of what was closed.
 */
class ClientLifecycleIT {
  @DataProduct(
      domain = "lifecycle",
      name = "ping-sent",
      version = "1.0",
      owner = "team-ops",
      description = "A ping.")
  record PingSent(@Key @Doc("Id") String id) {}

  /** Apache Kafka's clients, counted: created, closed, and the client ids they were given. */
  static final class CountingClients implements KafkaClientFactory {
    final AtomicInteger producers = new AtomicInteger();
    final AtomicInteger consumers = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final Set<Object> clientIds = ConcurrentHashMap.newKeySet();
    final AtomicInteger duplicateIds = new AtomicInteger();

    @SuppressWarnings("unchecked")
    private <C> C counted(Class<C> type, C client, Map<String, Object> config) {
      open.incrementAndGet();
      if (!clientIds.add(config.get("client.id"))) {
        duplicateIds.incrementAndGet();
      }
      AtomicInteger closes = new AtomicInteger();
      return (C)
          Proxy.newProxyInstance(
              type.getClassLoader(),
              new Class<?>[] {type},
              (proxy, method, args) -> {
                if (method.getName().equals("close") && closes.getAndIncrement() == 0) {
                  open.decrementAndGet();
                }
                try {
                  return method.invoke(client, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    @Override
    public Producer<byte[], byte[]> producer(Map<String, Object> config) {
      producers.incrementAndGet();
      return counted(Producer.class, KafkaClientFactory.kafka().producer(config), config);
    }

    @Override
    public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
      consumers.incrementAndGet();
      return counted(Consumer.class, KafkaClientFactory.kafka().consumer(config), config);
    }

    @Override
    public Admin admin(Map<String, Object> config) {
      return KafkaClientFactory.kafka().admin(config);
    }
  }

  @Test
  void manyCreateSendCloseCyclesLeaveNothingBehind() throws Exception {
    CountingClients clients = new CountingClients();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<WeakReference<Object>> closed = new ArrayList<>();
    try (Mesh mesh =
        Broker.mesh("lifecycle", new InMemorySchemaRegistry())
            .kafkaClientFactory(clients)
            .meterRegistry(meters)
            .topicPrefix("l" + System.nanoTime() % 100_000 + ".")
            .build()) {
      for (int i = 0; i < 300; i++) {
        MeshProducer<PingSent> producer = mesh.producer(PingSent.class);
        producer.send(new PingSent("p-" + i)).get(30, TimeUnit.SECONDS);
        producer.close();
        closed.add(new WeakReference<>(producer));
      }
      AtomicInteger seen = new AtomicInteger();
      for (int i = 0; i < 10; i++) {
        MeshConsumer<PingSent> consumer =
            mesh.consumer(PingSent.class)
                .group("g" + i)
                .handle(e -> seen.incrementAndGet())
                .start();
        int before = seen.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.get() >= before + 300);
        consumer.close();
        closed.add(new WeakReference<>(consumer));
      }

      assertThat(((DefaultMesh) mesh).openClients()).isZero();
      assertThat(clients.producers.get()).isEqualTo(1); // one Kafka producer for 300 producers
      assertThat(clients.consumers.get()).isEqualTo(10);
      assertThat(clients.open.get()).isEqualTo(1); // the shared producer, until the mesh closes
      assertThat(clients.duplicateIds.get()).isZero();
      assertThat(meters.find(MeshMetrics.PRODUCE).timers()).isEmpty();
      assertThat(meters.find(MeshMetrics.CONSUME).timers()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                System.gc();
                return closed.stream().noneMatch(r -> r.get() != null);
              });
    }
    assertThat(clients.open.get()).isZero();
  }
}
