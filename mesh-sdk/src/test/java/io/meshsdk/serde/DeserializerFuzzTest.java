package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.AllTypes;
import io.meshsdk.fixtures.Samples;
import io.meshsdk.registry.InMemorySchemaRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.avro.Schema;

/**
 * Fuzzes {@link MeshDeserializer} with every class of corruption: bit flips, truncation, a wrong
 * magic byte, unknown and foreign schema ids, huge and negative lengths and counts, trailing and
 * repeated bytes, and writer schemas the SDK did not derive, the hostile shapes included (trees of
 * recursive records nested thousands deep, arrays of empty elements), on inputs up to 64 KB. Every
 * case must end in a value or a {@link RecordDecodingException}: no other exception, no {@code
 * Error}, no out-of-memory.
 *
 * <p>The seed is fixed. CI runs jqwik's default number of tries (1,000); the large run is
 *
 * <pre>
 * mvn -B -pl mesh-sdk test -Dtest=DeserializerFuzzTest -Djqwik.tries.default=100000 \
 *     -Dfuzz.maxMillis=100
 * </pre>
 *
 * which also fails if any case (after the first thousand, which warm the JIT) took longer than
 * {@code fuzz.maxMillis}; without that property the slowest case is reported, not asserted, because
 * timing thresholds do not belong in CI runs on shared machines.
 */
class DeserializerFuzzTest {
  private static final String TOPIC = "t.all-types.v1";
  private static final ProductContract<AllTypes> CONTRACT = ProductContract.of(AllTypes.class);
  private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();
  private static final MeshDeserializer<AllTypes> DESERIALIZER =
      MeshDeserializer.of(CONTRACT, REGISTRY);
  private static final byte[] BODY;
  private static final List<Writer> WRITERS = new ArrayList<>();
  private static final AtomicLong CASES = new AtomicLong();
  private static final AtomicLong SLOWEST = new AtomicLong();
  private static final AtomicLong DECODED = new AtomicLong();

  /** A writer schema: the reader's fields plus one writer-only field, and how to make its data. */
  private record Writer(String name, int id, Extra extra) {}

  @FunctionalInterface
  private interface Extra {
    void write(AvroBytes out, Random random, int size);
  }

  static {
    ProductCodec<AllTypes> codec = ProductCodec.of(CONTRACT);
    BODY = codec.encode(Samples.allTypes());
    int own = REGISTRY.register("own-value", CONTRACT.schema()).id();
    WRITERS.add(new Writer("own", own, (out, r, size) -> {}));
    String tree =
        "{\"type\":\"record\",\"name\":\"Tree\",\"fields\":[{\"name\":\"kids\","
            + "\"type\":{\"type\":\"array\",\"items\":\"Tree\"}}]}";
    writer(
        "recursive-tree",
        tree,
        (out, r, size) -> {
          int levels = Math.max(1, size / 2);
          for (int i = 1; i < levels; i++) {
            out.varint(1);
          }
          for (int i = 0; i < levels; i++) {
            out.varint(0);
          }
        });
    writer(
        "recursive-chain",
        "[\"null\",{\"type\":\"record\",\"name\":\"Link\",\"fields\":[{\"name\":\"next\","
            + "\"type\":[\"null\",\"Link\"]}]}]",
        (out, r, size) -> {
          for (int i = 0; i < size; i++) {
            out.varint(1);
          }
          out.varint(0);
        });
    for (String empty :
        List.of(
            "\"null\"",
            "{\"type\":\"record\",\"name\":\"Empty\",\"fields\":[]}",
            "{\"type\":\"fixed\",\"name\":\"Nothing\",\"size\":0}")) {
      writer(
          "array-of-" + empty.replaceAll("\\W", ""),
          "{\"type\":\"array\",\"items\":" + empty + "}",
          (out, r, size) -> {
            int blocks = Math.max(1, size / 3);
            for (int i = 0; i < blocks; i++) {
              out.varint(r.nextInt(2) == 0 ? 8_000 : -(1 + r.nextInt(8_000))); // +count or -count
              if (out.last() < 0) {
                // a block of negative count is followed by its size in bytes: true (0) or not
                out.varint(r.nextInt(4) == 0 ? r.nextInt(64) : 0);
              }
            }
            out.varint(0);
          });
    }
    writer(
        "map-of-strings",
        "{\"type\":\"map\",\"values\":\"string\"}",
        (out, r, size) -> {
          int n = Math.max(1, size / 8);
          out.varint(n);
          for (int i = 0; i < n; i++) {
            out.string("k" + i).string("v");
          }
          out.varint(0);
        });
    writer(
        "long-string",
        "\"string\"",
        (out, r, size) -> out.string("x".repeat(Math.max(0, size - 4))));
  }

