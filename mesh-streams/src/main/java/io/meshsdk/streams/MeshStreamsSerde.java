package io.meshsdk.streams;

import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.EventIds;
import io.meshsdk.lineage.internal.Rfc3339;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.serde.internal.SerdeConfig;
import io.meshsdk.streams.internal.StreamsMeters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

/**
 * The serde of a data product that a Kafka Streams topology writes: {@link MeshSerde}'s encoding
 * (contract checked, Confluent framing) and, on every record written to a product topic, the
 * product's CloudEvents headers as a {@code MeshProducer} writes them ({@code ce_specversion}, a
 * new {@code ce_id}, {@code ce_source} {@code /mesh/{application}}, {@code ce_type}, {@code
 * ce_time}, {@code ce_dataschema}, {@code content-type}, {@code ce_meshversion}, {@code
 * ce_meshsunset} of a deprecated major) with the input event noted by {@link MeshStreams#lineage()}
 * as parent ({@code ce_meshparents}).
 *
 * <p>Kafka Streams hands a record's headers along from its input, so the headers an output record
 * would inherit from the event it came from (its id, type, time, parents) are replaced, never
 * repeated; other headers (trace context, the application's own) are kept. Deletes of a {@code
 * STATE} product stay tombstones, with the headers but no data schema or content type, as a {@code
 * MeshProducer} writes them. Kafka Streams' own topics ({@code ...-repartition}, {@code
 * ...-changelog}) get the encoding only: there the headers of the input, and the parent note, must
 * survive. {@code ce_time} is when the record is written: a serializer is not told the record's
 * timestamp.
 *
 * <p>In code, {@link MeshStreams#produced} and {@link MeshStreams#serde} give it with the mesh's
 * registry and meters, or {@link #of} without a mesh. By class name ({@code default.value.serde},
 * or a serde Kafka Streams creates from configuration) it reads the keys {@link MeshSerde} reads
 * ({@value MeshSerde#PRODUCT_CLASS}, {@code schema.registry.url} ...) and {@code application.id}
 * for {@code ce_source}; with the configuration of {@link MeshStreams#properties()} it writes the
 * mesh's application as the source instead, and counts into the application's meters.
 *
 * <p>Thread-safety: thread-safe once configured; Kafka Streams may share one instance between
 * stream threads. A registry given in code belongs to the caller; one built by {@link #configure}
 * from a URL is closed by {@link #close()}.
 *
 * @param <T> the product type
 */
public final class MeshStreamsSerde<T> implements Serde<T> {
  /** Headers an output record would otherwise inherit from its input event. */
  private static final Set<String> REPLACED =
      Set.of(
          MeshHeaders.SPEC_VERSION,
          MeshHeaders.ID,
          MeshHeaders.SOURCE,
          MeshHeaders.TYPE,
          MeshHeaders.TIME,
          MeshHeaders.DATA_SCHEMA,
          MeshHeaders.CONTENT_TYPE,
          MeshHeaders.VERSION,
          MeshHeaders.SUNSET,
          MeshHeaders.PARENTS,
          MeshHeaders.PARENTS_DROPPED,
          MeshHeaders.TRANSLATED_FROM,
          MeshHeaders.ORIGIN_ID,
          MeshStreams.PARENT);

  private volatile @Nullable MeshSerde<T> serde;
  private volatile @Nullable Stamping<T> serializer;
  private volatile @Nullable SchemaRegistry owned;

  /**
   * An unconfigured serde, for Kafka Streams' configuration by class name: {@link #configure} must
   * be called before use. In code, use {@link MeshStreams#produced} or {@link #of}.
   */
  public MeshStreamsSerde() {}

  private MeshStreamsSerde(
      MeshSerde<T> serde,
      ProductContract<T> contract,
      SchemaRegistry registry,
      String application,
      StreamsMeters.@Nullable Produce meters) {
    bind(serde, contract, registry, application, meters);
  }

