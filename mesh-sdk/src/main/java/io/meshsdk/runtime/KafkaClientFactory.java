package io.meshsdk.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates the Kafka clients a {@code Mesh} uses. The default, {@link #kafka()}, creates Apache
 * Kafka's own {@code KafkaProducer}, {@code KafkaConsumer}, {@code KafkaShareConsumer} and {@code
 * Admin}; the testkit supplies an in-memory one, and an application may wrap the default (for
 * example to add its own interceptors or a client that talks through a proxy).
 *
 * <p>The mesh passes complete configurations: its defaults, the application's passthrough
 * properties and the keys it owns ({@code client.id}, {@code group.id}, {@code enable.auto.commit},
 * {@code transactional.id}, ...). Keys and values are always byte arrays; the SDK serializes. A
 * factory must honour what the SDK relies on: manual commits, pause/resume, seek, rebalance
 * listener callbacks on the polling thread, and transactions when a {@code transactional.id} is
 * present.
 *
 * <p>Thread-safety: implementations must be thread-safe; the mesh calls them from any thread.
 * Ownership: the mesh owns and closes every client it obtained from the factory; the factory itself
 * is not closed by the mesh.
 */
public interface KafkaClientFactory {

  /**
   * A producer.
   *
   * @param config the complete producer configuration
   * @return a new producer, owned by the caller
   */
  Producer<byte[], byte[]> producer(Map<String, Object> config);

  /**
   * A consumer.
   *
   * @param config the complete consumer configuration
   * @return a new consumer, owned by the caller
   */
  Consumer<byte[], byte[]> consumer(Map<String, Object> config);

  /**
   * A share consumer (a member of a Kafka share group). The default refuses: the in-memory Kafka of
   * the testkit and factories written before share groups have none.
   *
   * @param config the complete share consumer configuration
   * @return a new share consumer, owned by the caller
   * @throws UnsupportedOperationException when this factory makes no share consumers
   */
  default ShareConsumer<byte[], byte[]> shareConsumer(Map<String, Object> config) {
    throw new UnsupportedOperationException(this + " makes no share consumers");
  }

  /**
   * An admin client, used to create and verify topics.
   *
   * @param config the Kafka properties of the mesh
   * @return a new admin client, owned by the caller
   */
  Admin admin(Map<String, Object> config);

  /**
   * A factory from three functions, for client sources that are not factories themselves (the
   * testkit's {@code InMemoryKafka}: {@code KafkaClientFactory.of(kafka::producer, kafka::consumer,
   * kafka::admin)}) or to wrap the default.
   *
   * @param producers makes producers
   * @param consumers makes consumers
   * @param admins makes admin clients
   * @return the factory; thread-safe when the functions are
   */
  static KafkaClientFactory of(
      Function<Map<String, Object>, Producer<byte[], byte[]>> producers,
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers,
      Function<Map<String, Object>, Admin> admins) {
    Objects.requireNonNull(producers, "producers");
    Objects.requireNonNull(consumers, "consumers");
    Objects.requireNonNull(admins, "admins");
    return new KafkaClientFactory() {
      @Override
      public Producer<byte[], byte[]> producer(Map<String, Object> config) {
        return producers.apply(config);
      }

      @Override
      public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return consumers.apply(config);
      }

      @Override
      public Admin admin(Map<String, Object> config) {
        return admins.apply(config);
      }

      @Override
      public String toString() {
        return "KafkaClientFactory.of(" + producers + ")";
      }
    };
  }

  /**
   * The factory of Apache Kafka's own clients (the default).
   *
   * @return the factory
   */
  static KafkaClientFactory kafka() {
    return ApacheKafkaClients.INSTANCE;
  }
}

/** The default factory: Apache Kafka's clients. */
enum ApacheKafkaClients implements KafkaClientFactory {
  INSTANCE;

  @Override
  public Producer<byte[], byte[]> producer(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public ShareConsumer<byte[], byte[]> shareConsumer(Map<String, Object> config) {
    return new KafkaShareConsumer<>(
        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Admin admin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public String toString() {
    return "KafkaClientFactory.kafka()";
  }
}
