package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Records written by other serializers: the schema id in the Confluent prefix, Confluent's
 * schema-id header (id and GUID), Apicurio's headers and its legacy 8-byte prefix are found, said,
 * and read into the product class.
 */
class SchemaIdLocationTest {
  @DataProduct(domain = "t", name = "tiny", version = "1.0", owner = "o", description = "d")
  record Tiny(String id, long n, @Nullable String note) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final MeshSerde<Tiny> serde = MeshSerde.of(ProductContract.of(Tiny.class), registry);
  private final Tiny value = new Tiny("ab", 42, "x");
  private final byte[] framed = serde.serializer().serialize("t.tiny.v1", value);
  private final byte[] body = Arrays.copyOfRange(framed, WireFormat.HEADER_SIZE, framed.length);
  private final int id = WireFormat.schemaId(framed);

  @Test
  void theConfluentPrefixIsWhatMeshWrites() {
    SchemaIdLocation where = WireFormat.locate(framed, new RecordHeaders());
    assertThat(where).isEqualTo(new SchemaIdLocation(SchemaIdSource.CONFLUENT_PREFIX, id, null, 5));
    assertThat(where.toString()).isEqualTo("confluent_prefix " + id);
    assertThat(WireFormat.locate(framed, null)).isEqualTo(where);
    assertThat(read(framed, new RecordHeaders())).isEqualTo(value);
  }

  @Test
  void confluentsSchemaIdHeaderWithAnIdOrAGuidLeavesTheBodyAlone() {
    Headers byId = headers(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER, new byte[] {0, 0, 0, 0, 1});
    assertThat(WireFormat.locate(body, byId))
        .isEqualTo(new SchemaIdLocation(SchemaIdSource.CONFLUENT_HEADER, 1, null, 0));
    assertThat(read(body, byId)).isEqualTo(value);

    UUID guid = registry.guid(id);
    ByteBuffer b = ByteBuffer.allocate(17).put((byte) 1);
    b.putLong(guid.getMostSignificantBits()).putLong(guid.getLeastSignificantBits());
    Headers byGuid = headers(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER, b.array());
    SchemaIdLocation where = WireFormat.locate(body, byGuid);
    assertThat(where.source()).isEqualTo(SchemaIdSource.CONFLUENT_HEADER_GUID);
    assertThat(where.guid()).contains(guid);
    assertThat(where.intId()).isEqualTo(-1);
    assertThat(read(body, byGuid)).isEqualTo(value);

    // a header names the schema even when the value also starts like a prefix: the header wins
    assertThat(WireFormat.locate(framed, byId).source()).isEqualTo(SchemaIdSource.CONFLUENT_HEADER);
  }

  @Test
  void apicuriosHeadersAndLegacyPrefixNameItsIds() {
    Headers global = headers(WireFormat.APICURIO_VALUE_GLOBAL_ID_HEADER, longBytes(id));
    assertThat(WireFormat.locate(body, global))
        .isEqualTo(new SchemaIdLocation(SchemaIdSource.APICURIO_GLOBAL_ID_HEADER, id, null, 0));
    assertThat(read(body, global)).isEqualTo(value);

    Headers content = headers(WireFormat.APICURIO_VALUE_CONTENT_ID_HEADER, longBytes(id));
    assertThat(WireFormat.locate(body, content).source())
        .isEqualTo(SchemaIdSource.APICURIO_CONTENT_ID_HEADER);
    assertThat(read(body, content)).isEqualTo(value);

    byte[] legacy = new byte[9 + body.length];
    System.arraycopy(longBytes(id), 0, legacy, 1, 8);
    System.arraycopy(body, 0, legacy, 9, body.length);
    assertThat(WireFormat.locate(legacy, new RecordHeaders()))
        .isEqualTo(new SchemaIdLocation(SchemaIdSource.APICURIO_LEGACY_PREFIX, id, null, 9));
    assertThat(read(legacy, new RecordHeaders())).isEqualTo(value);
  }

  @Test
  void theLastOfARepeatedHeaderCountsAndMalformedHeadersAreRefusedByName() {
    Headers twice = headers(WireFormat.APICURIO_VALUE_GLOBAL_ID_HEADER, longBytes(999));
    twice.add(WireFormat.APICURIO_VALUE_GLOBAL_ID_HEADER, longBytes(id));
    assertThat(WireFormat.locate(body, twice).id()).isEqualTo(id);

    assertThatThrownBy(
            () ->
                WireFormat.locate(
                    body, headers(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER, new byte[] {2, 1})))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_MAGIC_BYTE))
        .hasMessageContaining("__value_schema_id");
    assertThatThrownBy(
            () ->
                WireFormat.locate(
                    body, headers(WireFormat.APICURIO_VALUE_CONTENT_ID_HEADER, new byte[] {1})))
        .isInstanceOfSatisfying(
            RecordDecodingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED))
        .hasMessageContaining("apicurio.value.contentId");
  }

  @Test
  void idsNoRegistryHasAreUnknownSchemaIdsWhereverTheyWere() {
    Headers global = headers(WireFormat.APICURIO_VALUE_GLOBAL_ID_HEADER, longBytes(777));
    assertThatThrownBy(() -> read(body, global))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
        .hasMessageContaining("apicurio_global_id_header 777");
    ByteBuffer b = ByteBuffer.allocate(17).put((byte) 1).putLong(1).putLong(2);
    assertThatThrownBy(
            () -> read(body, headers(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER, b.array())))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
        .hasMessageContaining("confluent_header_guid");
  }

  @Test
  void writingAProductDropsAnotherSerializersSchemaIdHeaderThatWouldMisleadReaders() {
    // a record forwarded from an Apicurio topic keeps its headers: the stale id must not win
    Headers forwarded = headers(WireFormat.APICURIO_VALUE_GLOBAL_ID_HEADER, longBytes(777));
    forwarded.add(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER, new byte[] {0, 0, 0, 3, 9});
    byte[] bytes = serde.serializer().serialize("t.tiny.v1", forwarded, value);

    assertThat(forwarded.lastHeader(WireFormat.APICURIO_VALUE_GLOBAL_ID_HEADER)).isNull();
    assertThat(forwarded.lastHeader(WireFormat.CONFLUENT_VALUE_SCHEMA_ID_HEADER)).isNull();
    assertThat(forwarded.lastHeader("ce_id")).isNotNull(); // other headers stay
    assertThat(read(bytes, forwarded)).isEqualTo(value);
  }

  private Tiny read(byte[] bytes, Headers headers) {
    return serde.deserializer().deserialize("t.tiny.v1", headers, bytes);
  }

  private static Headers headers(String key, byte[] value) {
    RecordHeaders h = new RecordHeaders();
    h.add("ce_id", new byte[] {'x'});
    h.add(key, value);
    return h;
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
