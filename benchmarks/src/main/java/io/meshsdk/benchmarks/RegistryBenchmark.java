package io.meshsdk.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.serde.MeshSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The registry path of the serdes. Warm: what a record pays to find its schema (the serializer's
 * cached id per topic; the REST client's cache of schemas by id) next to a plain {@code HashMap}
 * and {@code ConcurrentHashMap} lookup. Cold: a schema fetched by id over HTTP from a local server
 * with a new client each time (connection set-up included).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RegistryBenchmark}
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RegistryBenchmark {
  private MeshSerializer<BenchOrder> serializer;
  private SchemaRegistry rest;
  private HttpServer server;
  private String url;
  private int id;
  private final Map<Integer, Schema> hashMap = new HashMap<>();
  private final Map<Integer, Schema> concurrentMap = new ConcurrentHashMap<>();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ProductContract<BenchOrder> contract = ProductContract.of(BenchOrder.class);
    serializer = MeshSerializer.of(contract, new InMemorySchemaRegistry());
    serializer.schemaId(contract.topic());
    Schema schema = contract.schema();
    byte[] body =
        ("{\"schema\":" + quote(schema.toString()) + "}").getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/schemas/ids/",
        x -> {
          x.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
          x.sendResponseHeaders(200, body.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
    rest = RestSchemaRegistry.builder(url).build();
    id = 7;
    rest.schemaById(id);
    hashMap.put(id, schema);
    concurrentMap.put(id, schema);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.stop(0);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public int serializerSchemaIdHit() {
    return serializer.schemaId("orders.order-placed.v1");
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Schema restClientSchemaByIdHit() {
    return rest.schemaById(id);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Schema hashMapGet() {
    return hashMap.get(id);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Schema concurrentHashMapGet() {
    return concurrentMap.get(id);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 20)
  @Measurement(iterations = 200)
  public Schema coldSchemaByIdOverHttp() {
    return RestSchemaRegistry.builder(url).build().schemaById(id);
  }
}
