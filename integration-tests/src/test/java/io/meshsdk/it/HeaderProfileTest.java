package io.meshsdk.it;

import static io.meshsdk.testkit.MeshAssertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.runtime.HeaderProfile;
import io.meshsdk.testkit.TestMesh;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The compact header profile (in memory): CloudEvents' required attributes, still a CloudEvent. */
class HeaderProfileTest {

  @DataProduct(
      domain = "kit",
      name = "meter-read",
      version = "1.2",
      owner = "team-kit",
      description = "A meter was read.")
  record MeterRead(@Key @Doc("Meter") String meterId, @Doc("Watts") long watts) {}

  @Test
  void compactRecordsCarryOnlyTheRequiredAttributesAndStayReadable() {
    try (TestMesh mesh =
        TestMesh.builder().configure(b -> b.headerProfile(HeaderProfile.COMPACT)).build()) {
      List<ConsumedEvent<MeterRead>> seen = new CopyOnWriteArrayList<>();
      mesh.consumer(MeterRead.class)
          .group("billing")
          .startFrom(StartPosition.earliest())
          .handle(seen::add)
          .start();
      Instant at = Instant.parse("2026-11-25T10:00:00.123Z");
      mesh.producer(MeterRead.class)
          .send(
              new MeterRead("m-1", 42),
              io.meshsdk.producer.SendOptions.builder().eventTime(at).build())
          .join();

      ConsumerRecord<byte[], byte[]> raw = mesh.records(mesh.topicOf(MeterRead.class)).get(0);
      assertThat(raw.headers().toArray())
          .extracting(Header::key)
          .containsExactlyInAnyOrder(
              "ce_specversion", "ce_id", "ce_source", "ce_type", "traceparent");
      try (CloudEventDeserializer ce = new CloudEventDeserializer()) {
        ce.configure(Map.of(), false);
        CloudEvent event = ce.deserialize(raw.topic(), raw.headers(), raw.value());
        assertThat(event.getType()).isEqualTo("kit.meter-read.v1");
        assertThat(event.getSource().toString()).isEqualTo("/mesh/" + mesh.application());
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> seen.size() == 1);
      ConsumedEvent<MeterRead> e = seen.get(0);
      assertThat(e.value()).isEqualTo(new MeterRead("m-1", 42));
      assertThat(e.eventTime()).isEqualTo(at); // from the record timestamp
      assertThat(e.writerVersion()).isEmpty();
    }
  }

  @Test
  void theProfileIsAlsoAProperty() {
    try (Mesh mesh =
        Mesh.fromMap(
            Map.of(
                "mesh.application", "p",
                "bootstrap.servers", "localhost:1",
                "schema.registry.url", "mock://header-profile",
                "mesh.headers", "compact"))) {
      assertThat(mesh.application()).isEqualTo("p");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Mesh.fromMap(
                    Map.of(
                        "mesh.application", "p",
                        "bootstrap.servers", "localhost:1",
                        "schema.registry.url", "mock://header-profile",
                        "mesh.headers", "tiny")))
        .hasMessageContaining("mesh.headers: 'tiny' is not one of [FULL, COMPACT]");
  }
}
