package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.streams.Parcels.LabelPrinted;
import io.meshsdk.streams.Parcels.ParcelBooked;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.DeadLetter;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import io.meshsdk.testkit.TestTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MeshStreams} with a real Kafka Streams application (exactly-once) on the embedded KRaft
 * broker, which a test gets with one annotation attribute ({@code broker = EMBEDDED}): the topics
 * created at build, every input accounted for (labels + dead letters = records sent), and the
 * product meters counting what happened, {@code mesh.produce} timed from send to the broker's
 * acknowledgement.
 */
@MeshTest(broker = BrokerMode.EMBEDDED, timeoutMillis = 60_000)
class MeshStreamsIT {
  private static final String APP = "label-printer";

  @Test
  void everyRecordIsCountedByTheProductMeters(TestMesh mesh, @TempDir Path state) {
    int good = 20;
    int throwing = 2;
    int breaching = 2;
    int poison = 2;
    var bookings = mesh.producer(ParcelBooked.class); // creates the input topic, as its owner does
    try (MeshStreams streams = MeshStreams.of(mesh, APP)) {
      Properties props = streams.properties();
      props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
      props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
      props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
      try (KafkaStreams app = new KafkaStreams(MeshStreamsTest.labels(streams), props)) {
        app.start();
        for (int i = 0; i < good; i++) {
          bookings.send(new ParcelBooked("p-" + i, "p" + i + "@example.com", 100 + i)).join();
        }
        for (int i = 0; i < throwing; i++) {
          bookings.send(new ParcelBooked("jam-" + i, "j" + i + "@example.com", -1)).join();
        }
        for (int i = 0; i < breaching; i++) {
          bookings.send(new ParcelBooked("zero-" + i, "z" + i + "@example.com", 0)).join();
        }
        for (int i = 0; i < poison; i++) {
          mesh.sendRaw(
              mesh.topicOf(ParcelBooked.class),
              null,
              ("not avro " + i).getBytes(StandardCharsets.UTF_8));
        }

        List<PublishedEvent<LabelPrinted>> labels =
            mesh.published(LabelPrinted.class).awaitSize(good, "labels");
        List<DeadLetter> letters =
            mesh.deadLetters(APP).awaitSize(throwing + breaching + poison, "dead letters");
        assertThat(labels.size() + letters.size())
            .as("labels + dead letters = records sent")
            .isEqualTo(good + throwing + breaching + poison);
        assertThat(labels).allSatisfy(l -> assertThat(l.lineage().parents()).hasSize(1));

        MeterRegistry meters = mesh.metrics();
        // the acknowledgements come back to the producer after the records are written
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(
                            count(meters.find(MeshMetrics.PRODUCE), "success", "kit.label-printed"))
                        .isEqualTo(good));
        assertThat(count(meters.find(MeshMetrics.PRODUCE), "failure", "kit.label-printed"))
            .isZero();
        assertThat(
                meters
                    .get(MeshMetrics.PRODUCE)
                    .tags(MeshMetrics.TAG_OUTCOME, "success")
                    .timer()
                    .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
            .as("send to acknowledgement takes time")
            .isPositive();
        assertThat(count(meters.find(MeshMetrics.CONSUME), "success", "kit.parcel-booked"))
            .isEqualTo(good);
        assertThat(count(meters.find(MeshMetrics.CONSUME), "dead_letter", "kit.parcel-booked"))
            .isEqualTo(throwing + breaching);
        assertThat(
                meters
                    .get(MeshMetrics.CONTRACT_VIOLATIONS)
                    .tags(MeshMetrics.TAG_PRODUCT, "kit.label-printed")
                    .counter()
                    .count())
            .isEqualTo(breaching);
        assertThat(
                meters
                    .get(MeshMetrics.DLQ)
                    .tags(MeshMetrics.TAG_GROUP, APP, MeshMetrics.TAG_REASON, "handler")
                    .counter()
                    .count())
            .isEqualTo(throwing + breaching);
        assertThat(
                meters
                    .get(MeshMetrics.DLQ)
                    .tags(MeshMetrics.TAG_GROUP, APP, MeshMetrics.TAG_REASON, "wrong_magic_byte")
                    .counter()
                    .count())
            .isEqualTo(poison);
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    }
  }

  @Test
  void testTopologyNeedsTheInMemoryKafkaAndSaysWhatToDoOnABroker(TestMesh mesh) {
    try (MeshStreams streams = MeshStreams.of(mesh, APP)) {
      Topology topology = MeshStreamsTest.labels(streams);
      assertThatThrownBy(() -> TestTopology.of(mesh, topology, streams.properties()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("KafkaStreams");
    }
  }

  private static long count(Search search, String outcome, String product) {
    return search
        .tags(MeshMetrics.TAG_OUTCOME, outcome, MeshMetrics.TAG_PRODUCT, product)
        .timers()
        .stream()
        .mapToLong(t -> t.count())
        .sum();
  }
}
