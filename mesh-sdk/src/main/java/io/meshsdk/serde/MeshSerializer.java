package io.meshsdk.serde;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.registry.SubjectNameStrategy;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.internal.EncryptedFields;
import io.meshsdk.serde.internal.AbstractCodec;
import io.meshsdk.serde.internal.Codecs;
import io.meshsdk.serde.internal.SerdeConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka {@link Serializer} writing a product in the Confluent wire format: the contract is
 * checked first (unless turned off), then the value is framed with its registry schema id and
 * encoded by the compiled codec. The schema id is resolved once per topic and cached, so after the
 * first record no registry call is made.
 *
 * <pre>{@code
 * MeshSerializer<OrderPlaced> serializer =
 *     MeshSerializer.of(ProductContract.of(OrderPlaced.class), registry);
 * }</pre>
 *
 * <p>Configured by class name, as Kafka clients, Kafka Streams and Kafka Connect do it ({@code
 * value.serializer=io.meshsdk.serde.MeshSerializer}), it reads {@code mesh.product.class} (or
 * {@code mesh.key.product.class} for keys), {@code schema.registry.url} and the other keys listed
 * in the serde documentation from the client configuration; for keys it registers under {@code
 * {topic}-key}. An instance built in code keeps its settings: {@link #configure} does nothing to
 * it.
 *
 * <p>Thread-safety: thread-safe once configured; one instance may serve many producer threads.
 * {@link #close()} closes the registry only when {@link #configure} built it from a URL; a registry
 * given in code belongs to the caller.
 *
 * @param <T> the product type
 */
public final class MeshSerializer<T> implements Serializer<T> {
  private final ConcurrentHashMap<String, Integer> idsByTopic = new ConcurrentHashMap<>();

  /** Null until configured; replaced whole so that every thread sees one consistent setting. */
  private volatile @Nullable State<T> state;

  /**
   * The topic used last and its id, replaced as one object: two separate fields written by two
   * threads could pair one topic with another's id.
   */
  private volatile @Nullable LastId last;

  private record LastId(String topic, int id) {}

  private record State<T>(
      AbstractCodec<T> codec,
      SchemaRegistry registry,
      @Nullable SchemaRegistry owned,
      RegistrationMode mode,
      SubjectNameStrategy subjects,
      boolean checkContract) {}

  /**
   * An unconfigured serializer, for Kafka's configuration by class name: {@link #configure} must be
   * called before use. In code, use {@link #of} or {@link #builder}.
   */
  public MeshSerializer() {}

  private MeshSerializer(Builder<T> b) {
    this.state =
        new State<>(
            Codecs.create(b.contract), b.registry, null, b.mode, b.subjects, b.checkContract);
  }

  /**
   * Configures a serializer created by class name from the client configuration. Does nothing when
   * the serializer was built in code or configured already.
   *
   * @param configs the client configuration
   * @param isKey whether it serializes keys ({@code mesh.key.product.class}, {@code {topic}-key}
   *     subjects)
   * @throws MeshConfigurationException naming every missing or invalid setting
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (state == null) {
      configure(SerdeConfig.parse(configs, isKey, "MeshSerializer"), true);
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
            (AbstractCodec<T>) Codecs.create(c.contract()),
            c.registry(),
            owned,
            c.registration(),
            c.subjects(),
            true);
  }

  /** Whether settings are in place (built in code or configured). */
  boolean isConfigured() {
    return state != null;
  }

  private State<T> state() {
    State<T> s = state;
    if (s == null) {
      throw new IllegalStateException(
          "MeshSerializer is not configured: configure it with mesh.product.class and"
              + " schema.registry.url, or build it with MeshSerializer.of(contract, registry)");
    }
    return s;
  }

  /**
   * A serializer that auto-registers under the topic-name strategy and checks the contract.
   *
   * @param contract the product contract
   * @param registry the schema registry; not closed by the serializer
   * @param <T> the product type
   * @return the serializer
   * @throws NullPointerException if an argument is null
   */
  public static <T> MeshSerializer<T> of(ProductContract<T> contract, SchemaRegistry registry) {
    return builder(contract, registry).build();
  }

  /**
   * Starts a serializer with options.
   *
   * @param contract the product contract
   * @param registry the schema registry; not closed by the serializer
   * @param <T> the product type
   * @return a builder
   * @throws NullPointerException if an argument is null
   */
  public static <T> Builder<T> builder(ProductContract<T> contract, SchemaRegistry registry) {
    return new Builder<>(contract, registry);
  }

  /**
   * The schema id for a topic, registering or verifying the schema on first use. Call it at
   * start-up to fail fast instead of at the first record.
   *
   * <p>The registry is made to hold later versions to the contract's declared compatibility: in
   * {@code AUTO_REGISTER} mode a subject without its own mode gets the declared one before the
   * first registration, and a subject whose own mode is weaker is refused; in {@code VERIFY} mode
   * the subject's effective mode (its own, else the global one) must be at least as strict.
   *
   * @param topic the topic
   * @return the schema id
   * @throws MeshConfigurationException in {@code VERIFY} mode when the schema is not registered; in
   *     either mode when the subject's compatibility mode is weaker than the declared one
   * @throws io.meshsdk.registry.IncompatibleSchemaException in {@code AUTO_REGISTER} mode when the
   *     registry refuses the schema
   * @throws SchemaRegistryException if the registry fails (retriable when it is an outage)
   * @throws IllegalStateException if the serializer is not configured
   */
  public int schemaId(String topic) {
    Objects.requireNonNull(topic, "topic");
    LastId seen = last;
    if (seen != null && seen.topic().equals(topic)) {
      return seen.id();
    }
    Integer id = idsByTopic.get(topic);
    if (id == null) {
      id = resolve(topic);
      idsByTopic.putIfAbsent(topic, id);
    }
    last = new LastId(topic, id);
    return id;
  }

  private int resolve(String topic) {
    State<T> s = state();
    AbstractCodec<T> codec = s.codec();
    SchemaRegistry registry = s.registry();
    String subject = s.subjects().subjectFor(topic, codec.schema());
    Compatibility declared = codec.contract().compatibility();
    if (s.mode() == RegistrationMode.AUTO_REGISTER) {
      // the registry, not only this client, must hold every later version to the declared mode
      Optional<Compatibility> own = registry.subjectCompatibility(subject);
      if (own.isEmpty()) {
        registry.setCompatibility(subject, declared);
      } else if (!own.get().isAtLeast(declared)) {
        throw new MeshConfigurationException(
            codec.contract().id()
                + " declares compatibility "
                + declared
                + " but subject '"
                + subject
                + "' is set to "
                + own.get()
                + " in the registry, which would accept versions the contract forbids; raise the"
                + " subject's mode to "
                + declared
                + " (or stricter) in the registry, or declare the mode the product really keeps");
      }
      if (!codec.contract().encryptedFields().isEmpty()) {
        refuseEncryptionChanges(registry, subject, codec.schema());
      }
      return registry.register(subject, codec.schema()).id();
    }
    Compatibility effective = registry.compatibility(subject);
    if (!effective.isAtLeast(declared)) {
      throw new MeshConfigurationException(
          codec.contract().id()
              + " declares compatibility "
              + declared
              + " but subject '"
              + subject
              + "' is held to "
              + effective
              + " by the registry"
              + (registry.subjectCompatibility(subject).isPresent() ? "" : " (its global mode)")
              + "; set the subject's mode to "
              + declared
              + " or stricter before producing with registration mode VERIFY");
    }
    return registry
        .lookup(subject, codec.schema())
        .orElseThrow(
            () ->
                new MeshConfigurationException(
                    codec.contract().id()
                        + ": schema not registered under subject '"
                        + subject
                        + "' and registration mode is VERIFY; register it first (for example from"
                        + " CI) or use AUTO_REGISTER in development"
                        + describeLatest(registry, subject, codec)))
        .id();
  }

  /**
   * Refuses a schema whose encrypted fields change against the subject's latest version in a way
   * the registry cannot see (encryption turned on, or the clear type changed, within a major): a
   * registry server checks the {@code bytes} type only, and readers of the earlier version would
   * take ciphertext for a value. Best effort: a subject without versions, or a registry that cannot
   * answer now, leaves the decision to the registration.
   */
  private static void refuseEncryptionChanges(
      SchemaRegistry registry, String subject, org.apache.avro.Schema schema) {
    org.apache.avro.Schema latest;
    try {
      latest = registry.latest(subject).schema();
    } catch (SchemaRegistryException e) {
      return;
    }
    java.util.Set<String> reasons = new java.util.LinkedHashSet<>();
    for (EncryptedFields.Change c : EncryptedFields.evolution(latest, schema)) {
      reasons.add("readers of the latest version: " + c.detail());
    }
    for (EncryptedFields.Change c : EncryptedFields.evolution(schema, latest)) {
      reasons.add("data of the latest version: " + c.detail());
    }
    if (!reasons.isEmpty()) {
      throw new io.meshsdk.registry.IncompatibleSchemaException(subject, List.copyOf(reasons));
    }
  }

  private static String describeLatest(
      SchemaRegistry registry, String subject, AbstractCodec<?> codec) {
    try {
      var latest = registry.latest(subject);
      return "; against latest version "
          + latest.version()
          + " it is "
          + registry.testCompatibility(subject, codec.schema());
    } catch (SchemaRegistryException e) {
      return "; the subject has no versions";
    }
  }

  /**
   * Serializes a value, and removes from the record's headers any schema-id header of another
   * serializer ({@link WireFormat#removeSchemaIdHeaders}): readers look there first, and this value
   * carries its id in its prefix.
   *
   * @param topic the topic
   * @param headers the record's headers (Kafka's producer and Kafka Streams pass them)
   * @param data the value
   * @return the framed bytes
   * @throws io.meshsdk.contract.ContractViolationException if the value breaks the contract
   * @throws MeshSerializationException if the value cannot be encoded
   */
  @Override
  public byte @Nullable [] serialize(String topic, @Nullable Headers headers, @Nullable T data) {
    byte[] bytes = serialize(topic, data);
    if (bytes != null) {
      WireFormat.removeSchemaIdHeaders(headers);
    }
    return bytes;
  }

  /**
   * Serializes a value; {@code null} stays {@code null} (a tombstone).
   *
   * @param topic the topic
   * @param data the value
   * @return the framed bytes
   * @throws io.meshsdk.contract.ContractViolationException if the value breaks the contract
   * @throws MeshSerializationException if the value cannot be encoded
   */
  @Override
  public byte @Nullable [] serialize(String topic, @Nullable T data) {
    if (data == null) {
      return null;
    }
    State<T> s = state();
    if (!s.checkContract()) {
      return s.codec().encodeFramed(schemaId(topic), data);
    }
    // checked before the schema is registered: a record that breaks the contract registers nothing
    byte[] framed = s.codec().encodeFramedChecked(0, data);
    WireFormat.writeHeader(schemaId(topic), framed, 0);
    return framed;
  }

  /**
   * The codec used for the body.
   *
   * @return the codec
   * @throws IllegalStateException if the serializer is not configured
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

  /**
   * Options of a {@link MeshSerializer}. Not thread-safe.
   *
   * @param <T> the product type
   */
  public static final class Builder<T> {
    private final ProductContract<T> contract;
    private final SchemaRegistry registry;
    private RegistrationMode mode = RegistrationMode.AUTO_REGISTER;
    private SubjectNameStrategy subjects = SubjectNameStrategy.TOPIC_NAME;
    private boolean checkContract = true;

    private Builder(ProductContract<T> contract, SchemaRegistry registry) {
      this.contract = Objects.requireNonNull(contract, "contract");
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Sets how the schema gets into the registry.
     *
     * @param mode the mode, {@code AUTO_REGISTER} by default
     * @return this builder
     */
    public Builder<T> registration(RegistrationMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the subject naming.
     *
     * @param strategy the strategy, {@link SubjectNameStrategy#TOPIC_NAME} by default
     * @return this builder
     */
    public Builder<T> subjectNames(SubjectNameStrategy strategy) {
      this.subjects = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * Turns the contract check before encoding on or off (on by default). The producer checks
     * itself and turns this off to avoid checking twice.
     *
     * @param check whether to check
     * @return this builder
     */
    public Builder<T> checkContract(boolean check) {
      this.checkContract = check;
      return this;
    }

    /**
     * Builds the serializer.
     *
     * @return the serializer
     */
    public MeshSerializer<T> build() {
      return new MeshSerializer<>(this);
    }
  }
}
