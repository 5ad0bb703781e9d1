package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.FailedEvent;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.testkit.TestMesh;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay through a handler, in memory: what it hands over for dead letters it knows little of. */
class DeadLetterReplayTest {

  @DataProduct(
      domain = "kit",
      name = "parcel-scanned",
      version = "1.0",
      owner = "team-kit",
      description = "A parcel was scanned.")
  record ParcelScanned(@Key @Doc("Parcel") String parcelId) {}

  private static final String DLQ = "kit.parcel-scanned.v1.sorting.dlq";

  @Test
  void aRecordWithoutDeadLetterHeadersIsStillHandedOverAndSaysSo() {
    try (TestMesh mesh = TestMesh.builder().build()) {
      DeadLetters<ParcelScanned> deadLetters = mesh.deadLetters(ParcelScanned.class, "sorting");
      assertThat(deadLetters.topic()).isEqualTo(DLQ);
      mesh.sendRaw(DLQ, "p-1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0});

      List<FailedEvent<ParcelScanned>> seen = new ArrayList<>();
      assertThat(deadLetters.replay(seen::add, Duration.ofSeconds(10))).isEqualTo(1);

      FailedEvent<ParcelScanned> event = seen.get(0);
      assertThat(event.value()).isEmpty();
      assertThat(event.decodingError()).isPresent();
      assertThat(event.reason()).isEqualTo("unknown");
      assertThat(event.originalTopic()).isEmpty();
      assertThat(event.originalPartition()).isEqualTo(-1);
      assertThat(event.originalOffset()).isEqualTo(-1);
      assertThat(event.attempts()).isEqualTo(-1);
      assertThat(event.exception()).isEmpty();
      assertThat(event.deadLetterPosition()).isEqualTo(DLQ + "-0@0");
      assertThat(event.toString()).contains("reason=unknown");
    }
  }

  @Test
  void argumentsAreChecked() {
    try (TestMesh mesh = TestMesh.builder().build()) {
      DeadLetters<ParcelScanned> deadLetters = mesh.deadLetters(ParcelScanned.class, "sorting");
      assertThatThrownBy(() -> deadLetters.replay(null, Duration.ofSeconds(1)))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("handler");
      assertThatThrownBy(() -> deadLetters.replay(e -> {}, null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("timeout");
      assertThatThrownBy(() -> mesh.deadLetters(ParcelScanned.class, null))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
