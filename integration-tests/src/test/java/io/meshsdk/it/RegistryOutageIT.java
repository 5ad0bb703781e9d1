package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real registry server stops and comes back on the same port while records wait for their
 * writer schema: none of them is dead-lettered, none lost, all handled in order afterwards.
 */
class RegistryOutageIT {
  @DataProduct(
      domain = "outage",
      name = "meter-read",
      version = "1.0",
      owner = "team-grid",
      description = "A meter reading.")
  record MeterRead(@Key @Doc("Meter") String meter, @Doc("Sequence") int seq) {}

  private final ApicurioRegistry server = ApicurioRegistry.persistent();

  @AfterEach
  void stop() {
    server.stop();
  }

  private final String prefix = "o" + System.nanoTime() % 100_000 + ".";

  /** A service of its own: its own registry client, with its own caches. */
  private Mesh mesh(String application, SimpleMeterRegistry meters) {
    return Mesh.builder()
        .properties(
            Map.of(
                "mesh.application",
                application,
                "bootstrap.servers",
                Broker.shared().bootstrapServers(),
                "schema.registry.url",
                server.url(),
                "mesh.topic.prefix",
                prefix,
                "mesh.close.timeout.ms",
                "10000"))
        .meterRegistry(meters)
        .build();
  }

  @Test
  void recordsWaitForTheRegistryAndAreAllHandledInOrderWhenItIsBack() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (Mesh grid = mesh("grid", new SimpleMeterRegistry());
        Mesh billing = mesh("billing", meters)) {
      MeshProducer<MeterRead> producer = grid.producer(MeterRead.class); // registers the schema
      for (int i = 0; i < 10; i++) {
        producer.send(new MeterRead("m-1", i)).get(30, TimeUnit.SECONDS);
      }

      server.stop();
      // the producer has its schema id: producing goes on during the outage
      for (int i = 10; i < 30; i++) {
        producer.send(new MeterRead("m-1", i)).get(30, TimeUnit.SECONDS);
      }
      // the billing service has not seen the writer schema yet, and cannot get it now
      List<Integer> handled = new CopyOnWriteArrayList<>();
      MeshConsumer<MeterRead> consumer =
          billing
              .consumer(MeterRead.class)
              .group("billing")
              .handle(e -> handled.add(e.value().seq()))
              .start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> consumer.state() == MeshConsumer.State.WAITING_FOR_REGISTRY);
      assertThat(
              meters
                  .get(MeshMetrics.CONSUME_REGISTRY_OUTAGES)
                  .tag("group", "billing")
                  .counter()
                  .count())
          .isEqualTo(1);

      server.start(); // the same port and the same storage
      await().atMost(Duration.ofSeconds(120)).until(() -> handled.size() == 30);

      assertThat(handled).isSorted().doesNotHaveDuplicates();
      assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
      assertThat(meters.find(MeshMetrics.DLQ).counters()).isEmpty();
      assertThat(
              meters
                  .get(MeshMetrics.CONSUME_REGISTRY_OUTAGES)
                  .tag("group", "billing")
                  .counter()
                  .count())
          .isEqualTo(1);
      List<?> dead =
          Broker.readAll(
              Broker.shared().bootstrapServers(),
              consumer.deadLetterTopic(),
              0,
              false,
              Duration.ofSeconds(5));
      assertThat(dead).isEmpty();
      System.out.printf(
          "fault run, registry outage: produced=30 (20 during the outage) handled=%d"
              + " dead-lettered=%d lost=%d%n",
          handled.size(), dead.size(), 30 - handled.size() - dead.size());
    }
  }

  @Test
  void aShareConsumerHoldsRecordsThroughAnOutageWithoutSpendingTheirDeliveries() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    String group = "jobs";
    try (Mesh grid = mesh("grid", new SimpleMeterRegistry());
        Mesh jobs = mesh("jobs", meters)) {
      MeshProducer<MeterRead> producer = grid.producer(MeterRead.class);
      for (int i = 0; i < 10; i++) {
        producer.send(new MeterRead("m-2", i)).get(30, TimeUnit.SECONDS);
      }
      // the lowest delivery limit: one delivery spent on the outage would dead-letter a record
      Broker.setGroupConfig(group, Map.of("share.delivery.count.limit", "2"));

      server.stop();
      List<Integer> handled = new CopyOnWriteArrayList<>();
      MeshShareConsumer<MeterRead> consumer =
          jobs.shareConsumer(MeterRead.class)
              .group(group)
              .startFrom(StartPosition.earliest())
              .handle(e -> handled.add(e.value().seq()))
              .start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  meters
                          .get(MeshMetrics.CONSUME_REGISTRY_OUTAGES)
                          .tag("group", group)
                          .counter()
                          .count()
                      >= 1);
      server.start(); // takes seconds: the held records come back many times meanwhile
      await().atMost(Duration.ofSeconds(120)).until(() -> handled.size() == 10);

      assertThat(handled).doesNotHaveDuplicates();
      assertThat(meters.find(MeshMetrics.DLQ).counters()).isEmpty();
      assertThat(consumer.isRunning()).isTrue();
      System.out.printf(
          "fault run, registry outage, share group with delivery limit 2: produced=10"
              + " handled=%d dead-lettered=0 lost=%d%n",
          handled.size(), 10 - handled.size());
    }
  }
}
