package io.meshsdk.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime quick start on the testkit's embedded broker. */
class RuntimeQuickStartIT {

  @Test
  void theConsumerReadsWhatTheProducerSent() throws Exception {
    List<ConsumedEvent<OrderPlaced>> received = RuntimeQuickStart.newInbox();
    try (Mesh mesh =
        RuntimeQuickStart.run(
            EmbeddedKafkaBroker.shared().bootstrapServers(),
            new InMemorySchemaRegistry(),
            received)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());
      assertThat(received.get(0).value().orderId()).isEqualTo("o-1");
      assertThat(received.get(0).header("ce_type")).contains("orders.order-placed.v1");
      assertThat(mesh.application()).isEqualTo("checkout-service");
    }
  }
}
