package io.meshsdk.serde;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.serde.internal.SerdeConfig;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka {@link Serde} of a data product, for Kafka Streams and any API that takes a serde: the
 * {@link MeshSerializer} (auto-registration, contract checked) and the {@link MeshDeserializer} for
 * the same class.
 *
 * <p>Configured by class name ({@code default.value.serde=io.meshsdk.serde.MeshSerde} in Kafka
 * Streams), it reads the same keys as {@link MeshSerializer}: {@value #PRODUCT_CLASS} (or {@value
 * #KEY_PRODUCT_CLASS} for keys) and {@code schema.registry.url} above all; serializer and
 * deserializer then share one registry client, which {@link #close()} closes.
 *
 * <p>Thread-safety: thread-safe once configured. {@link #close()} closes the registry only when
 * {@link #configure} built it from a URL.
 *
 * @param <T> the product type
 */
public final class MeshSerde<T> implements Serde<T> {
  /** Configuration key: the value product class, a {@code Class} or a class name. */
  public static final String PRODUCT_CLASS = SerdeConfig.PRODUCT_CLASS;

  /** Configuration key: the key product class, for serdes configured for keys. */
  public static final String KEY_PRODUCT_CLASS = SerdeConfig.KEY_PRODUCT_CLASS;

  /**
   * Configuration key: subject naming, {@code TOPIC_NAME} (default: {@code {topic}-value}, or
   * {@code {topic}-key} for keys), {@code RECORD_NAME} or {@code TOPIC_RECORD_NAME}.
   */
  public static final String SUBJECT_NAMES = SerdeConfig.SUBJECT_NAMES;

  private final MeshSerializer<T> serializer;
  private final MeshDeserializer<T> deserializer;
  private volatile @Nullable SchemaRegistry owned;

  /**
   * An unconfigured serde, for Kafka's configuration by class name: {@link #configure} must be
   * called before use. In code, use {@link #of(ProductContract, SchemaRegistry)}.
   */
  public MeshSerde() {
    this(new MeshSerializer<>(), new MeshDeserializer<>());
  }

  private MeshSerde(MeshSerializer<T> serializer, MeshDeserializer<T> deserializer) {
    this.serializer = serializer;
    this.deserializer = deserializer;
  }

  /**
   * Configures a serde created by class name; serializer and deserializer share the registry client
   * built here. Does nothing to a serde built in code.
   *
   * @param configs the client configuration
   * @param isKey whether it is for keys
   * @throws io.meshsdk.errors.MeshConfigurationException naming every missing or invalid setting
   */
  @Override
  public synchronized void configure(Map<String, ?> configs, boolean isKey) {
    if (owned != null || serializer.isConfigured() && deserializer.isConfigured()) {
      return;
    }
    SerdeConfig c = SerdeConfig.parse(configs, isKey, "MeshSerde");
    serializer.configure(c, false);
    deserializer.configure(c, false);
    owned = c.owned(true);
  }

  /** Closes the serializer, the deserializer and the registry client {@link #configure} built. */
  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    SchemaRegistry r = owned;
    if (r != null) {
      r.close();
    }
  }

  /**
   * A serde for a product class.
   *
   * @param contract the product contract
   * @param registry the schema registry; not closed by the serde
   * @param <T> the product type
   * @return the serde
   * @throws NullPointerException if an argument is null
   */
  public static <T> MeshSerde<T> of(ProductContract<T> contract, SchemaRegistry registry) {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(registry, "registry");
    return new MeshSerde<>(
        MeshSerializer.of(contract, registry), MeshDeserializer.of(contract, registry));
  }

  /**
   * A serde from a configured serializer and deserializer.
   *
   * @param serializer the serializer
   * @param deserializer the deserializer
   * @param <T> the product type
   * @return the serde
   */
  public static <T> MeshSerde<T> of(
      MeshSerializer<T> serializer, MeshDeserializer<T> deserializer) {
    return new MeshSerde<>(
        Objects.requireNonNull(serializer, "serializer"),
        Objects.requireNonNull(deserializer, "deserializer"));
  }

  @Override
  public MeshSerializer<T> serializer() {
    return serializer;
  }

  @Override
  public MeshDeserializer<T> deserializer() {
    return deserializer;
  }
}
