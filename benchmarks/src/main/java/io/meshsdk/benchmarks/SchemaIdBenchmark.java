package io.meshsdk.benchmarks;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.serde.SchemaIdLocation;
import io.meshsdk.serde.WireFormat;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What finding a record's schema id costs now that it may be in a header (issue 15): {@code
 * WireFormat.locate} over a record with Mesh's nine headers, next to reading the Confluent prefix
 * alone ({@code WireFormat.schemaId}, all a consumer did before); and a whole decode of an order
 * through the headers path and the prefix path.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SchemaIdBenchmark}
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchemaIdBenchmark {
  private byte[] framed;
  private Headers headers;
  private MeshDeserializer<BenchOrder> deserializer;

  @Setup(Level.Trial)
  public void setUp() {
    ProductContract<BenchOrder> contract = ProductContract.of(BenchOrder.class);
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    framed = MeshSerializer.of(contract, registry).serialize(contract.topic(), BenchOrder.sample());
    headers = StreamsTopologyBenchmark.meshHeaders();
    deserializer = MeshDeserializer.of(contract, registry);
    deserializer.deserialize(contract.topic(), headers, framed);
  }

  @Benchmark
  public int prefixOnly() {
    return WireFormat.schemaId(framed);
  }

  @Benchmark
  public SchemaIdLocation locateWithHeaders() {
    return WireFormat.locate(framed, headers);
  }

  @Benchmark
  public BenchOrder decodeByPrefix() {
    return deserializer.deserialize("orders.order-placed.v1", framed);
  }

  @Benchmark
  public BenchOrder decodeWithHeaders() {
    return deserializer.deserialize("orders.order-placed.v1", headers, framed);
  }
}
