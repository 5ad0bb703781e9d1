package io.meshsdk.benchmarks;

import io.meshsdk.benchmarks.avro.AvroLineItem;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.benchmarks.avro.AvroShipping;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.migration.Migration;
import io.meshsdk.migration.Migrations;
import io.meshsdk.serde.ProductCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
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
 * The cost of a migration step per record, next to decoding the same record with raw Avro and with
 * the SDK in the same run: a v1 reader of a v2 topic pays decode (v2) + downcast; a v2 reader of
 * the v1 topic pays decode (v1) + upcast.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MigrationBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MigrationBenchmark {

  /** Major 2 of {@link BenchOrder}: the amount becomes a decimal with its currency in one field. */
  @DataProduct(
      domain = "orders",
      name = "order-placed",
      version = "2.0",
      owner = "team-orders",
      description = "An order accepted from a customer (v2).")
  public record BenchOrderV2(
      @io.meshsdk.contract.Key String orderId,
      @io.meshsdk.contract.Pii String customerEmail,
      String amount,
      double weightKg,
      Instant placedAt,
      List<BenchOrder.Item> items,
      BenchOrder.Shipping shipping) {}

  /** Major 1 to 2 and back: the amount becomes "123.45 EUR". */
  static final Migrations MIGRATIONS =
      Migrations.of(
          Migration.of(
                  BenchOrder.class,
                  BenchOrderV2.class,
                  v1 ->
                      new BenchOrderV2(
                          v1.orderId(),
                          v1.customerEmail(),
                          BigDecimal.valueOf(v1.amountCents(), 2) + " " + v1.currency(),
                          v1.weightKg(),
                          v1.placedAt(),
                          v1.items(),
                          v1.shipping()))
              .withDowncast(
                  v2 -> {
                    int space = v2.amount().indexOf(' ');
                    return new BenchOrder(
                        v2.orderId(),
                        v2.customerEmail(),
                        new BigDecimal(v2.amount().substring(0, space))
                            .movePointRight(2)
                            .longValueExact(),
                        v2.amount().substring(space + 1),
                        v2.weightKg(),
                        v2.placedAt(),
                        v2.items(),
                        v2.shipping(),
                        null);
                  }));

  private BenchOrder order;
  private BenchOrderV2 orderV2;
  private Function<Object, BenchOrderV2> up;
  private Function<Object, BenchOrder> down;
  private ProductCodec<BenchOrder> codec;
  private byte[] sdkBytes;
  private byte[] avroBytes;
  private SpecificDatumReader<AvroOrder> specificReader;
  private BinaryDecoder decoder;

  @Setup
  public void setUp() {
    order = BenchOrder.sample();
    Migrations migrations = MIGRATIONS;
    up = migrations.path(BenchOrder.class, BenchOrderV2.class);
    down = migrations.path(BenchOrderV2.class, BenchOrder.class);
    orderV2 = up.apply(order);
    codec = ProductCodec.of(ProductContract.of(BenchOrder.class));
    sdkBytes = codec.encode(order);
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            ClassSecurityValidator.builder()
                .add(AvroOrder.class)
                .add(AvroLineItem.class)
                .add(AvroShipping.class)
                .build()));
    specificReader = new SpecificDatumReader<>(AvroOrder.class);
    avroBytes = sdkBytes;
    decoder = DecoderFactory.get().binaryDecoder(avroBytes, null);
  }

  /** Raw Avro: {@code SpecificDatumReader} on the generated class (the reference). */
  @Benchmark
  public AvroOrder avroSpecificDecode() throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(avroBytes, decoder);
    return specificReader.read(null, decoder);
  }

  /** The SDK decoding the same body into the record. */
  @Benchmark
  public BenchOrder sdkDecode() {
    return codec.decode(sdkBytes);
  }

  /** One upcast step (v1 to v2), through the composed path a consumer uses. */
  @Benchmark
  public BenchOrderV2 upcast() {
    return up.apply(order);
  }

  /** One downcast step (v2 to v1). */
  @Benchmark
  public BenchOrder downcast() {
    return down.apply(orderV2);
  }

  /** What a v2 consumer of the v1 topic pays per record: decode, then upcast. */
  @Benchmark
  public BenchOrderV2 sdkDecodeThenUpcast() {
    return up.apply(codec.decode(sdkBytes));
  }
}
