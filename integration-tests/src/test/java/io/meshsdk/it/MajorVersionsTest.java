package io.meshsdk.it;

import static io.meshsdk.testkit.MeshAssertions.assertThat;
import static io.meshsdk.testkit.MeshAssertions.assertThatMetrics;
import static io.meshsdk.testkit.MeshAssertions.assertThatThrownBy;

import io.meshsdk.producer.DualPublishException;
import io.meshsdk.producer.SendFailedException;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.MeshExtension;
import io.meshsdk.testkit.TestMesh;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The major-version scenarios in memory, plus the partial failures only the in-memory cluster can
 * inject (a broker refusing one topic).
 */
class MajorVersionsTest extends MajorVersionScenarios {
  @RegisterExtension static final MeshExtension MESH = extension().build();

  @Test
  void withoutTransactionsAFailedTranslationLeavesTheOriginalAndIsCounted(TestMesh mesh) {
    var orders = mesh.dualProducer(BookedV2.class).alsoAs(BookedV1.class).build();
    mesh.inMemoryKafka()
        .orElseThrow()
        .failNextSends(mesh.topicOf(BookedV1.class), 1, () -> new TimeoutException("v1 down"));

    var future = orders.send(euros("o-1", 1));

    assertThatThrownBy(future::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            DualPublishException.class,
            e -> assertThat(e.original().topic()).isEqualTo(mesh.topicOf(BookedV2.class)))
        .hasMessageContaining("its translation to " + mesh.topicOf(BookedV1.class) + " failed");
    assertThat(mesh.published(BookedV2.class)).hasSize(1);
    assertThat(mesh.published(BookedV1.class)).isEmpty();
    assertThatMetrics(mesh).hasCount(MeshMetrics.DUAL_PUBLISH, 1, "outcome", "partial");
  }

  @Test
  void withTransactionsAFailedTranslationRollsBackBoth(TestMesh mesh) {
    var orders = mesh.dualProducer(BookedV2.class).alsoAs(BookedV1.class).transactional().build();
    orders.send(euros("o-1", 1)).join();
    mesh.inMemoryKafka()
        .orElseThrow()
        .failNextSends(mesh.topicOf(BookedV1.class), 1, () -> new TimeoutException("v1 down"));

    var future = orders.send(euros("o-2", 2));

    assertThatThrownBy(future::join)
        .cause()
        .isInstanceOf(SendFailedException.class)
        .isNotInstanceOf(DualPublishException.class)
        .hasMessageContaining("rolled back");
    assertThat(mesh.published(BookedV2.class)).hasSize(1).first().hasKey("o-1");
    assertThat(mesh.published(BookedV1.class)).hasSize(1).first().hasKey("o-1");
  }

  @Test
  void aTransactionalDualProducerKeepsSendingAfterTheMigrationPeriod(TestMesh mesh) {
    var orders =
        mesh.dualProducer(BookedV2.class)
            .alsoAs(BookedV1.class)
            .transactional()
            .until(java.time.Instant.now().minusSeconds(1))
            .build();

    orders.send(euros("o-1", 1)).join();

    assertThat(mesh.published(BookedV2.class)).hasSize(1).first().hasKey("o-1");
    assertThat(mesh.published(BookedV1.class)).isEmpty();
  }
}
