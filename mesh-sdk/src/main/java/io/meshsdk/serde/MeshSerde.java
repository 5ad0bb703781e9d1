package io.meshsdk.serde;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.SchemaRegistry;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka {@link Serde} of a data product, for Kafka Streams and any API that takes a serde: the
 * {@link MeshSerializer} (auto-registration, contract checked) and the {@link MeshDeserializer} for
 * the same class.
 *
 * <p>Thread-safety: thread-safe. {@link #close()} does not close the registry.
 *
 * @param <T> the product type
 */
public final class MeshSerde<T> implements Serde<T> {
  private final MeshSerializer<T> serializer;
  private final MeshDeserializer<T> deserializer;

  private MeshSerde(MeshSerializer<T> serializer, MeshDeserializer<T> deserializer) {
    this.serializer = serializer;
    this.deserializer = deserializer;
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
