package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Decimal;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.TimestampMicros;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Conversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.jspecify.annotations.Nullable;

/**
 * Property tests with Avro as the reference: for generated values (nulls, empty collections,
 * unicode, extreme numbers), the codec round-trips, Avro's generic reader parses the codec's bytes,
 * and Avro's generic writer re-encodes them to the very same bytes.
 */
class CodecPropertiesTest {
  @DataProduct(domain = "t", name = "props", version = "1.0", owner = "o", description = "d")
  record Sample(
      String text,
      long big,
      int small,
      double real,
      float single,
      boolean flag,
      @Nullable String maybe,
      Optional<Long> optional,
      List<String> list,
      Map<String, Integer> map,
      byte[] bytes,
      @TimestampMicros Instant at,
      LocalDate day) {}

  private static final ProductCodec<Sample> CODEC =
      ProductCodec.of(ProductContract.of(Sample.class));

  @Provide
  Arbitrary<String> text() {
    Arbitrary<String> plain =
        Arbitraries.strings()
            .withCharRange('\u0000', '\ud7ff')
            .withCharRange('\ue000', '\ufffd')
            .ofMaxLength(40);
    return Arbitraries.oneOf(plain, Arbitraries.of("", "😀", "ünï 😀 code", "\u0000"));
  }

  @Provide
  Arbitrary<Sample> samples() {
    Arbitrary<String> text = text();
    Arbitrary<Long> longs =
        Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L));
    Arbitrary<Integer> ints =
        Arbitraries.oneOf(
            Arbitraries.integers(), Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE));
    Arbitrary<Double> doubles =
        Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.of(Double.MAX_VALUE, Double.MIN_VALUE, -0.0, Double.POSITIVE_INFINITY));
    Arbitrary<List<String>> lists = text.list().ofMaxSize(5);
    Arbitrary<Map<String, Integer>> maps = Arbitraries.maps(text, ints).ofMaxSize(4);
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
    Arbitrary<Instant> instants =
        Arbitraries.longs()
            .between(-50_000_000_000_000_000L, 50_000_000_000_000_000L)
            .map(
                m ->
                    Instant.ofEpochSecond(
                        Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000));
    Arbitrary<LocalDate> days =
        Arbitraries.integers().between(-1_000_000, 1_000_000).map(LocalDate::ofEpochDay);
    return Combinators.combine(
            text, longs, ints, doubles, text.injectNull(0.3), longs.optional(), lists, maps)
        .as((t, l, i, d, m, o, li, ma) -> new Object[] {t, l, i, d, m, o, li, ma})
        .flatMap(
            parts ->
                Combinators.combine(
                        bytes, instants, days, Arbitraries.floats(), Arbitraries.of(true, false))
                    .as((b, at, day, f, flag) -> build(parts, b, at, day, f, flag)));
  }

  @SuppressWarnings("unchecked")
  private static Sample build(
      Object[] p, byte[] b, Instant at, LocalDate day, float f, boolean flag) {
    return new Sample(
        (String) p[0],
        (Long) p[1],
        (Integer) p[2],
        (Double) p[3],
        f,
        flag,
        (String) p[4],
        (Optional<Long>) p[5],
        (List<String>) p[6],
        (Map<String, Integer>) p[7],
        b,
        at,
        day);
  }

  @Property(tries = 300)
  void roundTripsAndMatchesAvro(@ForAll("samples") Sample sample) throws IOException {
    byte[] ours = CODEC.encode(sample);

    assertThat(CODEC.decode(ours)).usingRecursiveComparison().isEqualTo(sample);
    GenericRecord generic = ProductCodecTest.readGeneric(CODEC.schema(), ours);
    byte[] avros = ProductCodecTest.writeGeneric(CODEC.schema(), generic);
    assertThat(CODEC.decode(avros)).usingRecursiveComparison().isEqualTo(sample);
    if (sample.map().size() <= 1) {
      // with several entries Avro's HashMap may write them in another order
      assertThat(avros).isEqualTo(ours);
    }
    assertThat(generic.get("text").toString()).isEqualTo(sample.text());
    assertThat(generic.get("big")).isEqualTo(sample.big());
  }

  @DataProduct(domain = "t", name = "money", version = "1.0", owner = "o", description = "d")
  record Amounts(
      @Decimal(precision = 18, scale = 2) BigDecimal small,
      @Decimal(precision = 38, scale = 4) BigDecimal wide) {}

  private static final ProductCodec<Amounts> AMOUNTS =
      ProductCodec.of(ProductContract.of(Amounts.class));

  @Provide
  Arbitrary<Amounts> amounts() {
    // every length of unscaled value: the long fast path (up to 8 bytes) and BigInteger beyond
    Arbitrary<BigInteger> unscaled =
        Arbitraries.oneOf(
            Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(17).negate(), BigInteger.TEN.pow(17)),
            Arbitraries.of(
                BigInteger.ZERO,
                BigInteger.ONE.negate(),
                BigInteger.valueOf(127),
                BigInteger.valueOf(128),
                BigInteger.valueOf(-128),
                BigInteger.valueOf(-129),
                BigInteger.valueOf(999_999_999_999_999_999L),
                BigInteger.valueOf(-999_999_999_999_999_999L)));
    Arbitrary<BigInteger> wide =
        Arbitraries.oneOf(
            unscaled,
            Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(37).negate(), BigInteger.TEN.pow(37)),
            Arbitraries.of(
                BigInteger.valueOf(Long.MAX_VALUE),
                BigInteger.valueOf(Long.MIN_VALUE),
                BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
                BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)));
    return Combinators.combine(unscaled, wide)
        .as((a, b) -> new Amounts(new BigDecimal(a, 2), new BigDecimal(b, 4)));
  }

  @Property(tries = 500)
  void decimalsRoundTripAndMatchAvroByteForByte(@ForAll("amounts") Amounts amounts)
      throws IOException {
    byte[] ours = AMOUNTS.encode(amounts);

    assertThat(AMOUNTS.decode(ours)).isEqualTo(amounts);
    // Avro's reference: the unscaled value's BigInteger.toByteArray, through its own conversion
    GenericRecord generic = ProductCodecTest.readGeneric(AMOUNTS.schema(), ours);
    assertThat(generic.get("small"))
        .isEqualTo(ByteBuffer.wrap(amounts.small().unscaledValue().toByteArray()));
    assertThat(generic.get("wide"))
        .isEqualTo(ByteBuffer.wrap(amounts.wide().unscaledValue().toByteArray()));
    GenericData withDecimals = new GenericData();
    withDecimals.addLogicalTypeConversion(new Conversions.DecimalConversion());
    GenericRecord converted =
        new GenericDatumReader<GenericRecord>(AMOUNTS.schema(), AMOUNTS.schema(), withDecimals)
            .read(null, DecoderFactory.get().binaryDecoder(ours, null));
    assertThat(converted.get("small")).isEqualTo(amounts.small());
    assertThat(converted.get("wide")).isEqualTo(amounts.wide());
  }

  @Property(tries = 300)
  void neverHangsOrOverAllocatesOnRandomBytes(@ForAll byte[] garbage) {
    try {
      CODEC.decode(garbage);
    } catch (RecordDecodingException e) {
      assertThat(e.reason()).isNotNull();
    }
  }
}
