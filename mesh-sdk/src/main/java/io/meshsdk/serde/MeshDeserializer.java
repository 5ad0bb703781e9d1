package io.meshsdk.serde;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import io.meshsdk.serde.internal.AbstractCodec;
import io.meshsdk.serde.internal.Codecs;
import io.meshsdk.serde.internal.ReadPlan;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka {@link Deserializer} reading the Confluent wire format into the consumer's own product
 * class: the writer schema is fetched by the id in the header (once per id, then cached with its
 * resolution plan), and the body is resolved to the reader class.
 *
 * <p>Bad input fails with a {@link RecordDecodingException} whose {@link
 * RecordDecodingException#reason()} says what was wrong, whatever went wrong ({@code Error}s such
 * as a stack overflow included); the work of one record is bounded by {@link DecodeLimits}. An
 * unreachable or failing registry fails with a retriable {@link SchemaRegistryException}: only the
 * registry's definite answer that an id does not exist makes a record undecodable ({@code
 * UNKNOWN_SCHEMA_ID}).
 *
 * <p>Thread-safety: thread-safe. {@link #close()} does not close the registry.
 *
 * @param <T> the reader's product type
 */
public final class MeshDeserializer<T> implements Deserializer<T> {
  private final AbstractCodec<T> codec;
  private final SchemaRegistry registry;
  private final ConcurrentHashMap<Integer, ReadPlan<T>> plans = new ConcurrentHashMap<>();
  private volatile @Nullable LastPlan<T> last;

  /**
   * The plan of the schema id read last; replaced whole, so readers on other threads see a pair.
   */
  private record LastPlan<T>(int id, ReadPlan<T> plan) {}

  private MeshDeserializer(
      ProductContract<T> contract, SchemaRegistry registry, DecodeLimits limits) {
    this.codec =
        Codecs.create(Objects.requireNonNull(contract, "contract"))
            .limits(Objects.requireNonNull(limits, "limits"));
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * A deserializer reading into the contract's class.
   *
   * @param contract the reader's contract
   * @param registry the schema registry; not closed by the deserializer
   * @param <T> the product type
   * @return the deserializer
   * @throws NullPointerException if an argument is null
   */
  public static <T> MeshDeserializer<T> of(ProductContract<T> contract, SchemaRegistry registry) {
    return new MeshDeserializer<>(contract, registry, DecodeLimits.defaults());
  }

  /**
   * A deserializer reading into the contract's class within the given limits.
   *
   * @param contract the reader's contract
   * @param registry the schema registry; not closed by the deserializer
   * @param limits how deeply a record may nest and how many elements it may hold
   * @param <T> the product type
   * @return the deserializer
   * @throws NullPointerException if an argument is null
   */
  public static <T> MeshDeserializer<T> of(
      ProductContract<T> contract, SchemaRegistry registry, DecodeLimits limits) {
    return new MeshDeserializer<>(contract, registry, limits);
  }

  /**
   * Deserializes framed bytes; {@code null} stays {@code null} (a tombstone).
   *
   * @param topic the topic, for messages
   * @param data the framed bytes
   * @return the value
   * @throws RecordDecodingException if the bytes cannot be decoded
   * @throws SchemaRegistryException if the registry cannot be reached (retriable)
   */
  @Override
  public @Nullable T deserialize(String topic, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    int id;
    try {
      id = WireFormat.schemaId(data);
    } catch (RecordDecodingException e) {
      throw new RecordDecodingException(e.reason(), "topic " + topic + ": " + stripReason(e), e);
    }
    // the last schema id seen answers almost every record, without boxing a large id for the map
    LastPlan<T> last = this.last;
    ReadPlan<T> plan;
    if (last != null && last.id() == id) {
      plan = last.plan();
    } else {
      plan = plans.get(id);
      if (plan == null) {
        plan = planFor(topic, id);
      }
      this.last = new LastPlan<>(id, plan);
    }
    try {
      return codec.decode(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, plan);
    } catch (RecordDecodingException e) {
      throw new RecordDecodingException(
          e.reason(), "topic " + topic + ", schema id " + id + ": " + stripReason(e), e);
    }
  }

  private ReadPlan<T> planFor(String topic, int id) {
    org.apache.avro.Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      throw definiteAnswer(topic, id, e);
    } catch (RuntimeException e) {
      // a registry implementation failing unexpectedly is an outage, not a bad record
      throw new SchemaRegistryException(
          SchemaRegistryException.Kind.UNAVAILABLE,
          "topic " + topic + ": the registry failed to look up schema id " + id + ": " + e,
          e);
    }
    ReadPlan<T> plan = codec.plan(writer);
    ReadPlan<T> raced = plans.putIfAbsent(id, plan);
    return raced != null ? raced : plan;
  }

  /**
   * What a registry failure means for the record: the registry's definite answers (no such id, a
   * schema that is not valid Avro) make it undecodable; anything else is the registry's problem and
   * stays a (retriable or not) registry failure.
   */
  private static RuntimeException definiteAnswer(String topic, int id, SchemaRegistryException e) {
    if (e.kind() == SchemaRegistryException.Kind.SCHEMA_NOT_FOUND) {
      return new RecordDecodingException(
          Reason.UNKNOWN_SCHEMA_ID,
          "topic " + topic + ": schema id " + id + " is not in the registry",
          e);
    }
    if (e.kind() == SchemaRegistryException.Kind.INVALID_SCHEMA) {
      return new RecordDecodingException(
          Reason.INCOMPATIBLE_WRITER_SCHEMA,
          "topic " + topic + ": the registry's schema with id " + id + " is not valid Avro",
          e);
    }
    return e;
  }

  private static String stripReason(RecordDecodingException e) {
    String m = String.valueOf(e.getMessage());
    String prefix = e.reason() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  /**
   * The codec used for the body.
   *
   * @return the codec
   */
  public ProductCodec<T> codec() {
    return codec;
  }

  /** Nothing to release; the registry belongs to the caller. */
  @Override
  public void close() {}
}
