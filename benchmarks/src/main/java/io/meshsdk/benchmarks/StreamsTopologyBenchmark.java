package io.meshsdk.benchmarks;

import io.meshsdk.benchmarks.avro.AvroLineItem;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.benchmarks.avro.AvroShipping;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.streams.MeshStreams;
import io.meshsdk.streams.MeshStreamsSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A record through a Kafka Streams topology, in Kafka's {@code TopologyTestDriver} (one thread, no
 * broker): read an order, note its parent, write it to a product topic with the product's
 * CloudEvents headers and the parent. {@code mesh}: {@code MeshSerde} in, {@code
 * MeshStreams.lineage()}, {@code MeshStreamsSerde} out. {@code avro}: the same topology a team
 * writes with plain Avro serdes (generated class, {@code SpecificDatumReader}/{@code Writer},
 * Confluent framing with a fixed id, encoder and buffers reused) and a processor writing the same
 * headers (a random UUID, {@code Instant.toString()}); neither checks a contract but Mesh. Both
 * read the same bytes with the same headers and take the output record off the driver each time.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StreamsTopologyBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamsTopologyBenchmark {
  private static final String IN = "orders.order-placed.v1";
  private static final String OUT = "orders.order-confirmed.v1";

  @Param({"mesh", "avro"})
  public String topology;

  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> in;
  private TestOutputTopic<byte[], byte[]> out;
  private TestRecord<byte[], byte[]> record;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    trustAvroClasses();
    BenchOrder order = BenchOrder.sample();
    StreamsBuilder builder = new StreamsBuilder();
    byte[] value;
    if (topology.equals("mesh")) {
      InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
      ProductContract<BenchOrder> contract = ProductContract.of(BenchOrder.class);
      MeshSerde<BenchOrder> serde = MeshSerde.of(contract, registry);
      value = serde.serializer().serialize(IN, order);
      builder.stream(IN, Consumed.with(Serdes.String(), serde))
          .processValues(MeshStreams.<String, BenchOrder>lineage())
          .to(
              OUT,
              Produced.with(Serdes.String(), MeshStreamsSerde.of(contract, registry, "bench")));
    } else {
      AvroSerde serde = new AvroSerde();
      value = serde.serializer().serialize(IN, BenchOrder.toAvro(order));
      builder.stream(IN, Consumed.with(Serdes.String(), serde))
          .processValues(() -> new HeaderWriter<String, AvroOrder>())
          .to(OUT, Produced.with(Serdes.String(), serde));
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(builder.build(), props);
    in = driver.createInputTopic(IN, new ByteArraySerializer(), new ByteArraySerializer());
    out = driver.createOutputTopic(OUT, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    record =
        new TestRecord<>(
            "o-1234567".getBytes(StandardCharsets.UTF_8), value, meshHeaders(), Instant.now());
    in.pipeInput(record);
    TestRecord<byte[], byte[]> first = out.readRecord();
    if (first.headers().lastHeader(MeshHeaders.PARENTS) == null
        || first.headers().lastHeader(MeshHeaders.DATA_SCHEMA) == null) {
      throw new IllegalStateException(topology + " wrote no parent or data schema");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    driver.close();
  }

  /** One record in, one record out. */
  @Benchmark
  public TestRecord<byte[], byte[]> throughTheTopology() {
    in.pipeInput(record);
    return out.readRecord();
  }

  /** Lets Avro's reader create the generated classes of the avro variant. */
  static void trustAvroClasses() {
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            ClassSecurityValidator.builder()
                .add(AvroOrder.class)
                .add(AvroLineItem.class)
                .add(AvroShipping.class)
                .build()));
  }

  /** The headers a MeshProducer writes on an order (a new id each call). */
  static Headers meshHeaders() {
    RecordHeaders h = new RecordHeaders();
    h.add(MeshHeaders.SPEC_VERSION, utf8("1.0"));
    h.add(MeshHeaders.ID, utf8(UUID.randomUUID().toString()));
    h.add(MeshHeaders.SOURCE, utf8("/mesh/checkout"));
    h.add(MeshHeaders.TYPE, utf8("orders.order-placed.v1"));
    h.add(MeshHeaders.TIME, utf8("2026-12-01T10:15:30.123Z"));
    h.add(MeshHeaders.DATA_SCHEMA, utf8("urn:mesh:schema:1"));
    h.add(MeshHeaders.CONTENT_TYPE, utf8("application/avro"));
    h.add(MeshHeaders.VERSION, utf8("1.0"));
    return h;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the headers MeshStreamsSerde writes, the way a team writes them by hand. */
  static final class HeaderWriter<K, V> implements FixedKeyProcessor<K, V, V> {
    private static final List<String> REPLACED =
        List.of(
            MeshHeaders.SPEC_VERSION,
            MeshHeaders.ID,
            MeshHeaders.SOURCE,
            MeshHeaders.TYPE,
            MeshHeaders.TIME,
            MeshHeaders.DATA_SCHEMA,
            MeshHeaders.CONTENT_TYPE,
            MeshHeaders.VERSION,
            MeshHeaders.PARENTS);
    private FixedKeyProcessorContext<K, V> context;

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> r) {
      Headers h = new RecordHeaders(r.headers().toArray());
      Header id = h.lastHeader(MeshHeaders.ID);
      Header type = h.lastHeader(MeshHeaders.TYPE);
      var where = context.recordMetadata().orElseThrow();
      String parent =
          new EventRef(
                  new String(type.value(), StandardCharsets.UTF_8),
                  new String(id.value(), StandardCharsets.UTF_8),
                  where.topic(),
                  where.partition(),
                  where.offset())
              .toString();
      for (String key : REPLACED) {
        h.remove(key);
      }
      h.add(MeshHeaders.SPEC_VERSION, utf8("1.0"));
      h.add(MeshHeaders.ID, utf8(UUID.randomUUID().toString()));
      h.add(MeshHeaders.SOURCE, utf8("/mesh/bench"));
      h.add(MeshHeaders.TYPE, utf8("orders.order-confirmed.v1"));
      h.add(MeshHeaders.TIME, utf8(Instant.now().toString()));
      h.add(MeshHeaders.DATA_SCHEMA, utf8("urn:mesh:schema:1"));
      h.add(MeshHeaders.CONTENT_TYPE, utf8("application/avro"));
      h.add(MeshHeaders.VERSION, utf8("1.0"));
      h.add(MeshHeaders.PARENTS, utf8(parent));
      context.forward(r.withHeaders(h));
    }
  }

  /** Plain Avro in the Confluent framing with schema id 1, reusing its buffers; one thread. */
  static final class AvroSerde implements Serde<AvroOrder> {
    private final SpecificDatumWriter<AvroOrder> writer =
        new SpecificDatumWriter<>(AvroOrder.class);
    private final SpecificDatumReader<AvroOrder> reader =
        new SpecificDatumReader<>(AvroOrder.class);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Override
    public Serializer<AvroOrder> serializer() {
      return (topic, order) -> {
        try {
          buffer.reset();
          buffer.write(new byte[] {WireFormat.MAGIC_BYTE, 0, 0, 0, 1});
          encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
          writer.write(order, encoder);
          encoder.flush();
          return buffer.toByteArray();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }

    @Override
    public Deserializer<AvroOrder> deserializer() {
      return (topic, bytes) -> {
        try {
          decoder =
              DecoderFactory.get()
                  .binaryDecoder(
                      bytes,
                      WireFormat.HEADER_SIZE,
                      bytes.length - WireFormat.HEADER_SIZE,
                      decoder);
          return reader.read(null, decoder);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }
  }
}
