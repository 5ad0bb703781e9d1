package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIT {

  @Test
  void servesClientsAndSurvivesARestartOnTheSameDirectoryAndPorts() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start()) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin
            .createTopics(List.of(new NewTopic("restart", 1, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      send(bootstrap, "before");

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.start();

      send(bootstrap, "after");
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              Map.of("bootstrap.servers", bootstrap),
              new StringDeserializer(),
              new StringDeserializer())) {
        TopicPartition tp = new TopicPartition("restart", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        List<String> values = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (values.size() < 2 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            values.add(r.value());
          }
        }
        assertThat(values).containsExactly("before", "after");
      }
    }
  }

  @Test
  void closingDeletesTheDirectoryAndRefusesARestart() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
    broker.close();
    broker.close();
    assertThatThrownBy(broker::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theSharedBrokerIsOnePerJvm() {
    assertThat(EmbeddedKafkaBroker.shared()).isSameAs(EmbeddedKafkaBroker.shared());
    assertThat(EmbeddedKafkaBroker.shared().isRunning()).isTrue();
  }

  private static void send(String bootstrap, String value) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "delivery.timeout.ms", "60000"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>("restart", value)).get(60, TimeUnit.SECONDS);
    }
  }
}