  private void bind(
      MeshSerde<T> serde,
      ProductContract<T> contract,
      SchemaRegistry registry,
      String application,
      StreamsMeters.@Nullable Produce meters) {
    this.serializer = new Stamping<>(serde.serializer(), contract, registry, application, meters);
    this.serde = serde;
  }

  /**
   * The serde of a product a topology writes.
   *
   * @param contract the product's contract
   * @param registry the schema registry; not closed by the serde
   * @param application the application, as in {@code ce_source} ({@code /mesh/{application}});
   *     usually the Streams {@code application.id}
   * @param <T> the product type
   * @return the serde
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the application is blank
   */
  public static <T> MeshStreamsSerde<T> of(
      ProductContract<T> contract, SchemaRegistry registry, String application) {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(application, "application");
    if (application.isBlank()) {
      throw new IllegalArgumentException("the application is blank");
    }
    return new MeshStreamsSerde<>(
        MeshSerde.of(contract, registry), contract, registry, application.trim(), null);
  }

  /** The serde {@link MeshStreams} gives: with the application's meters. */
  static <T> MeshStreamsSerde<T> of(
      ProductContract<T> contract,
      SchemaRegistry registry,
      String application,
      StreamsMeters meters) {
    return new MeshStreamsSerde<>(
        MeshSerde.of(contract, registry),
        contract,
        registry,
        application,
        meters.produce(contract));
  }

  /**
   * Configures a serde created by class name: the keys {@link MeshSerde} reads, {@code
   * application.id} (required), and {@value MeshStreams#INSTANCE} when the configuration comes from
   * {@link MeshStreams#properties()}. Does nothing to a serde built in code.
   *
   * @param configs the configuration (Kafka Streams hands its whole configuration)
   * @param isKey whether it is for keys
   * @throws io.meshsdk.errors.MeshConfigurationException naming every missing or invalid setting
   */
  @Override
  public synchronized void configure(Map<String, ?> configs, boolean isKey) {
    if (serde != null) {
      return;
    }
    Object application = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    if (application == null || application.toString().isBlank()) {
      throw new MeshConfigurationException(
          "MeshStreamsSerde needs "
              + StreamsConfig.APPLICATION_ID_CONFIG
              + ": it names the source of the events it writes");
    }
    SerdeConfig c = SerdeConfig.parse(configs, isKey, "MeshStreamsSerde");
    @SuppressWarnings("unchecked")
    ProductContract<T> contract = (ProductContract<T>) c.contract();
    MeshSerde<T> s =
        MeshSerde.of(
            MeshSerializer.builder(contract, c.registry())
                .registration(c.registration())
                .subjectNames(c.subjects())
                .build(),
            MeshDeserializer.of(contract, c.registry(), c.limits()));
    Optional<StreamsMeters> instance = StreamsMeters.find(configs.get(MeshStreams.INSTANCE));
    owned = c.owned(true);
    bind(
        s,
        contract,
        c.registry(),
        instance.map(StreamsMeters::application).orElse(application.toString().trim()),
        instance.map(m -> m.produce(contract)).orElse(null));
  }

  @Override
  public Serializer<T> serializer() {
    Stamping<T> s = serializer;
    if (s == null) {
      throw new IllegalStateException("MeshStreamsSerde is not configured: call configure first");
    }
    return s;
  }

  /**
   * Reads what the serializer writes, and any product record: {@link MeshSerde}'s deserializer.
   *
   * @return the deserializer
   */
  @Override
  public MeshDeserializer<T> deserializer() {
    return configured().deserializer();
  }

  private MeshSerde<T> configured() {
    MeshSerde<T> s = serde;
    if (s == null) {
      throw new IllegalStateException("MeshStreamsSerde is not configured: call configure first");
    }
    return s;
  }

  /**
   * Closes the serializer and deserializer, and the registry client when {@link #configure} built
   * it; a registry given in code stays open.
   */
  @Override
  public void close() {
    MeshSerde<T> s = serde;
    if (s != null) {
      s.close();
    }
    SchemaRegistry r = owned;
    if (r != null) {
      r.close();
    }
  }

