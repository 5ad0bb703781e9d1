package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Writer schemas are not the SDK's and may be hostile: recursive types nested thousands of levels
 * deep, arrays of zero-byte elements announcing millions of items. Reading or skipping their data
 * is bounded by {@link DecodeLimits} and every failure is a {@link RecordDecodingException}.
 */
class HostileWriterSchemaTest {

  @DataProduct(domain = "t", name = "parcel", version = "1.0", owner = "o", description = "d")
  record Parcel(@Key @Doc("id") String id) {}

  private static final ProductContract<Parcel> CONTRACT = ProductContract.of(Parcel.class);

  /** The reader's fields plus one writer-only field of the given type, which the reader skips. */
  private static Schema writerWith(String extraType) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"t.Parcel\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"extra\",\"type\":"
                + extraType
                + "}]}");
  }

  private static final String LINKED =
      "[\"null\",{\"type\":\"record\",\"name\":\"Node\",\"fields\":"
          + "[{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}]";

  private static final String TREE =
      "{\"type\":\"record\",\"name\":\"Tree\",\"fields\":"
          + "[{\"name\":\"kids\",\"type\":{\"type\":\"array\",\"items\":\"Tree\"}}]}";

  /**
   * "p-1", then a tree {@code levels} deep with one kid per level: a block of one item per level,
   * then every array's end: two bytes a level, as Avro's own writer would write it.
   */
  private static byte[] deepTree(int levels) {
    AvroBytes out = new AvroBytes().string("p-1");
    for (int i = 1; i < levels; i++) {
      out.varint(1);
    }
    for (int i = 0; i < levels; i++) {
      out.varint(0);
    }
    return out.toArray();
  }

  /** "p-1", then a chain of {@code levels} nodes: union index 1 per level, then null. */
  private static byte[] linkedChain(int levels) {
    AvroBytes out = new AvroBytes().string("p-1");
    for (int i = 0; i < levels; i++) {
      out.varint(1);
    }
    return out.varint(0).toArray();
  }

  @Test
  void refusesARecursiveValueNestedTenThousandLevelsInsteadOfOverflowingTheStack() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT);

    for (var data :
        List.of(
            Map.entry(TREE, deepTree(10_000)), // about 20 KB: arrays in records, 10,000 deep
            Map.entry(LINKED, linkedChain(10_000)))) {
      assertThatThrownBy(() -> codec.decode(data.getValue(), writerWith(data.getKey())))
          .isInstanceOfSatisfying(
              RecordDecodingException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
          .hasMessageContaining("nest deeper than 100");
    }
  }

  @Test
  void readsRecursiveValuesWithinTheDepthLimit() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT);

    // the root record, then one level per node: 99 nodes end at depth 100
    assertThat(codec.decode(linkedChain(99), writerWith(LINKED))).isEqualTo(new Parcel("p-1"));
    assertThatThrownBy(() -> codec.decode(linkedChain(100), writerWith(LINKED)))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
    // root, then a record and its array per tree level: 49 levels end at depth 99
    assertThat(codec.decode(deepTree(49), writerWith(TREE))).isEqualTo(new Parcel("p-1"));
    assertThatThrownBy(() -> codec.decode(deepTree(50), writerWith(TREE)))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
  }

  @Test
  void theDepthLimitIsConfigurable() {
    ProductCodec<Parcel> shallow = ProductCodec.of(CONTRACT, DecodeLimits.defaults().maxDepth(5));

    assertThat(shallow.decode(linkedChain(4), writerWith(LINKED))).isEqualTo(new Parcel("p-1"));
    assertThatThrownBy(() -> shallow.decode(linkedChain(5), writerWith(LINKED)))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
  }

  /**
   * Without the limit the stack overflows inside Avro; the codec turns even that {@code Error} into
   * a decoding failure, so a record can never stop its reader.
   */
  @Test
  void turnsAnErrorInsideTheDecoderIntoADecodingFailure() {
    ProductCodec<Parcel> unbounded =
        ProductCodec.of(CONTRACT, DecodeLimits.defaults().maxDepth(Integer.MAX_VALUE));
    byte[] data = deepTree(100_000);

    assertThatThrownBy(() -> unbounded.decode(data, writerWith(TREE)))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.DECODER_FAILURE);
              assertThat(e.getCause()).isInstanceOf(StackOverflowError.class);
            });
  }

  /**
   * An array of zero-byte elements in blocks of 8,000 each, two bytes a block: a 65 KB record
   * announces about 260 million elements, each of which Avro would step through.
   */
  private static byte[] zeroByteElements(int size) {
    AvroBytes out = new AvroBytes().string("p-1");
    while (out.size() < size - 2) {
      out.varint(8_000);
    }
    return out.varint(0).toArray();
  }

  @Test
  void refusesAnArrayOfNullsAnnouncingMoreElementsThanTheLimit() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT);
    byte[] data = zeroByteElements(65_000);

    assertThatThrownBy(
            () -> codec.decode(data, writerWith("{\"type\":\"array\",\"items\":\"null\"}")))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
        .hasMessageContaining("more array items and map entries than the record has bytes");
  }

  @Test
  void refusesMoreElementsThanTheLimitInALargeRecord() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT, DecodeLimits.defaults().maxElements(10));

    assertThatThrownBy(
            () -> codec.decode(intArray(11), writerWith("{\"type\":\"array\",\"items\":\"int\"}")))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
        .hasMessageContaining("more than 10 array items and map entries in one record");
  }

  @Test
  void refusesArraysOfEmptyRecordsAndEmptyFixedsTheSameWay() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT);
    byte[] data = zeroByteElements(65_000);
    for (String items :
        List.of(
            "{\"type\":\"record\",\"name\":\"Empty\",\"fields\":[]}",
            "{\"type\":\"fixed\",\"name\":\"Nothing\",\"size\":0}",
            "{\"type\":\"record\",\"name\":\"Nested\",\"fields\":[{\"name\":\"n\",\"type\":"
                + "\"null\"},{\"name\":\"e\",\"type\":{\"type\":\"record\",\"name\":\"E\","
                + "\"fields\":[]}}]}")) {
      assertThatThrownBy(
              () -> codec.decode(data, writerWith("{\"type\":\"array\",\"items\":" + items + "}")))
          .as(items)
          .isInstanceOfSatisfying(
              RecordDecodingException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
    }
  }

  @Test
  void readsArraysOfNullsOfNoMoreElementsThanTheRecordHasBytes() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT);
    // 6 bytes: more elements than bytes left after the count, as Avro's own writer writes them
    byte[] data = new AvroBytes().string("p-1").varint(5).varint(0).toArray();

    assertThat(codec.decode(data, writerWith("{\"type\":\"array\",\"items\":\"null\"}")))
        .isEqualTo(new Parcel("p-1"));
  }

  @Test
  void theElementLimitIsConfigurableAndCountsMapEntriesToo() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT, DecodeLimits.defaults().maxElements(3));
    Schema ints = writerWith("{\"type\":\"array\",\"items\":\"int\"}");
    Schema map = writerWith("{\"type\":\"map\",\"values\":\"int\"}");

    assertThat(codec.decode(intArray(3), ints)).isEqualTo(new Parcel("p-1"));
    assertThatThrownBy(() -> codec.decode(intArray(4), ints))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
    AvroBytes entries = new AvroBytes().string("p-1").varint(4);
    for (int i = 0; i < 4; i++) {
      entries.string("k" + i).varint(i);
    }
    byte[] fourEntries = entries.varint(0).toArray();
    assertThatThrownBy(() -> codec.decode(fourEntries, map))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
  }

  /**
   * A block that gives its byte size may be skipped by that size instead of by its items: a size
   * that does not match the items would make the skip land elsewhere, on a count nobody checked.
   */
  @Test
  void refusesABlockWhoseByteSizeDoesNotMatchItsItems() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT);
    byte[] lying =
        new AvroBytes()
            .string("p-1")
            .varint(-1) // one item...
            .varint(1) // ...said to take one byte, though null takes none
            .varint(0)
            .varint(1L << 62) // where a skip by size would read the next count
            .varint(0)
            .toArray();

    assertThatThrownBy(
            () -> codec.decode(lying, writerWith("{\"type\":\"array\",\"items\":\"null\"}")))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_LENGTH));
    byte[] honest =
        new AvroBytes().string("p-1").varint(-2).varint(2).varint(3).varint(4).varint(0).toArray();
    assertThat(codec.decode(honest, writerWith("{\"type\":\"array\",\"items\":\"int\"}")))
        .isEqualTo(new Parcel("p-1"));
  }

  private static byte[] intArray(int n) {
    AvroBytes out = new AvroBytes().string("p-1").varint(n);
    for (int i = 0; i < n; i++) {
      out.varint(i);
    }
    return out.varint(0).toArray();
  }

  /**
   * A record type that contains itself with no way out has no finite value at all; Avro overflows
   * the stack just preparing to resolve it, so the writer schema is refused as a whole.
   */
  @Test
  void refusesAWriterSchemaWithATypeThatContainsItselfWithoutEnd() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT);
    Schema writer =
        writerWith(
            "{\"type\":\"record\",\"name\":\"Loop\",\"fields\":[{\"name\":\"self\",\"type\":"
                + "\"Loop\"}]}");

    assertThatThrownBy(() -> codec.decode(new AvroBytes().string("p-1").toArray(), writer))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_WRITER_SCHEMA))
        .hasMessageContaining("cannot be prepared for reading");
  }

  @Test
  void refusesNonRecursiveSchemasNestedDeeperThanTheLimit() {
    ProductCodec<Parcel> codec = ProductCodec.of(CONTRACT, DecodeLimits.defaults().maxDepth(3));
    Schema writer =
        writerWith(
            "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"b\",\"type\":"
                + "{\"type\":\"record\",\"name\":\"B\",\"fields\":[{\"name\":\"c\",\"type\":"
                + "{\"type\":\"array\",\"items\":\"int\"}}]}}]}");

    assertThatThrownBy(
            () ->
                codec.decode(
                    new AvroBytes().string("p-1").varint(1).varint(7).varint(0).toArray(), writer))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
  }

  @Test
  void theDeserializerDeadLettersWhatTheCodecRefusesAndKeepsReadingGoodRecords() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    int hostile = registry.register("any-subject", writerWith(LINKED)).id();
    MeshDeserializer<Parcel> deserializer = MeshDeserializer.of(CONTRACT, registry);
    MeshSerializer<Parcel> serializer = MeshSerializer.of(CONTRACT, registry);

    byte[] framed = framed(hostile, linkedChain(10_000));
    assertThatThrownBy(() -> deserializer.deserialize("t.parcel.v1", framed))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
        .hasMessageContaining("schema id " + hostile);
    byte[] good = serializer.serialize("t.parcel.v1", new Parcel("p-2"));
    assertThat(deserializer.deserialize("t.parcel.v1", good)).isEqualTo(new Parcel("p-2"));
  }

  private static byte[] framed(int id, byte[] body) {
    byte[] out = new byte[WireFormat.HEADER_SIZE + body.length];
    WireFormat.writeHeader(id, out, 0);
    System.arraycopy(body, 0, out, WireFormat.HEADER_SIZE, body.length);
    return out;
  }
}
