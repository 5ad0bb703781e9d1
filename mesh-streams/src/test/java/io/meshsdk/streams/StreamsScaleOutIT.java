package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one Kafka Streams application (exactly-once) compute a {@code STATE} product,
 * revenue per currency, from payments on four partitions; one instance stops in the middle and the
 * other takes over its tasks. Counted at the end: every payment reflected exactly once in the table
 * (the payments counted per currency add up to those sent, and so do the amounts).
 */
@MeshTest(broker = BrokerMode.EMBEDDED, timeoutMillis = 120_000)
class StreamsScaleOutIT {
  private static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP", "CHF", "JPY");

  @DataProduct(
      domain = "kit",
      name = "payment-received",
      version = "1.0",
      owner = "team-kit",
      description = "A payment was received.")
  record PaymentReceived(
      @Key @Doc("Payment id") String paymentId,
      @Doc("ISO currency") String currency,
      @Doc("Amount in cents") long cents) {}

  @DataProduct(
      domain = "kit",
      name = "revenue-per-currency",
      version = "1.0",
      owner = "team-kit",
      description = "Revenue so far per currency.",
      kind = ProductKind.STATE)
  record RevenuePerCurrency(
      @Key @Doc("ISO currency") String currency,
      @Doc("Sum of the payments in cents") long cents,
      @Doc("How many payments") long payments) {}

  @Test
  void anInstanceStopsInTheMiddleAndEveryPaymentCountsOnce(
      TestMesh mesh, @TempDir Path stateA, @TempDir Path stateB) throws Exception {
    String payments = mesh.topicOf(PaymentReceived.class);
    String revenue = mesh.topicOf(RevenuePerCurrency.class);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", mesh.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(payments, 4, (short) 1), new NewTopic(revenue, 1, (short) 1)))
          .all()
          .get();
    }
    String app = "revenue-" + mesh.topicPrefix();
    Map<String, Long> sentCents = new HashMap<>();
    Map<String, Long> sentCount = new HashMap<>();
    var producer = mesh.producer(PaymentReceived.class);
    int n = 400;

    try (KafkaStreams a =
            new KafkaStreams(topology(mesh, payments, revenue), props(mesh, app, stateA));
        KafkaStreams b =
            new KafkaStreams(topology(mesh, payments, revenue), props(mesh, app, stateB))) {
      a.start();
      b.start();
      for (int i = 0; i < n; i++) {
        if (i == n / 2) {
          // both instances have worked on the first half before one of them stops
          long half = i;
          mesh.published(RevenuePerCurrency.class)
              .await(
                  events ->
                      latest(events).values().stream().mapToLong(r -> r.payments()).sum() == half,
                  "the first half counted");
          assertThat(b.state()).isEqualTo(KafkaStreams.State.RUNNING);
          assertThat(b.metadataForLocalThreads())
              .as("the instance that stops had tasks of its own")
              .anySatisfy(t -> assertThat(t.activeTasks()).isNotEmpty());
          // stopped as a deployment stops an instance: it leaves the group, and the other takes
          // over its tasks at once rather than after the session time-out
          b.close(
              org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                  org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        String currency = CURRENCIES.get(i % CURRENCIES.size());
        long cents = 100 + i;
        producer.send(new PaymentReceived("pay-" + i, currency, cents)).join();
        sentCents.merge(currency, cents, Long::sum);
        sentCount.merge(currency, 1L, Long::sum);
      }

      List<PublishedEvent<RevenuePerCurrency>> table =
          mesh.published(RevenuePerCurrency.class)
              .await(
                  events ->
                      latest(events).values().stream().mapToLong(r -> r.payments()).sum() == n,
                  "every payment counted");
      Map<String, RevenuePerCurrency> last = latest(table);
      assertThat(last.keySet()).containsExactlyInAnyOrderElementsOf(CURRENCIES);
      for (String currency : CURRENCIES) {
        assertThat(last.get(currency).payments()).as(currency).isEqualTo(sentCount.get(currency));
        assertThat(last.get(currency).cents()).as(currency).isEqualTo(sentCents.get(currency));
      }
      // every update of a currency counts more payments than the one before it: none went back
      // (a lost update) and none counted past the payments sent (a payment counted twice)
      Map<String, Long> seen = new HashMap<>();
      for (PublishedEvent<RevenuePerCurrency> e : table) {
        RevenuePerCurrency r = e.value();
        assertThat(r.payments())
            .as(r.currency())
            .isGreaterThan(seen.getOrDefault(r.currency(), 0L));
        seen.put(r.currency(), r.payments());
        // through the repartition and the failover, each update names the payment behind it
        assertThat(e.lineage().parents())
            .singleElement()
            .satisfies(p -> assertThat(p.type()).isEqualTo("kit.payment-received.v1"));
      }
      assertThat(a.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  private static Map<String, RevenuePerCurrency> latest(
      List<PublishedEvent<RevenuePerCurrency>> events) {
    Map<String, RevenuePerCurrency> last = new LinkedHashMap<>();
    for (PublishedEvent<RevenuePerCurrency> e : events) {
      if (e.value() != null) {
        last.put(e.value().currency(), e.value());
      }
    }
    return last;
  }

  private static Topology topology(TestMesh mesh, String payments, String revenue) {
    MeshSerde<PaymentReceived> paymentSerde =
        MeshSerde.of(ProductContract.of(PaymentReceived.class), mesh.schemaRegistry());
    MeshSerde<RevenuePerCurrency> stateSerde =
        MeshSerde.of(ProductContract.of(RevenuePerCurrency.class), mesh.schemaRegistry());
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(payments, Consumed.with(Serdes.String(), paymentSerde))
        .processValues(MeshStreams.lineage())
        .groupBy((k, p) -> p.currency(), Grouped.with(Serdes.String(), paymentSerde))
        .aggregate(
            () -> new RevenuePerCurrency("", 0, 0),
            (currency, p, total) ->
                new RevenuePerCurrency(currency, total.cents() + p.cents(), total.payments() + 1),
            Materialized.with(Serdes.String(), stateSerde))
        .toStream()
        .to(
            revenue,
            Produced.with(
                Serdes.String(),
                MeshStreamsSerde.of(
                    ProductContract.of(RevenuePerCurrency.class),
                    mesh.schemaRegistry(),
                    "revenue")));
    return builder.build();
  }

  private static Properties props(TestMesh mesh, String app, Path state) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    return props;
  }
}