  /** Encodes as {@link MeshSerializer} does and writes the product's headers. */
  private static final class Stamping<T> implements Serializer<T> {
    private final MeshSerializer<T> encoder;
    private final SchemaRegistry registry;
    private final byte[] source;
    private final byte[] type;
    private final byte[] version;
    private final byte @Nullable [] sunset;
    private final StreamsMeters.@Nullable Produce meters;
    private volatile @Nullable Schema last;

    /** The data schema of the id last written, replaced whole. */
    private record Schema(int id, byte[] url) {}

    Stamping(
        MeshSerializer<T> encoder,
        ProductContract<T> contract,
        SchemaRegistry registry,
        String application,
        StreamsMeters.@Nullable Produce meters) {
      this.encoder = encoder;
      this.meters = meters;
      this.registry = registry;
      this.source = utf8("/mesh/" + application);
      this.type = utf8(contract.eventType());
      this.version = utf8(contract.version().toString());
      this.sunset = contract.sunset().map(s -> utf8(s.date().toString())).orElse(null);
    }

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable T data) {
      return encoder.serialize(topic, data);
    }

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable Headers headers, @Nullable T data) {
      if (headers == null || internal(topic)) {
        // a forwarded record may carry another serializer's schema-id header: readers look there
        // first, and this value carries its id in its prefix
        return encoder.serialize(topic, headers, data);
      }
      byte[] bytes;
      try {
        bytes = encoder.serialize(topic, data);
      } catch (ContractViolationException e) {
        if (meters != null) {
          meters.violation();
        }
        throw e;
      }
      if (meters != null) {
        meters.writing(topic, bytes);
      }
      if (bytes != null) {
        WireFormat.removeSchemaIdHeaders(headers);
      }
      stamp(headers, bytes);
      return bytes;
    }

    /** Kafka Streams' own topics: {@code {application.id}-{name}-repartition|changelog}. */
    private static boolean internal(String topic) {
      return topic.endsWith("-repartition") || topic.endsWith("-changelog");
    }

    private void stamp(Headers headers, byte @Nullable [] bytes) {
      // one pass: the note taken, every inherited header dropped
      byte[] parent = null;
      for (Iterator<Header> it = headers.iterator(); it.hasNext(); ) {
        Header h = it.next();
        if (REPLACED.contains(h.key())) {
          if (h.key().equals(MeshStreams.PARENT)) {
            parent = h.value();
          }
          it.remove();
        }
      }
      headers.add(MeshHeaders.SPEC_VERSION, SPEC);
      headers.add(MeshHeaders.ID, EventIds.nextBytes());
      headers.add(MeshHeaders.SOURCE, source);
      headers.add(MeshHeaders.TYPE, type);
      headers.add(
          MeshHeaders.TIME, Rfc3339.format(Instant.ofEpochMilli(System.currentTimeMillis())));
      if (bytes != null) {
        headers.add(MeshHeaders.DATA_SCHEMA, dataSchema(WireFormat.schemaId(bytes)));
        headers.add(MeshHeaders.CONTENT_TYPE, AVRO);
      }
      headers.add(MeshHeaders.VERSION, version);
      if (sunset != null) {
        headers.add(MeshHeaders.SUNSET, sunset);
      }
      if (parent != null) {
        headers.add(MeshHeaders.PARENTS, parent);
      }
    }

    private byte[] dataSchema(int id) {
      Schema s = last;
      if (s == null || s.id() != id) {
        s = new Schema(id, utf8(registry.schemaUrl(id).orElse("urn:mesh:schema:" + id)));
        last = s;
      }
      return s.url();
    }

    @Override
    public void close() {
      encoder.close();
    }
  }

  private static final byte[] SPEC = utf8("1.0");
  private static final byte[] AVRO = utf8("application/avro");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
