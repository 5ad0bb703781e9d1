package io.meshsdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.Mesh;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.runtime.ProvisioningMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Consumer set-up and shutdown that need no broker (provisioning off, nothing polled). */
class ConsumerLifecycleTest {
  @DataProduct(
      domain = "life",
      name = "tick",
      version = "1.0",
      owner = "team-life",
      description = "A tick.")
  record Tick(@Key @Doc("Id") String id) {}

  private Mesh mesh() {
    return Mesh.builder()
        .application("life")
        .bootstrapServers("127.0.0.1:1")
        .schemaRegistry(new InMemorySchemaRegistry())
        .provisioning(ProvisioningMode.NONE)
        .closeTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Test
  void aRunningConsumerStopsPromptlyOnCloseEvenWithoutABroker() throws Exception {
    try (Mesh mesh = mesh()) {
      MeshConsumer<Tick> consumer = mesh.consumer(Tick.class).group("g").handle(e -> {}).start();
      assertThat(consumer.isRunning()).isTrue();
      assertThat(consumer.deadLetterTopic()).isEqualTo("life.tick.v1.g.dlq");
      long start = System.nanoTime();
      consumer.close();
      consumer.close();
      assertThat(consumer.isRunning()).isFalse();
      assertThat(consumer.awaitTermination(Duration.ofSeconds(1))).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(consumer.failure()).isEmpty();
    }
  }

  @Test
  void severalConsumersBehindOneHandleStopTogether() throws Exception {
    try (Mesh mesh = mesh()) {
      MeshConsumer<Tick> consumers =
          mesh.consumer(Tick.class).group("g").concurrency(3).handle(e -> {}).start();
      assertThat(consumers.isRunning()).isTrue();
      assertThat(consumers.group()).isEqualTo("g");
      consumers.close();
      assertThat(consumers.isRunning()).isFalse();
      assertThat(consumers.awaitTermination(Duration.ofSeconds(1))).isTrue();
      assertThatThrownBy(() -> mesh.consumer(Tick.class).concurrency(0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void refusesKeysTheSdkOwnsPerConsumer() {
    try (Mesh mesh = mesh()) {
      assertThatThrownBy(() -> mesh.consumer(Tick.class).kafkaProperty("enable.auto.commit", true))
          .hasMessageContaining("enable.auto.commit");
      assertThatThrownBy(() -> mesh.consumer(Tick.class).maxAttempts(0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> mesh.consumer(Tick.class).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> mesh.consumer(Tick.class).group(" "))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void refusesParallelSettingsThatCannotWork() {
    try (Mesh mesh = mesh()) {
      assertThatThrownBy(() -> mesh.consumer(Tick.class).parallel(MeshConsumer.Ordering.KEY, 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> mesh.consumer(Tick.class).parallel(MeshConsumer.Ordering.UNORDERED, 1025))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> mesh.consumer(Tick.class).parallel(MeshConsumer.Ordering.PARTITION, 4))
          .hasMessageContaining("concurrency(n)");
      assertThatThrownBy(() -> mesh.consumer(Tick.class).maxInFlight(0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aParallelConsumerStopsPromptlyOnCloseEvenWithoutABroker() throws Exception {
    try (Mesh mesh = mesh()) {
      MeshConsumer<Tick> consumer =
          mesh.consumer(Tick.class)
              .group("g")
              .parallel(MeshConsumer.Ordering.KEY, 8)
              .handle(e -> {})
              .start();
      assertThat(consumer.isRunning()).isTrue();
      consumer.close();
      assertThat(consumer.awaitTermination(Duration.ofSeconds(1))).isTrue();
      assertThat(consumer.failure()).isEmpty();
    }
  }

  @Test
  void refusesShareConsumerSettingsThatCannotWork() {
    try (Mesh mesh = mesh()) {
      assertThatThrownBy(() -> mesh.shareConsumer(Tick.class).concurrency(0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> mesh.shareConsumer(Tick.class).maxAttempts(0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> mesh.shareConsumer(Tick.class).group("no spaces"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () ->
                  mesh.shareConsumer(Tick.class)
                      .startFrom(StartPosition.timestamp(java.time.Instant.EPOCH)))
          .hasMessageContaining("share.auto.offset.reset");
      assertThatThrownBy(
              () -> mesh.shareConsumer(Tick.class).kafkaProperty("auto.offset.reset", "earliest"))
          .isInstanceOf(io.meshsdk.errors.MeshConfigurationException.class)
          .hasMessageContaining("group's configuration");
      assertThatThrownBy(
              () ->
                  mesh.shareConsumer(Tick.class)
                      .kafkaProperty("share.acknowledgement.mode", "implicit"))
          .hasMessageContaining("explicit acknowledgement");
      assertThatThrownBy(() -> mesh.shareConsumer(Tick.class).handle(e -> {}).start())
          .isInstanceOf(io.meshsdk.errors.MeshConfigurationException.class)
          .hasMessageContaining("share group is required");
    }
  }
}
