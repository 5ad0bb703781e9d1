package io.meshsdk.catalog.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each event to a topic through the mesh's shared producer (one producer serves every topic
 * of a mesh), keyed by the job ({@code namespace/name}) so that one application's events stay in
 * order on one partition. Waits for the acknowledgement up to the timeout. The producer belongs to
 * the mesh, which closes it after the emitter.
 */
final class KafkaTransport implements OpenLineageTransport {
  private final Supplier<Producer<byte[], byte[]>> producer;
  private final String topic;
  private final Duration timeout;

  KafkaTransport(Supplier<Producer<byte[], byte[]>> producer, String topic, Duration timeout) {
    this.producer = producer;
    this.topic = topic;
    this.timeout = timeout;
  }

  @Override
  public void send(String key, String event) throws Exception {
    producer
        .get()
        .send(
            new ProducerRecord<>(
                topic,
                key.getBytes(StandardCharsets.UTF_8),
                event.getBytes(StandardCharsets.UTF_8)))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    // the mesh owns the producer
  }

  @Override
  public String toString() {
    return "topic " + topic;
  }
}
