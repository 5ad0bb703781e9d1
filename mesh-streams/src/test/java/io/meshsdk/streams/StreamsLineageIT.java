package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Streams application on the embedded broker writes a product that the testkit reads as any
 * Mesh product: decoded, with its CloudEvents headers, and each label's ancestors leading back to
 * the booking it came from on the input topic.
 */
@MeshTest(broker = BrokerMode.EMBEDDED, timeoutMillis = 60_000)
class StreamsLineageIT {
  @DataProduct(
      domain = "kit",
      name = "parcel-booked",
      version = "1.0",
      owner = "team-kit",
      description = "A parcel was booked.")
  record ParcelBooked(@Key @Doc("Parcel id") String parcelId, @Doc("Weight in grams") int grams) {}

  @DataProduct(
      domain = "kit",
      name = "label-printed",
      version = "1.0",
      owner = "team-kit",
      description = "A label was printed for a parcel.")
  record LabelPrinted(@Key @Doc("Parcel id") String parcelId, @Doc("Weight in grams") int grams) {}

  @Test
  void everyLabelLeadsBackToItsBooking(TestMesh mesh, @TempDir Path state) throws Exception {
    String input = mesh.topicOf(ParcelBooked.class);
    String output = mesh.topicOf(LabelPrinted.class);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", mesh.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(input, 2, (short) 1), new NewTopic(output, 2, (short) 1)))
          .all()
          .get();
    }
    var bookings = mesh.producer(ParcelBooked.class);
    int n = 40;
    for (int i = 0; i < n; i++) {
      bookings.send(new ParcelBooked("p-" + i, 100 + i)).join();
    }

    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            input,
            Consumed.with(
                Serdes.String(),
                MeshSerde.of(ProductContract.of(ParcelBooked.class), mesh.schemaRegistry())))
        .processValues(MeshStreams.lineage())
        .mapValues(p -> new LabelPrinted(p.parcelId(), p.grams()))
        .to(
            output,
            Produced.with(
                Serdes.String(),
                MeshStreamsSerde.of(
                    ProductContract.of(LabelPrinted.class), mesh.schemaRegistry(), "labels")));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "labels-" + mesh.topicPrefix());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      List<PublishedEvent<LabelPrinted>> labels =
          mesh.published(LabelPrinted.class).awaitSize(n, "labels");
      Map<String, PublishedEvent<ParcelBooked>> booked =
          mesh.published(ParcelBooked.class).now().stream()
              .collect(Collectors.toMap(e -> e.value().parcelId(), Function.identity()));

      assertThat(labels).extracting(e -> e.value().parcelId()).doesNotHaveDuplicates();
      for (PublishedEvent<LabelPrinted> label : labels) {
        PublishedEvent<ParcelBooked> booking = booked.get(label.value().parcelId());
        EventRef bookingRef = booking.lineage().self();
        assertThat(label.headers()).containsEntry("ce_source", "/mesh/labels");
        assertThat(label.lineage().self().type()).isEqualTo("kit.label-printed.v1");
        assertThat(label.lineage().self().id()).isNotEqualTo(bookingRef.id());
        assertThat(label.lineage().parents()).containsExactly(bookingRef);
        assertThat(label.value().grams()).isEqualTo(booking.value().grams());
      }
      // the testkit follows the parent back to the booking's record (a topic read per label, so
      // for a few of them)
      for (PublishedEvent<LabelPrinted> label : labels.subList(0, 3)) {
        assertThat(mesh.ancestors(label))
            .containsExactly(booked.get(label.value().parcelId()).lineage().self());
      }
    }
  }
}
