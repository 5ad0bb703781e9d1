package io.meshsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.spring.actuate.MeshHealthIndicator;
import io.meshsdk.spring.fixtures.OrderPlaced;
import io.meshsdk.spring.listener.MeshListener;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The production path on a real broker: the auto-configured mesh (not the testkit's) built from
 * {@code spring.kafka.bootstrap-servers} of the embedded KRaft broker, with the context's meter
 * registry; a listener and an injected producer round-trip through Kafka.
 */
@SpringBootTest(
    properties = {
      "spring.application.name=shipping-it",
      "mesh.registry.url=mock://starter-embedded-it",
      "mesh.topic-prefix=boot-it.",
      "mesh.listener.stop-timeout=10s"
    })
class MeshStarterEmbeddedIT {
  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.kafka.bootstrap-servers", () -> EmbeddedKafkaBroker.shared().bootstrapServers());
  }

  @Autowired Mesh mesh;
  @Autowired MeshProducer<OrderPlaced> orders;
  @Autowired Received received;
  @Autowired MeshHealthIndicator health;
  @Autowired MeterRegistry meters;

  @Test
  void aListenerReceivesWhatAnInjectedProducerSendsThroughTheBroker() {
    assertThat(mesh.getClass().getSimpleName()).isNotEqualTo("TestMesh");

    orders.send(new OrderPlaced("o-42", 900, "EUR")).join();

    await().atMost(Duration.ofSeconds(30)).until(() -> received.orders.size() == 1);
    assertThat(received.orders).containsExactly(new OrderPlaced("o-42", 900, "EUR"));
    assertThat(meters.getMeters()).as("the mesh reports to the context's registry").isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var h = health.health();
              assertThat(h.getStatus()).as("%s", h.getDetails()).isEqualTo(Status.UP);
              assertThat(h.getDetails().get("broker").toString()).contains("nodes=1");
            });
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    Received received() {
      return new Received();
    }
  }

  static class Received {
    final List<OrderPlaced> orders = new CopyOnWriteArrayList<>();

    @MeshListener(group = "shipping-it", startFrom = "EARLIEST")
    void on(OrderPlaced order) {
      orders.add(order);
    }
  }
}
