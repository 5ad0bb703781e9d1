package io.meshsdk.connect;

import io.meshsdk.connect.internal.ConnectProduct;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.storage.Converter;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka Connect converter for data products. On a source connector it maps each record onto the
 * product class (by field names, or a {@link ConnectMapping}), checks the contract, and writes it
 * in the Confluent framing with the product's CloudEvents headers and, with {@link
 * MeshSourcePosition}, the connector's source position as the event's parent. On a sink connector
 * it reads products (whatever framing wrote them) into Connect {@code Struct}s. As a key converter
 * it writes the product's key as text.
 *
 * <pre>{@code
 * value.converter=io.meshsdk.connect.MeshConverter
 * value.converter.mesh.product.class=com.example.orders.OrderPlaced
 * value.converter.schema.registry.url=http://registry:8081
 * value.converter.mesh.application=orders-connect
 * value.converter.mesh.connect.dead.letter.topic=orders.order-placed.v1.connect.dlq
 * value.converter.bootstrap.servers=kafka:9092
 * }</pre>
 *
 * <p>Keys, all under the converter's prefix: {@code mesh.product.class} (required), the registry's
 * ({@code schema.registry.url} ..., as for {@code MeshSerializer}), {@code mesh.application} (the
 * CloudEvents source, default {@code kafka-connect}), {@value #MAPPING}, {@value #CDC} ({@code
 * debezium}: records are Debezium change events), {@value #SOURCE_TYPE}, {@value
 * #DEAD_LETTER_TOPIC} with {@code bootstrap.servers} (and {@code security.*}, {@code ssl.*}, {@code
 * sasl.*}) for it, {@value #CHECK_CONTRACT}. See {@code docs/onboarding.md}.
 *
 * <p>Thread-safety: Connect gives each task its own converter; its methods may also be called from
 * several threads once configured.
 */
public final class MeshConverter implements Converter {
  /** A {@link ConnectMapping} class for what field names cannot map. */
  public static final String MAPPING = "mesh.connect.mapping";

  /** {@code debezium}: values are Debezium change events ({@code before}, {@code after}, ...). */
  public static final String CDC = "mesh.connect.cdc";

  /** The type of the parent the connector's position becomes (default {@code connect.{name}}). */
  public static final String SOURCE_TYPE = "mesh.connect.source.type";

  /**
   * A topic the converter itself writes what it cannot map or what breaks the contract to, before
   * refusing the record to Connect: Connect's own dead-letter queue serves sink connectors only.
   */
  public static final String DEAD_LETTER_TOPIC = "mesh.connect.dead.letter.topic";

  /** Sink side: refuse products that break the contract (default {@code true}). */
  public static final String CHECK_CONTRACT = "mesh.connect.check.contract";

  private volatile @Nullable ConnectProduct<?> product;

  /** An unconfigured converter; Connect configures it. */
  public MeshConverter() {}

  /**
   * Reads the settings, builds the registry client, and (with a dead-letter topic) checks that its
   * producer can be built.
   *
   * @throws io.meshsdk.errors.MeshConfigurationException naming every missing or invalid setting
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Objects.requireNonNull(configs, "configs");
    ConnectProduct<?> previous = product;
    product = ConnectProduct.configure(configs, isKey);
    if (previous != null) {
      previous.close();
    }
  }

  private ConnectProduct<?> product() {
    ConnectProduct<?> p = product;
    if (p == null) {
      throw new IllegalStateException("MeshConverter is not configured: Connect calls configure");
    }
    return p;
  }

  @Override
  public byte @Nullable [] fromConnectData(
      String topic, @Nullable Schema schema, @Nullable Object value) {
    return product().fromConnect(topic, null, schema, value);
  }

  /**
   * Writes a product: mapped, checked, framed, with the product's headers added to {@code headers}.
   *
   * @throws org.apache.kafka.connect.errors.DataException when the record cannot be mapped or
   *     breaks the contract (dead-lettered first when a dead-letter topic is set)
   */
  @Override
  public byte @Nullable [] fromConnectData(
      String topic, @Nullable Headers headers, @Nullable Schema schema, @Nullable Object value) {
    return product().fromConnect(topic, headers, schema, value);
  }

  @Override
  public SchemaAndValue toConnectData(String topic, byte @Nullable [] value) {
    return product().toConnect(topic, null, value);
  }

  /**
   * Reads a product into a {@code Struct} of the product's schema.
   *
   * @throws org.apache.kafka.connect.errors.DataException when the record cannot be decoded or
   *     breaks the contract (Connect's {@code errors.tolerance} and dead-letter queue take it)
   * @throws org.apache.kafka.connect.errors.RetriableException when the registry cannot be reached
   */
  @Override
  public SchemaAndValue toConnectData(
      String topic, @Nullable Headers headers, byte @Nullable [] value) {
    return product().toConnect(topic, headers, value);
  }

  @Override
  public ConfigDef config() {
    return ConnectProduct.CONFIG;
  }

  /** Closes the registry client it built and the dead-letter producer. */
  @Override
  public void close() {
    ConnectProduct<?> p = product;
    if (p != null) {
      p.close();
    }
  }
}
