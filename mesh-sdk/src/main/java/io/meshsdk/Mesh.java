package io.meshsdk;

import io.meshsdk.bridge.MeshBridge;
import io.meshsdk.bridge.SourceFormat;
import io.meshsdk.consumer.DeadLetters;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.migration.Migrations;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.SchemaRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The entry point of Mesh SDK for one application: creates producers, consumers and processors of
 * data products that share the application id, Kafka settings, schema registry, governance policy
 * and telemetry.
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.builder()
 *     .application("checkout-service")
 *     .bootstrapServers("localhost:9092")
 *     .schemaRegistry(registry)
 *     .build()) {
 *   MeshProducer<OrderPlaced> orders = mesh.producer(OrderPlaced.class);
 *   orders.send(order);
 *   mesh.consumer(OrderPlaced.class).group("shipping").handle(e -> ship(e.value())).start();
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; share one per application. {@link #close()} closes the producers,
 * consumers and processors it created (consumers first, so their last commits and dead letters go
 * out), but not what it was given: the schema registry, the {@code MeterRegistry}, the {@code
 * OpenTelemetry}.
 */
public interface Mesh extends AutoCloseable {

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  static MeshBuilder builder() {
    return new MeshBuilder();
  }

  /**
   * A mesh from properties named like Kafka's own: every key passes through to the Kafka clients
   * except the {@code mesh.*} keys and {@code schema.registry.url} (see {@link
   * MeshBuilder#properties(Map)}).
   *
   * @param properties the properties
   * @return the mesh
   * @throws MeshConfigurationException naming every missing or invalid key
   */
  static Mesh fromProperties(Properties properties) {
    Objects.requireNonNull(properties, "properties");
    Map<String, Object> map = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return builder().properties(map).build();
  }

  /**
   * A mesh from a map of properties; see {@link #fromProperties(Properties)}.
   *
   * @param properties the properties
   * @return the mesh
   * @throws MeshConfigurationException naming every missing or invalid key
   */
  static Mesh fromMap(Map<String, ?> properties) {
    Objects.requireNonNull(properties, "properties");
    return builder().properties(properties).build();
  }

  /**
   * The application id.
   *
   * @return the id
   */
  String application();

  /**
   * The schema registry.
   *
   * @return the registry (not owned by the mesh when it was given)
   */
  SchemaRegistry schemaRegistry();

  /**
   * A producer of a product class. Governance, topic provisioning and schema registration happen
   * now, so problems surface here rather than at the first send.
   *
   * @param type the product class
   * @param <T> the product type
   * @return a new producer, closed with the mesh
   * @throws MeshConfigurationException if the class, governance or provisioning refuse it
   * @throws io.meshsdk.registry.SchemaRegistryException if the registry refuses or fails
   */
  <T> MeshProducer<T> producer(Class<T> type);

  /**
   * A producer of a product described by a contract (for example of an Avro-generated class).
   *
   * @param contract the contract
   * @param <T> the product type
   * @return a new producer, closed with the mesh
   * @throws MeshConfigurationException if governance or provisioning refuse it
   */
  <T> MeshProducer<T> producer(ProductContract<T> contract);

  /**
   * Starts configuring a producer of a new major that also publishes each event, translated by the
   * registered downcasts, to an older major's topic during a migration period.
   *
   * @param type the new major's class
   * @param <T> the product type
   * @return a builder; {@code build()} returns the producer, closed with the mesh
   */
  <T> DualProducer.Builder<T> dualProducer(Class<T> type);

  /**
   * The migrations between major versions given to the mesh.
   *
   * @return the migrations ({@link Migrations#none()} by default)
   */
  Migrations migrations();

  /**
   * Starts configuring a consumer that reads a product into its own class.
   *
   * @param type the reader class
   * @param <T> the product type
   * @return a builder; {@code start()} returns the running consumer, closed with the mesh
   */
  <T> MeshConsumer.Builder<T> consumer(Class<T> type);

  /**
   * Starts configuring a consumer from a contract.
   *
   * @param contract the reader's contract
   * @param <T> the product type
   * @return a builder
   */
  <T> MeshConsumer.Builder<T> consumer(ProductContract<T> contract);

  /**
   * Starts configuring a member of a Kafka share group (KIP-932, queue semantics) that reads a
   * product into its own class: more members than partitions, records acknowledged one by one, no
   * order. See {@link MeshShareConsumer} and {@code docs/runtime.md} for when to choose it.
   *
   * @param type the reader class
   * @param <T> the product type
   * @return a builder; {@code start()} returns the running share consumer, closed with the mesh
   */
  <T> MeshShareConsumer.Builder<T> shareConsumer(Class<T> type);

  /**
   * Starts configuring a processor from one product to another.
   *
   * @param input the input class
   * @param output the output class
   * @param <I> the input type
   * @param <O> the output type
   * @return a builder; {@code start()} returns the running processor, closed with the mesh
   */
  <I, O> MeshProcessor.Builder<I, O> processor(Class<I> input, Class<O> output);

  /**
   * Starts configuring a bridge from an existing (legacy) topic to a product: each record is read
   * in the source format, mapped, and written as the product's producer writes, with the legacy
   * record as its parent. See {@code docs/onboarding.md}.
   *
   * @param source how the legacy topic's values are written
   * @param product the product class
   * @param <S> what the source format reads
   * @param <O> the product type
   * @return a builder; {@code start()} returns the running bridge, closed with the mesh
   */
  <S, O> MeshBridge.Builder<S, O> bridge(SourceFormat<S> source, Class<O> product);

  /**
   * The dead letters of a consumer group on a product's topic.
   *
   * @param type the product class
   * @param group the consumer group
   * @param <T> the product type
   * @return the dead letters, for replay to the topic or through a handler
   * @throws NullPointerException if an argument is null
   */
  <T> DeadLetters<T> deadLetters(Class<T> type, String group);

  /**
   * Crypto-shredding: deletes the data key of one data subject of a product (the value of its
   * {@code @DataSubject} field), so that this subject's encrypted fields become unreadable in the
   * whole history of the product, in every major, copy and mirror, while the other fields and other
   * subjects still read. Meshes in other processes stop using the key within their key cache's
   * time-to-live ({@code FieldEncryption.keyCacheTtl}). Irreversible.
   *
   * @param type the product class; it must name a {@code @DataSubject} field
   * @param subject the subject's id, as its {@code toString()} appears in the field
   * @return whether a key was deleted (false: the subject has no key, or had it shredded before)
   * @throws IllegalArgumentException if the product has no {@code @DataSubject} field
   * @throws IllegalStateException if the mesh has no field encryption
   * @throws io.meshsdk.crypto.KeyManagementException if the key store fails
   */
  boolean forgetSubject(Class<?> type, Object subject);

  /** Closes what the mesh created. Idempotent. */
  @Override
  void close();
}
