package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A STATE product deletes keys with tombstones: consumers see a deletion, and compaction on the
 * real broker removes the key's earlier values while the tombstone remains.
 */
class StateDeletionIT {
  @DataProduct(
      domain = "deletion",
      name = "customer-profile",
      version = "1.0",
      owner = "team-customers",
      description = "The latest profile of a customer.",
      kind = ProductKind.STATE)
  record CustomerProfile(@Key @Doc("Customer") String customer, @Doc("Tier") String tier) {}

  @DataProduct(
      domain = "deletion",
      name = "customer-visited",
      version = "1.0",
      owner = "team-customers",
      description = "A visit.")
  record CustomerVisited(@Key @Doc("Customer") String customer) {}

  private final Mesh mesh =
      Broker.mesh("profiles", new InMemorySchemaRegistry())
          .topicPrefix("d" + System.nanoTime() % 100_000 + ".")
          .build();

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static void compactQuickly(String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", Broker.shared().bootstrapServers()))) {
      List<AlterConfigOp> ops = new ArrayList<>();
      for (var e :
          Map.of(
                  "segment.ms", "100",
                  "min.cleanable.dirty.ratio", "0.01",
                  "min.compaction.lag.ms", "0")
              .entrySet()) {
        ops.add(
            new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET));
      }
      admin
          .incrementalAlterConfigs(
              Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDeletedKeyReachesConsumersAsADeletionAndCompactionKeepsOnlyTheTombstone() throws Exception {
    MeshProducer<CustomerProfile> profiles = mesh.producer(CustomerProfile.class);
    String topic = profiles.topic();
    compactQuickly(topic);
    List<ConsumedEvent<CustomerProfile>> seen = new CopyOnWriteArrayList<>();
    mesh.consumer(CustomerProfile.class).group("crm").handle(seen::add).start();

    profiles.send(new CustomerProfile("c-1", "silver")).get(30, TimeUnit.SECONDS);
    profiles.send(new CustomerProfile("c-2", "gold")).get(30, TimeUnit.SECONDS);
    profiles.send(new CustomerProfile("c-1", "gold")).get(30, TimeUnit.SECONDS);
    SendResult deleted = profiles.delete("c-2").get(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 4);
    ConsumedEvent<CustomerProfile> deletion = seen.get(3);
    assertThat(deletion.isDeletion()).isTrue();
    assertThat(deletion.key()).isEqualTo("c-2");
    assertThat(deletion.eventId()).isEqualTo(deleted.eventId());
    assertThat(deletion.header(MeshHeaders.TYPE)).contains("deletion.customer-profile.v1");
    assertThat(deletion.header(MeshHeaders.DATA_SCHEMA)).isEmpty(); // no data, no schema
    assertThat(seen.subList(0, 3)).noneMatch(ConsumedEvent::isDeletion);

    // records keep coming, segments roll, and the cleaner compacts what is no longer active
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              profiles.send(new CustomerProfile("c-filler", "none")).get(30, TimeUnit.SECONDS);
              List<ConsumerRecord<byte[], byte[]>> log = Broker.readAll(topic, 1, false);
              long c1 = log.stream().filter(r -> key(r).equals("c-1")).count();
              boolean c2ValuesGone =
                  log.stream().noneMatch(r -> key(r).equals("c-2") && r.value() != null);
              return c1 == 1 && c2ValuesGone;
            });
    List<ConsumerRecord<byte[], byte[]>> compacted = Broker.readAll(topic, 1, false);
    assertThat(compacted)
        .filteredOn(r -> key(r).equals("c-2"))
        .singleElement()
        .satisfies(r -> assertThat(r.value()).isNull());
  }

  private static String key(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
  }

  @Test
  void anEventsProductDoesNotDelete() {
    MeshProducer<CustomerVisited> visits = mesh.producer(CustomerVisited.class);

    assertThatThrownBy(() -> visits.delete("c-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("EVENTS product");
  }
}
