package io.meshsdk.serde;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import io.meshsdk.serde.internal.AbstractCodec;
import io.meshsdk.serde.internal.Codecs;
import io.meshsdk.serde.internal.ReadPlan;
import io.meshsdk.serde.internal.SerdeConfig;
import io.meshsdk.serde.internal.WriterSchemas;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
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
 * <p>Configured by class name, as Kafka clients, Kafka Streams and Kafka Connect do it ({@code
 * value.deserializer=io.meshsdk.serde.MeshDeserializer}), it reads {@code mesh.product.class} (or
 * {@code mesh.key.product.class} for keys), {@code schema.registry.url}, the decode limits and the
 * other keys listed in the serde documentation from the client configuration. An instance built in
 * code keeps its settings: {@link #configure} does nothing to it.
 *
 * <p>Thread-safety: thread-safe once configured. {@link #close()} closes the registry only when
 * {@link #configure} built it from a URL; a registry given in code belongs to the caller.
 *
 * @param <T> the reader's product type
 */
public final class MeshDeserializer<T> implements Deserializer<T> {
  private final ConcurrentHashMap<Integer, ReadPlan<T>> plans = new ConcurrentHashMap<>();

  /** Plans of schemas named otherwise than by registry id: GUIDs, Apicurio's ids. */
  private final ConcurrentHashMap<String, ReadPlan<T>> otherPlans = new ConcurrentHashMap<>();

  private volatile @Nullable LastPlan<T> last;

  /** Null until configured; replaced whole so that every thread sees one consistent setting. */
  private volatile @Nullable State<T> state;

  private record State<T>(
      AbstractCodec<T> codec, SchemaRegistry registry, @Nullable SchemaRegistry owned) {}

  /**
   * The plan of the schema id read last; replaced whole, so readers on other threads see a pair.
   */
  private record LastPlan<T>(int id, ReadPlan<T> plan) {}

  /**
   * An unconfigured deserializer, for Kafka's configuration by class name: {@link #configure} must
   * be called before use. In code, use {@link #of}.
   */
  public MeshDeserializer() {}

  private MeshDeserializer(AbstractCodec<T> codec, SchemaRegistry registry) {
    this.state = new State<>(codec, Objects.requireNonNull(registry, "registry"), null);
  }

  private MeshDeserializer(
      ProductContract<T> contract, SchemaRegistry registry, DecodeLimits limits) {
    this.state =
        new State<>(
            Codecs.create(Objects.requireNonNull(contract, "contract"))
                .limits(Objects.requireNonNull(limits, "limits")),
            Objects.requireNonNull(registry, "registry"),
            null);
  }

  /**
   * Configures a deserializer created by class name from the client configuration. Does nothing
   * when the deserializer was built in code or configured already.
   *
   * @param configs the client configuration
   * @param isKey whether it deserializes keys (then {@code mesh.key.product.class} names the class)
   * @throws io.meshsdk.errors.MeshConfigurationException naming every missing or invalid setting
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (state == null) {
      configure(SerdeConfig.parse(configs, isKey, "MeshDeserializer"), true);
    }
  }

  /** Applies settings read once for a serde; the registry is closed here only if {@code owns}. */
  @SuppressWarnings("unchecked")
  synchronized void configure(SerdeConfig c, boolean owns) {
    SchemaRegistry owned = c.owned(owns);
    if (state != null) {
      if (owned != null) {
        owned.close(); // configured already: what was built for this call is not needed
      }
      return;
    }
    state =
        new State<>(
            ((AbstractCodec<T>) Codecs.create(c.contract())).limits(c.limits()),
            c.registry(),
            owned);
  }

  /** Whether settings are in place (built in code or configured). */
  boolean isConfigured() {
    return state != null;
  }

  private State<T> state() {
    State<T> s = state;
    if (s == null) {
      throw new IllegalStateException(
          "MeshDeserializer is not configured: configure it with mesh.product.class and"
              + " schema.registry.url, or build it with MeshDeserializer.of(contract, registry)");
    }
    return s;
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
   * A deserializer with a codec built for it (for example one whose mesh decrypts encrypted
   * fields).
   *
   * @param codec a codec made by {@link ProductCodec#of}; its limits apply
   * @param registry the schema registry; not closed by the deserializer
   * @param <T> the product type
   * @return the deserializer
   * @throws IllegalArgumentException if the codec was not made by Mesh SDK
   */
  public static <T> MeshDeserializer<T> of(ProductCodec<T> codec, SchemaRegistry registry) {
    if (!(Objects.requireNonNull(codec, "codec") instanceof AbstractCodec<T> c)) {
      throw new IllegalArgumentException(codec + " was not made by ProductCodec.of");
    }
    return new MeshDeserializer<>(c, registry);
  }

  /**
   * Deserializes framed bytes; {@code null} stays {@code null} (a tombstone).
   *
   * @param topic the topic, for messages
   * @param data the framed bytes
   * @return the value
   * @throws RecordDecodingException if the bytes cannot be decoded
   * @throws SchemaRegistryException if the registry cannot be reached (retriable)
   * @throws io.meshsdk.crypto.KeyManagementException if an encrypted field's data key cannot be
   *     loaded because the KMS or the key store is unavailable (retriable; a missing or refused key
   *     reads as withheld, or fails as {@link RecordDecodingException} with {@code
   *     KEY_UNAVAILABLE})
   * @throws IllegalStateException if the deserializer is not configured
   */
  @Override
  public @Nullable T deserialize(String topic, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    state(); // an unconfigured deserializer says so before it looks at the bytes
    int id;
    try {
      id = WireFormat.schemaId(data);
    } catch (RecordDecodingException e) {
      throw new RecordDecodingException(e.reason(), "topic " + topic + ": " + stripReason(e), e);
    }
    return decode(topic, id, data, WireFormat.HEADER_SIZE);
  }

  /**
   * Deserializes a value whose schema id may be in a header rather than its prefix: Confluent's
   * schema-id header (with an id or a GUID), Apicurio's global or content id headers, or Apicurio's
   * legacy 8-byte prefix, besides the Confluent prefix ({@link WireFormat#locate}). Kafka's
   * consumers and Kafka Streams call this form.
   *
   * @param topic the topic, for messages
   * @param headers the record's headers
   * @param data the value
   * @return the value; {@code null} stays {@code null}
   * @throws RecordDecodingException if the bytes cannot be decoded
   * @throws SchemaRegistryException if the registry cannot be reached (retriable)
   */
  @Override
  public @Nullable T deserialize(String topic, @Nullable Headers headers, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    state();
    SchemaIdLocation where;
    try {
      where = WireFormat.locate(data, headers);
    } catch (RecordDecodingException e) {
      throw new RecordDecodingException(e.reason(), "topic " + topic + ": " + stripReason(e), e);
    }
    return deserialize(topic, where, data);
  }

  /**
   * Deserializes a value whose schema id was located already ({@link WireFormat#locate}).
   *
   * @param topic the topic, for messages
   * @param where where the id is and where the body starts
   * @param data the value
   * @return the value
   * @throws RecordDecodingException if the bytes cannot be decoded
   * @throws SchemaRegistryException if the registry cannot be reached (retriable)
   */
  public T deserialize(String topic, SchemaIdLocation where, byte[] data) {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(data, "data");
    if (where.source() == SchemaIdSource.CONFLUENT_PREFIX
        || where.source() == SchemaIdSource.CONFLUENT_HEADER) {
      return decode(topic, (int) where.id(), data, where.payloadOffset());
    }
    State<T> s = state();
    String key = where.toString();
    ReadPlan<T> plan = otherPlans.get(key);
    if (plan == null) {
      plan = otherPlanFor(s, topic, where, key);
    }
    try {
      return s.codec()
          .decode(data, where.payloadOffset(), data.length - where.payloadOffset(), plan);
    } catch (RecordDecodingException e) {
      throw new RecordDecodingException(
          e.reason(), "topic " + topic + ", schema " + where + ": " + stripReason(e), e);
    }
  }

  private T decode(String topic, int id, byte[] data, int offset) {
    State<T> s = state();
    // the last schema id seen answers almost every record, without boxing a large id for the map
    LastPlan<T> last = this.last;
    ReadPlan<T> plan;
    if (last != null && last.id() == id) {
      plan = last.plan();
    } else {
      plan = plans.get(id);
      if (plan == null) {
        plan = planFor(s, topic, id);
      }
      this.last = new LastPlan<>(id, plan);
    }
    try {
      return s.codec().decode(data, offset, data.length - offset, plan);
    } catch (RecordDecodingException e) {
      throw new RecordDecodingException(
          e.reason(), "topic " + topic + ", schema id " + id + ": " + stripReason(e), e);
    }
  }

  private ReadPlan<T> otherPlanFor(State<T> s, String topic, SchemaIdLocation where, String key) {
    org.apache.avro.Schema writer;
    try {
      writer = WriterSchemas.of(s.registry(), where);
    } catch (SchemaRegistryException e) {
      if (e.kind() == SchemaRegistryException.Kind.SCHEMA_NOT_FOUND) {
        throw new RecordDecodingException(
            Reason.UNKNOWN_SCHEMA_ID,
            "topic " + topic + ": schema " + where + " is not in the registry: " + e.getMessage(),
            e);
      }
      if (e.kind() == SchemaRegistryException.Kind.INVALID_SCHEMA) {
        throw new RecordDecodingException(
            Reason.INCOMPATIBLE_WRITER_SCHEMA,
            "topic " + topic + ": the registry's schema " + where + " is not valid Avro",
            e);
      }
      throw e;
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          SchemaRegistryException.Kind.UNAVAILABLE,
          "topic " + topic + ": the registry failed to look up schema " + where + ": " + e,
          e);
    }
    ReadPlan<T> plan = s.codec().plan(writer);
    if (otherPlans.size() < 10_000) {
      ReadPlan<T> raced = otherPlans.putIfAbsent(key, plan);
      return raced != null ? raced : plan;
    }
    return plan;
  }

  private ReadPlan<T> planFor(State<T> s, String topic, int id) {
    org.apache.avro.Schema writer;
    try {
      writer = s.registry().schemaById(id);
    } catch (SchemaRegistryException e) {
      throw definiteAnswer(topic, id, e);
    } catch (RuntimeException e) {
      // a registry implementation failing unexpectedly is an outage, not a bad record
      throw new SchemaRegistryException(
          SchemaRegistryException.Kind.UNAVAILABLE,
          "topic " + topic + ": the registry failed to look up schema id " + id + ": " + e,
          e);
    }
    ReadPlan<T> plan = s.codec().plan(writer);
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
   * @throws IllegalStateException if the deserializer is not configured
   */
  public ProductCodec<T> codec() {
    return state().codec();
  }

  /** Closes the registry if {@link #configure} built it; a registry given in code stays open. */
  @Override
  public void close() {
    State<T> s = state;
    if (s != null && s.owned() != null) {
      s.owned().close();
    }
  }
}
