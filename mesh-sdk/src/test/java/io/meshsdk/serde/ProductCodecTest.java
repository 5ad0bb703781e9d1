package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DefaultValue;
import io.meshsdk.contract.EnumDefault;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductDescriptor;
import io.meshsdk.fixtures.AllTypes;
import io.meshsdk.fixtures.Customer;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.fixtures.Samples;
import io.meshsdk.fixtures.avro.OrderPlacedAvro;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ProductCodecTest {
  private final ProductCodec<OrderPlaced> orders =
      ProductCodec.of(ProductContract.of(OrderPlaced.class));
  private final ProductCodec<AllTypes> allTypes =
      ProductCodec.of(ProductContract.of(AllTypes.class));

  @Test
  void roundTripsARecord() {
    OrderPlaced order = Samples.order();
    assertThat(orders.decode(orders.encode(order))).isEqualTo(order);
  }

  @Test
  void roundTripsEverySupportedType() {
    AllTypes value = Samples.allTypes();
    assertThat(allTypes.decode(allTypes.encode(value))).usingRecursiveComparison().isEqualTo(value);
  }

  @Test
  void roundTripsPlainClasses() {
    ProductCodec<Customer> codec = ProductCodec.of(ProductContract.of(Customer.class));
    Customer c = new Customer();
    c.setCustomerId("c-1");
    c.setFullName("Ada");
    c.setPoints(7);
    assertThat(codec.decode(codec.encode(c))).usingRecursiveComparison().isEqualTo(c);
  }

  @Test
  void writesWhatAvrosGenericReaderReadsAndAvroWritesWhatTheCodecReads() throws IOException {
    OrderPlaced order = Samples.order();
    byte[] ours = orders.encode(order);

    GenericRecord generic = readGeneric(orders.schema(), ours);
    assertThat(generic.get("orderId").toString()).isEqualTo("o-1");
    assertThat(generic.get("amountCents")).isEqualTo(12_345L);
    assertThat(generic.get("placedAt")).isEqualTo(order.placedAt().toEpochMilli());
    assertThat(((List<?>) generic.get("items"))).hasSize(3);
    assertThat(generic.get("shipping").toString()).isEqualTo("EXPRESS");
    assertThat(generic.get("note")).isNull();

    byte[] avros = writeGeneric(orders.schema(), generic);
    assertThat(avros).isEqualTo(ours);
    assertThat(orders.decode(avros)).isEqualTo(order);
  }

  @Test
  void generatedClassesUseAvrosSpecificCodecWithTrust() {
    ProductContract<OrderPlacedAvro> contract =
        ProductContract.of(
            OrderPlacedAvro.class,
            ProductDescriptor.builder("orders", "order-placed", "1.0")
                .owner("o")
                .description("d")
                .field("customerEmail", f -> f.pii(PiiLevel.PERSONAL))
                .build());
    ProductCodec<OrderPlacedAvro> codec = ProductCodec.of(contract);
    OrderPlacedAvro value = new OrderPlacedAvro("o-1", "a@b.c", 5L, "EUR", "note");

    assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
  }

  // ---- schema resolution --------------------------------------------------------------

  @DataProduct(domain = "t", name = "evolving", version = "1.0", owner = "o", description = "d")
  record V1(String id, int count, String removed, Color color, String text) {}

  @DataProduct(domain = "t", name = "evolving", version = "1.1", owner = "o", description = "d")
  record V2(
      String id,
      long count,
      @DefaultValue("fresh") String added,
      Color2 color,
      byte[] text,
      @Nullable String note) {}

  enum Color {
    RED,
    GREEN,
    BLUE
  }

  enum Color2 {
    RED,
    GREEN,
    @EnumDefault
    OTHER
  }

  @Test
  void resolvesFromAnOlderWriterSchema() {
    ProductCodec<V1> v1 = ProductCodec.of(ProductContract.of(V1.class));
    ProductCodec<V2> v2 = ProductCodec.of(ProductContract.of(V2.class));
    byte[] old = v1.encode(new V1("a", 7, "gone", Color.BLUE, "hi"));

    V2 read = v2.decode(old, v1.schema());

    assertThat(read.id()).isEqualTo("a");
    assertThat(read.count()).isEqualTo(7L); // int promoted to long
    assertThat(read.added()).isEqualTo("fresh"); // default of an added field
    assertThat(read.color())
        .isEqualTo(Color2.OTHER); // unknown symbol falls back to the enum default
    assertThat(read.text())
        .isEqualTo("hi".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // string -> bytes
    assertThat(read.note()).isNull();
  }

  @DataProduct(domain = "t", name = "evolving", version = "1.0", owner = "o", description = "d")
  record Strict(String id, int count, String mustExist) {}

  @Test
  void refusesAnIncompatibleWriterSchemaWithReasons() {
    ProductCodec<V2> v2 = ProductCodec.of(ProductContract.of(V2.class));
    ProductCodec<Strict> strict = ProductCodec.of(ProductContract.of(Strict.class));
    byte[] data = v2.encode(new V2("a", 1L, "x", Color2.RED, new byte[0], null));

    assertThatThrownBy(() -> strict.decode(data, v2.schema()))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_WRITER_SCHEMA))
        .hasMessageContaining("mustExist");
  }

  @Test
  void refusesTrailingBytes() {
    byte[] body = orders.encode(Samples.order());
    byte[] longer = java.util.Arrays.copyOf(body, body.length + 2);
    assertThatThrownBy(() -> orders.decode(longer))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TRAILING_BYTES));
  }

  @Test
  void refusesNullInANonNullableFieldWhenEncoding() {
    OrderPlaced o = Samples.order();
    OrderPlaced bad =
        new OrderPlaced(
            null, o.customerEmail(), 1, "EUR", 1, o.placedAt(), o.items(), o.shipping(), null);
    assertThatThrownBy(() -> orders.encode(bad))
        .isInstanceOf(MeshSerializationException.class)
        .hasMessageContaining("OrderPlaced.orderId is null");
  }

  @Test
  void encodesToAnyAvroEncoder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    orders.encode(Samples.order(), encoder);
    encoder.flush();
    assertThat(out.toByteArray()).isEqualTo(orders.encode(Samples.order()));
  }

  static GenericRecord readGeneric(Schema schema, byte[] bytes) throws IOException {
    GenericDatumReader<GenericRecord> reader =
        new GenericDatumReader<>(schema, schema, new GenericData());
    return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  static byte[] writeGeneric(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  static ByteBuffer unused() {
    return ByteBuffer.allocate(0);
  }
}
