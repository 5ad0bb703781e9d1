package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker stops and comes back on the same directory and ports while a producer and a consumer
 * run.
 */
class BrokerRestartIT {
  @DataProduct(
      domain = "restart",
      name = "meter-read",
      version = "1.0",
      owner = "team-grid",
      description = "A reading.")
  record MeterRead(@Key @Doc("Id") String id, @Doc("Watts") long watts) {}

  @Test
  void losesNothingAndWritesNoDuplicatesAcrossARestart() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
        Mesh mesh =
            Mesh.builder()
                .application("grid")
                .bootstrapServers(broker.bootstrapServers())
                .schemaRegistry(new InMemorySchemaRegistry())
                .closeTimeout(Duration.ofSeconds(10))
                .build()) {
      MeshProducer<MeterRead> producer = mesh.producer(MeterRead.class);
      Set<String> consumed = ConcurrentHashMap.newKeySet();
      MeshConsumer<MeterRead> consumer =
          mesh.consumer(MeterRead.class)
              .group("billing")
              .handle(e -> consumed.add(e.eventId()))
              .start();

      List<CompletableFuture<SendResult>> sends = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        sends.add(producer.send(new MeterRead("m-" + i, i)));
      }
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).until(() -> consumed.size() == 100);

      broker.stop();
      // the broker comes back while the producer keeps sending: sends wait for metadata (up to
      // max.block.ms), then the idempotent producer delivers them
      CompletableFuture<Void> restart = CompletableFuture.runAsync(broker::start);
      for (int i = 100; i < 200; i++) {
        sends.add(producer.send(new MeterRead("m-" + i, i)));
      }
      restart.get(60, TimeUnit.SECONDS);
      for (int i = 200; i < 300; i++) {
        sends.add(producer.send(new MeterRead("m-" + i, i)));
      }
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0]))
          .get(120, TimeUnit.SECONDS);
      Set<String> acked = new HashSet<>();
      for (CompletableFuture<SendResult> f : sends) {
        acked.add(f.join().eventId());
      }

      await().atMost(Duration.ofSeconds(120)).until(() -> consumed.containsAll(acked));
      assertThat(acked).hasSize(300);
      assertThat(consumer.isRunning()).isTrue();
      List<ConsumerRecord<byte[], byte[]>> log =
          Broker.readAll(
              broker.bootstrapServers(),
              producer.contract().topic(),
              300,
              false,
              Duration.ofSeconds(60));
      List<String> ids = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : log) {
        ids.add(new String(r.headers().lastHeader(MeshHeaders.ID).value(), StandardCharsets.UTF_8));
      }
      assertThat(ids).hasSize(300).doesNotHaveDuplicates();
    }
  }
}
