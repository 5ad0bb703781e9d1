package io.meshsdk.examples.analytics;

import io.meshsdk.streams.MeshStreams;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The analytics domain's Kafka Streams application: {@link RevenuePerCurrency} from the orders it
 * reads with its own {@link OrderHistoryView}. The orders become a table (latest per order id, so
 * an order delivered twice, such as a dead letter another group replays, replaces itself rather
 * than counting twice), grouped by currency and summed; each update of a currency is an event of
 * the product, whose parent is the order that changed it.
 *
 * <pre>{@code
 * MeshStreams streams = MeshStreams.of(mesh, RevenueStreams.APPLICATION_ID);
 * KafkaStreams app = new KafkaStreams(RevenueStreams.topology(streams), streams.properties());
 * app.start();
 * }</pre>
 *
 * <p>Thread-safety: stateless; Kafka Streams runs the topology.
 */
public final class RevenueStreams {
  /** The Streams {@code application.id}: its consumer group and the name of its state. */
  public static final String APPLICATION_ID = "analytics-revenue";

  private RevenueStreams() {}

  /**
   * The topology, built and governed.
   *
   * @param streams the Kafka Streams side of the analytics mesh
   * @return the topology
   */
  public static Topology topology(MeshStreams streams) {
    // docs/streams.md: topology
    StreamsBuilder builder = new StreamsBuilder();
    streams.stream(builder, OrderHistoryView.class)
        .toTable(
            Materialized.<String, OrderHistoryView, KeyValueStore<Bytes, byte[]>>with(
                Serdes.String(), streams.serde(OrderHistoryView.class)))
        .groupBy(
            (orderId, order) -> KeyValue.pair(order.currency(), order),
            Grouped.with(Serdes.String(), streams.serde(OrderHistoryView.class)))
        .aggregate(
            () -> new RevenuePerCurrency("", 0, 0),
            (currency, order, sum) ->
                new RevenuePerCurrency(
                    currency, sum.cents() + order.amountCents(), sum.orders() + 1),
            (currency, order, sum) ->
                new RevenuePerCurrency(
                    currency, sum.cents() - order.amountCents(), sum.orders() - 1),
            Materialized.<String, RevenuePerCurrency, KeyValueStore<Bytes, byte[]>>with(
                Serdes.String(), streams.serde(RevenuePerCurrency.class)))
        .toStream()
        .to(streams.topic(RevenuePerCurrency.class), streams.produced(RevenuePerCurrency.class));
    Topology topology = streams.build(builder); // governance, topics
    // docs/streams.md: end
    return topology;
  }
}
