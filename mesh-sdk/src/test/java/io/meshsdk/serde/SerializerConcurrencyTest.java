package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.fixtures.Samples;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RegisteredSchema;
import io.meshsdk.registry.SchemaRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** One serializer shared by many threads writing to many topics frames each with its own id. */
class SerializerConcurrencyTest {

  /**
   * A registry giving each subject its own id (a registry keeps one id per schema, so that the same
   * schema under eight subjects would hide a mix-up): the in-memory one, with register answering
   * {@code 100 + the topic's number}.
   */
  private static SchemaRegistry idPerSubject() {
    InMemorySchemaRegistry delegate = new InMemorySchemaRegistry();
    return (SchemaRegistry)
        Proxy.newProxyInstance(
            SchemaRegistry.class.getClassLoader(),
            new Class<?>[] {SchemaRegistry.class},
            (proxy, method, args) -> {
              if (method.getName().equals("register")) {
                String subject = (String) args[0];
                return RegisteredSchema.of(subject, 1, idOf(subject), (Schema) args[1]);
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static int idOf(String subjectOrTopic) {
    return 100 + Integer.parseInt(subjectOrTopic.replaceAll("\\D", ""));
  }

  @Test
  void neverFramesARecordWithAnotherTopicsSchemaId() throws Exception {
    MeshSerializer<OrderPlaced> serializer =
        MeshSerializer.of(ProductContract.of(OrderPlaced.class), idPerSubject());
    OrderPlaced order = Samples.order();
    int threads = 8;
    int topics = 8;
    AtomicLong mismatches = new AtomicLong();
    AtomicLong written = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < 20_000; i++) {
                    String topic = "topic" + ((first + i) % topics);
                    byte[] bytes = serializer.serialize(topic, order);
                    if (WireFormat.schemaId(bytes) != idOf(topic)) {
                      mismatches.incrementAndGet();
                    }
                    written.incrementAndGet();
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(written.get()).isEqualTo(160_000);
    assertThat(mismatches.get()).isZero();
  }
}
