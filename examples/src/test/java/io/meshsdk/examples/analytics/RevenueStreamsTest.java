package io.meshsdk.examples.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.examples.orders.OrderPlaced;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.streams.MeshStreams;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import io.meshsdk.testkit.TestTopology;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Analytics' Kafka Streams application in a unit test: the topology in Kafka's {@code
 * TopologyTestDriver} against the test mesh's in-memory Kafka, read back as any product is.
 */
@MeshTest
class RevenueStreamsTest {

  @Test
  void sumsEveryOrderOncePerCurrencyAndEachUpdateNamesTheOrderBehindIt(TestMesh mesh)
      throws Exception {
    try (MeshStreams streams = MeshStreams.of(mesh, RevenueStreams.APPLICATION_ID);
        TestTopology topology =
            TestTopology.of(mesh, RevenueStreams.topology(streams), streams.properties())) {
      var orders = mesh.producer(OrderPlaced.class);
      orders.send(order("o-1", 100, "EUR")).join();
      orders.send(order("o-2", 250, "USD")).join();
      orders.send(order("o-3", 300, "EUR")).join();
      // a dead letter replayed by another group: the same record again
      var first = mesh.records(mesh.topicOf(OrderPlaced.class)).get(0);
      try (var producer = mesh.inMemoryKafka().orElseThrow().producer(Map.of())) {
        producer
            .send(
                new ProducerRecord<>(
                    first.topic(), null, first.key(), first.value(), first.headers()))
            .get();
      }

      assertThat(topology.process()).isEqualTo(4);

      List<PublishedEvent<RevenuePerCurrency>> updates =
          mesh.published(RevenuePerCurrency.class).now();
      Map<String, RevenuePerCurrency> latest = new LinkedHashMap<>();
      updates.forEach(u -> latest.put(u.key(), u.value()));
      assertThat(latest)
          .containsEntry("EUR", new RevenuePerCurrency("EUR", 400, 2))
          .containsEntry("USD", new RevenuePerCurrency("USD", 250, 1))
          .hasSize(2);

      // each update names the order that changed it: o-3 made EUR's 400 of 2 orders, and the
      // replayed copy of o-1 (same event id, a later offset) replaced o-1, changing nothing
      Map<String, PublishedEvent<OrderHistoryView>> placed = new LinkedHashMap<>();
      mesh.published(OrderHistoryView.class).now().forEach(o -> placed.put(o.value().orderId(), o));
      List<PublishedEvent<RevenuePerCurrency>> eur =
          updates.stream().filter(u -> u.key().equals("EUR")).toList();
      PublishedEvent<RevenuePerCurrency> byO3 =
          eur.stream().filter(u -> u.value().orders() == 2).findFirst().orElseThrow();
      assertThat(mesh.ancestors(byO3)).containsExactly(placed.get("o-3").ref());
      EventRef last = eur.get(eur.size() - 1).lineage().parents().get(0);
      assertThat(eur.get(eur.size() - 1).value()).isEqualTo(new RevenuePerCurrency("EUR", 400, 2));
      assertThat(last.id()).isEqualTo(placed.get("o-1").eventId());
      assertThat(last.offset()).isEqualTo(3);
    }
  }

  private static OrderPlaced order(String id, long cents, String currency) {
    return new OrderPlaced(id, "buyer@example.com", cents, currency, Instant.now(), "web");
  }
}
