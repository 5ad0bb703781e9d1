package io.meshsdk.benchmarks;

import io.meshsdk.benchmarks.avro.AvroLineItem;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.benchmarks.avro.AvroShipping;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.serde.ProductCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.reflect.ReflectData;
import org.apache.avro.reflect.ReflectDatumWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.ClassSecurityValidator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of the same order through the SDK and through raw Avro, in one JMH run. Every
 * variant produces or consumes a {@code byte[]} of the Avro body and reuses its buffers, so the
 * comparison is like for like. {@code sdkSerialize}/{@code sdkDeserialize} add what a producer and
 * consumer pay on top: the contract check and the Confluent framing with a cached schema id.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CodecBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  private BenchOrder order;
  private ProductCodec<BenchOrder> codec;
  private ProductContract<BenchOrder> contract;
  private MeshSerializer<BenchOrder> serializer;
  private MeshDeserializer<BenchOrder> deserializer;
  private byte[] sdkBytes;
  private byte[] framed;

  private AvroOrder specific;
  private SpecificDatumWriter<AvroOrder> specificWriter;
  private SpecificDatumReader<AvroOrder> specificReader;
  private GenericRecord generic;
  private GenericDatumWriter<GenericRecord> genericWriter;
  private GenericDatumReader<GenericRecord> genericReader;
  private ReflectDatumWriter<BenchOrder> reflectWriter;
  private byte[] avroBytes;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;

  @Setup
  public void setUp() throws IOException {
    order = BenchOrder.sample();
    contract = ProductContract.of(BenchOrder.class);
    codec = ProductCodec.of(contract);
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    serializer = MeshSerializer.of(contract, registry);
    deserializer = MeshDeserializer.of(contract, registry);
    sdkBytes = codec.encode(order);
    framed = serializer.serialize(contract.topic(), order);

    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            ClassSecurityValidator.builder()
                .add(AvroOrder.class)
                .add(AvroLineItem.class)
                .add(AvroShipping.class)
                // raw reflection needs the record classes trusted too (the SDK's codec does not)
                .add(BenchOrder.class)
                .add(BenchOrder.Item.class)
                .add(BenchOrder.Shipping.class)
                .add(List.class)
                .build()));
    specific = BenchOrder.toAvro(order);
    specificWriter = new SpecificDatumWriter<>(AvroOrder.class);
    specificReader = new SpecificDatumReader<>(AvroOrder.class);
    encoder = EncoderFactory.get().binaryEncoder(out, null);
    specificWriter.write(specific, encoder);
    encoder.flush();
    avroBytes = out.toByteArray();

    Schema schema = AvroOrder.getClassSchema();
    GenericData genericData = new GenericData();
    genericData.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    genericData.addLogicalTypeConversion(new Conversions.DecimalConversion());
    genericWriter = new GenericDatumWriter<>(schema, genericData);
    genericReader = new GenericDatumReader<>(schema, schema, genericData);
    decoder = DecoderFactory.get().binaryDecoder(avroBytes, null);
    generic = genericReader.read(null, decoder);

    ReflectData reflect = new ReflectData();
    reflect.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    reflect.addLogicalTypeConversion(new Conversions.DecimalConversion());
    // the same schema as the SDK's: Avro's reflection cannot derive a decimal without a scale
    reflectWriter = new ReflectDatumWriter<>(contract.schema(), reflect);
  }

  @Benchmark
  public byte[] sdkEncode() {
    return codec.encode(order);
  }

  @Benchmark
  public byte[] sdkSerialize() {
    return serializer.serialize("orders.order-placed.v1", order);
  }

  @Benchmark
  public byte[] avroSpecificEncode() throws IOException {
    out.reset();
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    specificWriter.write(specific, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Benchmark
  public byte[] avroGenericEncode() throws IOException {
    out.reset();
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    genericWriter.write(generic, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Benchmark
  public byte[] avroReflectEncode() throws IOException {
    out.reset();
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    reflectWriter.write(order, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Benchmark
  public BenchOrder sdkDecode() {
    return codec.decode(sdkBytes);
  }

  @Benchmark
  public BenchOrder sdkDeserialize() {
    return deserializer.deserialize("orders.order-placed.v1", framed);
  }

  @Benchmark
  public AvroOrder avroSpecificDecode() throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(avroBytes, decoder);
    return specificReader.read(null, decoder);
  }

  @Benchmark
  public GenericRecord avroGenericDecode() throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(avroBytes, decoder);
    return genericReader.read(null, decoder);
  }
}
