package io.meshsdk.it;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMetrics;

import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** {@code @MeshTest(broker = EMBEDDED)}: the same tests as in memory, on the real KRaft broker. */
@MeshTest(broker = BrokerMode.EMBEDDED, timeoutMillis = 30_000)
class TestMeshEmbeddedIT {
  private static final Set<String> PREFIXES = ConcurrentHashMap.newKeySet();

  @DataProduct(
      domain = "kit",
      name = "parcel-booked",
      version = "1.0",
      owner = "team-kit",
      description = "A parcel was booked.",
      partitions = 2)
  record ParcelBooked(@Key @Doc("Parcel id") String parcelId, @Doc("Weight in grams") int grams) {}

  @DataProduct(
      domain = "kit",
      name = "label-printed",
      version = "1.0",
      owner = "team-kit",
      description = "A label was printed for a parcel.")
  record LabelPrinted(@Key @Doc("Parcel id") String parcelId) {}

  @Test
  void derivedEventsDeadLettersMetricsAndSpansOnTheRealBroker(TestMesh mesh) {
    var labels = mesh.producer(LabelPrinted.class);
    mesh.consumer(ParcelBooked.class)
        .group("labels")
        .startFrom(StartPosition.earliest())
        .handle(e -> labels.send(new LabelPrinted(e.value().parcelId())).join())
        .start();
    mesh.producer(ParcelBooked.class).send(new ParcelBooked("p-1", 500)).join();
    assertThat(mesh.published(ParcelBooked.class)).hasSize(1);
    PublishedEvent<ParcelBooked> parcel = mesh.published(ParcelBooked.class).now().get(0);
    // from here on the topic holds a record ParcelBooked cannot read, so published() would fail
    mesh.sendRaw(
        mesh.topicOf(ParcelBooked.class),
        "p-2".getBytes(StandardCharsets.UTF_8),
        new byte[] {9, 9, 9, 9, 9, 9});

    assertThat(mesh.published(LabelPrinted.class))
        .hasSize(1)
        .first()
        .hasKey("p-1")
        .hasType("kit.label-printed.v1")
        .hasParent(parcel);
    assertThat(mesh.deadLetters("labels")).hasSize(1).first().hasReason("wrong_magic_byte");
    assertThatMetrics(mesh)
        .hasCount(MeshMetrics.CONSUME, 1, "group", "labels", "outcome", "success");
    String topic = mesh.topicOf(ParcelBooked.class);
    assertThat(mesh.traces()).hasParentChild("publish " + topic, "process " + topic);
  }

  @RepeatedTest(2)
  void everyTestHasItsOwnTopics(TestMesh mesh) {
    assertThat(mesh.topicPrefix()).isNotEmpty();
    assertThat(PREFIXES.add(mesh.topicPrefix())).as("a prefix used once").isTrue();
    assertThat(mesh.topicOf(ParcelBooked.class))
        .isEqualTo(mesh.topicPrefix() + "kit.parcel-booked.v1");
    // other tests of this class published parcels; this test's namespace holds none of them
    assertThat(mesh.published(ParcelBooked.class)).isEmpty();
    mesh.producer(ParcelBooked.class).send(new ParcelBooked("p-" + PREFIXES.size(), 1)).join();
    assertThat(mesh.published(ParcelBooked.class)).hasSize(1);
  }
}
