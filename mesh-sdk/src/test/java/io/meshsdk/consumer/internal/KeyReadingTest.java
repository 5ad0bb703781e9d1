package io.meshsdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.consumer.KeyFormat;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.DecodeLimits;
import io.meshsdk.serde.internal.AvroKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;

/**
 * Keys as a consumer sees them: text stays text, keys Confluent's Avro key serializer framed are
 * decoded through the registry, and bytes that are neither are flagged, never turned into text.
 */
class KeyReadingTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroKeys keys = new AvroKeys(registry, DecodeLimits.defaults());

  @Test
  void aMissingKeyIsNone() {
    assertThat(EventReader.key("t", null, keys)).isEqualTo(EventReader.Key.NONE);
  }

  @Test
  void utf8TextIsText() {
    assertKey("order-1".getBytes(StandardCharsets.UTF_8), "order-1", KeyFormat.TEXT);
    assertKey("Zürich\t東京".getBytes(StandardCharsets.UTF_8), "Zürich\t東京", KeyFormat.TEXT);
    // a replacement character written as such is text too
    assertKey("a\uFFFDb".getBytes(StandardCharsets.UTF_8), "a\uFFFDb", KeyFormat.TEXT);
  }

  @Test
  void aFramedAvroStringKeyIsDecodedThroughTheRegistry() throws IOException {
    Schema string = Schema.create(Schema.Type.STRING);
    int id = registry.register("t-key", string).id();
    assertKey(framed(id, string, new org.apache.avro.util.Utf8("c-42")), "c-42", KeyFormat.AVRO);
  }

  @Test
  void aFramedAvroRecordKeyIsDecodedAsJson() throws IOException {
    Schema schema =
        SchemaBuilder.record("CustomerKey")
            .fields()
            .requiredString("id")
            .requiredInt("region")
            .endRecord();
    int id = registry.register("t-key", schema).id();
    GenericData.Record key = new GenericData.Record(schema);
    key.put("id", "c-1");
    key.put("region", 7);
    assertKey(framed(id, schema, key), "{\"id\": \"c-1\", \"region\": 7}", KeyFormat.AVRO);
  }

  @Test
  void aFramedKeyOfAnUnknownSchemaIsBinaryNotGarbageText() throws IOException {
    byte[] unknown = framed(999, Schema.create(Schema.Type.STRING), "c-1");
    assertKey(unknown, null, KeyFormat.BINARY);
  }

  @Test
  void aFramedKeyThatDoesNotDecodeUnderItsSchemaIsBinary() throws IOException {
    int id = registry.register("t-key", Schema.create(Schema.Type.LONG)).id();
    byte[] truncated = framed(id, Schema.create(Schema.Type.STRING), "a long string key");
    assertKey(truncated, null, KeyFormat.BINARY);
  }

  @Test
  void numbersAndInvalidUtf8AreBinary() {
    try (LongSerializer longs = new LongSerializer()) {
      assertKey(longs.serialize("t", 42L), null, KeyFormat.BINARY);
      assertKey(longs.serialize("t", -1L), null, KeyFormat.BINARY);
    }
    assertKey(new byte[] {(byte) 0xC3, 0x28}, null, KeyFormat.BINARY);
    assertKey(new byte[] {'a', 0x01, 'b'}, null, KeyFormat.BINARY);
  }

  @Test
  void aRecordKeyRegisteredUnderTheRecordNameIsDecodedToo() throws IOException {
    Schema schema =
        SchemaBuilder.record("com.example.ParcelKey").fields().requiredString("id").endRecord();
    int id = registry.register("com.example.ParcelKey", schema).id();
    GenericData.Record key = new GenericData.Record(schema);
    key.put("id", "p-1");
    assertKey(framed(id, schema, key), "{\"id\": \"p-1\"}", KeyFormat.AVRO);
  }

  @Test
  void aLongKeyWhoseBytesNameAValueSchemaOfAnotherTopicIsBinary() throws IOException {
    // an 8-byte long whose bytes 1-4 happen to be the id of an int schema registered elsewhere,
    // and whose last three bytes are a valid int varint: without the key-subject check it read as
    // AVRO with a made-up value
    int id = registry.register("elsewhere-value", Schema.create(Schema.Type.INT)).id();
    long value = ((long) id << 24) | 0x818001L;
    try (LongSerializer longs = new LongSerializer()) {
      byte[] bytes = longs.serialize("t", value);
      assertThat(bytes[0]).isZero();
      assertKey(bytes, null, KeyFormat.BINARY);
      // the same id registered as the topic's key schema is a key
      registry.register("u-key", Schema.create(Schema.Type.INT));
      assertThat(EventReader.key("u", bytes, keys).format()).isEqualTo(KeyFormat.AVRO);
    }
  }

  @Test
  void idsTheRegistryDoesNotKnowAreNotRemembered() throws IOException {
    byte[] unknown = framed(4242, Schema.create(Schema.Type.STRING), "c-1");
    long before = registry.requestCount();
    assertKey(unknown, null, KeyFormat.BINARY);
    assertKey(unknown, null, KeyFormat.BINARY);
    // asked each time (the REST client's negative cache expires; hostile ids grow nothing here)
    assertThat(registry.requestCount() - before).isEqualTo(2);
    // known ids are: a second key of the same schema costs no registry call
    int id = registry.register("t-key", Schema.create(Schema.Type.STRING)).id();
    assertKey(framed(id, Schema.create(Schema.Type.STRING), "a"), "a", KeyFormat.AVRO);
    long known = registry.requestCount();
    assertKey(framed(id, Schema.create(Schema.Type.STRING), "b"), "b", KeyFormat.AVRO);
    assertThat(registry.requestCount()).isEqualTo(known);
  }

  @Test
  void aRegistryThatRefusesForGoodMakesTheKeyBinaryWithoutWaiting() throws IOException {
    AvroKeys refused =
        new AvroKeys(failing(SchemaRegistryException.Kind.UNAUTHORIZED), DecodeLimits.defaults());
    byte[] key = framed(1, Schema.create(Schema.Type.STRING), "c-1");
    assertThat(EventReader.key("t", key, refused).format()).isEqualTo(KeyFormat.BINARY);
  }

  private SchemaRegistry failing(SchemaRegistryException.Kind kind) {
    return (SchemaRegistry)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {SchemaRegistry.class},
            (proxy, method, args) -> {
              throw new SchemaRegistryException(kind, "refused");
            });
  }

  @Test
  void aRegistryOutageOnAFramedKeyIsAnOutageNotABinaryKey() throws IOException {
    AvroKeys unreachable =
        new AvroKeys(failing(SchemaRegistryException.Kind.UNAVAILABLE), DecodeLimits.defaults());
    byte[] key = framed(1, Schema.create(Schema.Type.STRING), "c-1");
    assertThatThrownBy(() -> EventReader.key("t", key, unreachable))
        .isInstanceOf(SchemaRegistryException.class)
        .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
  }

  private void assertKey(byte[] bytes, String text, KeyFormat format) {
    EventReader.Key key = EventReader.key("t", bytes, keys);
    assertThat(key.format()).as("format of %s", java.util.Arrays.toString(bytes)).isEqualTo(format);
    assertThat(key.text()).isEqualTo(text);
  }

  private static byte[] framed(int id, Schema schema, Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<>(schema).write(value, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
