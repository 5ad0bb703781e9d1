package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract lock against the real registry server: written in "CI" while the registry runs,
 * then, with the registry process stopped, a new deployment (a producer that never registered and a
 * consumer group that never saw the schema) starts and moves every record; without the lock, the
 * same producer cannot start. With the registry back, the lock is verified, and a lock that does
 * not match it stops start-up.
 */
class ContractLockOutageIT {
  @DataProduct(
      domain = "locked",
      name = "meter-read",
      version = "1.0",
      owner = "team-grid",
      description = "A meter reading.")
  record MeterRead(@Key @Doc("Meter") String meter, @Doc("Sequence") int seq) {}

  private final ApicurioRegistry server = ApicurioRegistry.persistent();
  private final String prefix = "l" + System.nanoTime() % 100_000 + ".";
  @TempDir Path dir;

  @AfterEach
  void stop() {
    server.stop();
  }

  private MeshBuilder mesh(String application, String registration) {
    Map<String, String> p = new HashMap<>();
    p.put("mesh.application", application);
    p.put("bootstrap.servers", Broker.shared().bootstrapServers());
    p.put("schema.registry.url", server.url());
    p.put("mesh.topic.prefix", prefix);
    p.put("mesh.registration", registration);
    p.put("mesh.registry.timeout.ms", "2000");
    p.put("mesh.close.timeout.ms", "10000");
    return Mesh.builder().properties(p);
  }

  private static double count(SimpleMeterRegistry meters, String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Test
  void aDeploymentOfLockedVersionsStartsAndRunsWhileTheRegistryIsDown() throws Exception {
    Path lockFile = dir.resolve(ContractLock.RESOURCE);
    int produced = 0;
    // CI: register and lock while the registry runs
    try (Mesh ci = mesh("grid-ci", "AUTO_REGISTER").build()) {
      MeshProducer<MeterRead> producer = ci.producer(MeterRead.class);
      for (; produced < 10; produced++) {
        producer.send(new MeterRead("m-1", produced)).get(30, TimeUnit.SECONDS);
      }
      ContractLock.create(
              ci.schemaRegistry(),
              server.url(),
              prefix,
              List.of(ProductContract.of(MeterRead.class)))
          .write(lockFile);
    }
    assertThat(Files.readString(lockFile)).contains(prefix + "locked.meter-read.v1-value");

    server.stop();

    // without the lock, a new producer in production mode cannot start during the outage
    try (Mesh unlocked = mesh("grid-unlocked", "VERIFY").noContractLock().build()) {
      assertThatThrownBy(() -> unlocked.producer(MeterRead.class))
          .isInstanceOf(SchemaRegistryException.class)
          .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
    }

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<Integer> handled = new CopyOnWriteArrayList<>();
    try (Mesh grid =
            mesh("grid", "VERIFY")
                .properties(Map.of(MeshBuilder.CONTRACT_LOCK, lockFile.toString()))
                .build();
        Mesh billing =
            mesh("billing", "VERIFY")
                .properties(Map.of(MeshBuilder.CONTRACT_LOCK, lockFile.toString()))
                .meterRegistry(meters)
                .build()) {
      MeshProducer<MeterRead> producer = grid.producer(MeterRead.class);
      for (; produced < 30; produced++) {
        producer.send(new MeterRead("m-1", produced)).get(30, TimeUnit.SECONDS);
      }
      MeshConsumer<MeterRead> consumer =
          billing
              .consumer(MeterRead.class)
              .group("billing")
              .startFrom(StartPosition.earliest())
              .handle(e -> handled.add(e.value().seq()))
              .start();
      await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 30);

      assertThat(handled).isSorted().doesNotHaveDuplicates();
      assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
      // the consumer never waited for the registry, and dead-lettered nothing
      assertThat(count(meters, MeshMetrics.CONSUME_REGISTRY_OUTAGES)).isZero();
      assertThat(count(meters, MeshMetrics.DLQ)).isZero();
      List<?> dead =
          Broker.readAll(
              Broker.shared().bootstrapServers(),
              consumer.deadLetterTopic(),
              0,
              false,
              Duration.ofSeconds(5));
      assertThat(dead).isEmpty();
      System.out.printf(
          "fault run, registry down, deployment from the contract lock: produced=%d (20 during"
              + " the outage by a new producer) handled=%d dead-lettered=%d lost=%d%n",
          produced, handled.size(), dead.size(), produced - handled.size() - dead.size());
    }

    server.start(); // the same port and storage
    try (Mesh verified =
        mesh("grid-verified", "VERIFY")
            .properties(Map.of(MeshBuilder.CONTRACT_LOCK, lockFile.toString()))
            .build()) {
      assertThat(
              verified.producer(MeterRead.class).send(new MeterRead("m-1", 30)).join().schemaId())
          .isPositive();
    }
    Path forged = dir.resolve("forged.lock.json");
    Files.writeString(
        forged, Files.readString(lockFile).replaceFirst("\"id\" : (\\d+)", "\"id\" : 9999"));
    assertThatThrownBy(
            () ->
                mesh("grid-forged", "VERIFY")
                    .properties(Map.of(MeshBuilder.CONTRACT_LOCK, forged.toString()))
                    .build())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("does not match the schema registry")
        .hasMessageContaining("the lock has version 1 with id 9999, the registry has version 1");
  }
}