  private static void writer(String name, String extraType, Extra extra) {
    try {
      ObjectMapper json = new ObjectMapper();
      ObjectNode schema = (ObjectNode) json.readTree(CONTRACT.schema().toString());
      ArrayNode fields = (ArrayNode) schema.get("fields");
      ObjectNode field = fields.addObject();
      field.put("name", "extra");
      field.set("type", json.readTree(extraType));
      Schema writer = new Schema.Parser().parse(json.writeValueAsString(schema));
      int id = REGISTRY.register(name + "-value", writer).id();
      WRITERS.add(new Writer(name, id, extra));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One fuzz case: a base record and what is done to it. */
  record Case(int writer, int extraSize, int corruption, long seed, boolean randomBody) {}

  @Provide
  Arbitrary<Case> cases() {
    return Combinators.combine(
            Arbitraries.integers().between(0, WRITERS.size() - 1),
            Arbitraries.integers().between(0, 64 * 1024).shrinkTowards(0),
            Arbitraries.integers().between(0, 10),
            Arbitraries.longs(),
            Arbitraries.of(false, false, false, true))
        .as(Case::new);
  }

  @Property(
      seed = "20261130",
      shrinking = net.jqwik.api.ShrinkingMode.OFF,
      edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
  void everyCorruptionEndsInAValueOrADecodingException(@ForAll("cases") Case c) {
    byte[] input = input(c);
    long start = System.nanoTime();
    try {
      AllTypes value = DESERIALIZER.deserialize(TOPIC, input);
      assertThat(value).isNotNull();
      DECODED.incrementAndGet();
    } catch (RecordDecodingException e) {
      assertThat(e.reason()).isNotNull();
      assertThat(e.getMessage()).isNotBlank();
    } catch (Throwable t) {
      throw new AssertionError(
          "case " + c + " (" + input.length + " bytes) threw " + t.getClass().getName(), t);
    }
    long elapsed = System.nanoTime() - start;
    if (CASES.incrementAndGet() > 1_000) {
      SLOWEST.accumulateAndGet(elapsed, Math::max);
    }
  }

  @AfterContainer
  static void report() {
    long slowestMillis = SLOWEST.get() / 1_000_000;
    System.out.printf(
        "DeserializerFuzzTest: %d cases, %d decoded, slowest after warm-up %.3f ms%n",
        CASES.get(), DECODED.get(), SLOWEST.get() / 1e6);
    String bound = System.getProperty("fuzz.maxMillis");
    if (bound != null) {
      assertThat(slowestMillis).isLessThanOrEqualTo(Long.parseLong(bound));
    }
  }

  private static byte[] input(Case c) {
    Random r = new Random(c.seed());
    Writer w = WRITERS.get(c.writer());
    AvroBytes body = new AvroBytes();
    if (c.randomBody()) {
      byte[] noise = new byte[c.extraSize()];
      r.nextBytes(noise);
      body.raw(noise);
    } else {
      body.raw(BODY);
      w.extra().write(body, r, Math.min(c.extraSize(), 64 * 1024 - BODY.length));
    }
    byte[] framed = new byte[WireFormat.HEADER_SIZE + body.size()];
    WireFormat.writeHeader(w.id(), framed, 0);
    System.arraycopy(body.toArray(), 0, framed, WireFormat.HEADER_SIZE, body.size());
    return corrupt(framed, c.corruption(), r);
  }

  private static byte[] corrupt(byte[] in, int corruption, Random r) {
    byte[] b = in.clone();
    int at = WireFormat.HEADER_SIZE + (b.length > 5 ? r.nextInt(b.length - 5) : 0);
    switch (corruption) {
      case 0 -> {
        return b; // as written
      }
      case 1 -> { // bit flips
        int flips = 1 + r.nextInt(16);
        for (int i = 0; i < flips && b.length > 0; i++) {
          int p = r.nextInt(b.length);
          b[p] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 2 -> {
        return Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncation
      }
      case 3 -> { // a wrong magic byte
        b[0] = (byte) (1 + r.nextInt(255));
        return b;
      }
      case 4 -> { // an unknown or another writer's schema id
        int id = r.nextBoolean() ? r.nextInt() : WRITERS.get(r.nextInt(WRITERS.size())).id();
        WireFormat.writeHeader(id, b, 0);
        return b;
      }
      case 5 -> { // a huge length or count: ten bytes of varint
        return splice(b, at, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1});
      }
      case 6 -> { // a negative length or count
        byte[][] negatives = {
          {1}, {3}, {-1, -1, -1, -1, 15}, {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1}
        };
        return splice(b, at, negatives[r.nextInt(negatives.length)]);
      }
      case 7 -> { // bytes after the record
        byte[] tail = new byte[1 + r.nextInt(64)];
        r.nextBytes(tail);
        byte[] out = Arrays.copyOf(b, b.length + tail.length);
        System.arraycopy(tail, 0, out, b.length, tail.length);
        return out;
      }
      case 8 -> { // a chunk repeated
        if (b.length <= 6) {
          return b;
        }
        int from = 5 + r.nextInt(b.length - 5);
        int len = Math.min(b.length - from, 1 + r.nextInt(256));
        byte[] out = Arrays.copyOf(b, b.length + len);
        System.arraycopy(b, from, out, from + len, b.length - from);
        return out;
      }
      case 9 -> { // bytes overwritten with noise
        for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(32)); i++) {
          b[i] = (byte) r.nextInt();
        }
        return b;
      }
      default -> { // a string length replaced by the largest int
        return splice(b, at, new byte[] {-2, -1, -1, -1, 15});
      }
    }
  }

  /** Overwrites bytes at {@code at} (clipped to the input). */
  private static byte[] splice(byte[] b, int at, byte[] with) {
    for (int i = 0; i < with.length && at + i < b.length; i++) {
      b[at + i] = with[i];
    }
    return b;
  }
}
