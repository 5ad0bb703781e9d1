package io.meshsdk.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Decimal;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerializer;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The converter without a worker: the mapping rules, headers, lineage, CDC envelopes, sinks. */
class MeshConverterTest {
  enum Channel {
    WEB,
    STORE
  }

  @DataProduct(
      domain = "crm",
      name = "order-placed",
      version = "1.0",
      owner = "team-crm",
      description = "An order, from the CRM database.")
  record Order(
      @Key @Doc("Id") String orderId,
      @Positive @Doc("Cents") long amountCents,
      @Decimal(precision = 10, scale = 2) @Doc("Tax") BigDecimal tax,
      @Doc("When") Instant placedAt,
      @Doc("Channel") Channel channel,
      @Doc("Tags") List<String> tags,
      @Doc("Note") @Nullable String note) {}

  @DataProduct(
      domain = "crm",
      name = "customer",
      version = "1.0",
      owner = "team-crm",
      kind = ProductKind.STATE,
      description = "A customer, the latest row.")
  record Customer(@Key @Doc("Id") String id, @Doc("Name") String name) {}

  private static final Schema ORDER_ROW =
      SchemaBuilder.struct()
          .name("crm.orders.Value")
          .field("orderId", Schema.STRING_SCHEMA)
          .field("amountCents", Schema.INT32_SCHEMA)
          .field("tax", org.apache.kafka.connect.data.Decimal.schema(2))
          .field("placedAt", Timestamp.SCHEMA)
          .field("channel", Schema.STRING_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .field("legacy_column", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  private final String registryName = "connect-" + UUID.randomUUID();
  private final MeshConverter converter = new MeshConverter();

  @AfterEach
  void close() {
    converter.close();
  }

  private MeshConverter configured(Class<?> product, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put("mesh.product.class", product.getName());
    config.put("schema.registry.url", "mock://" + registryName);
    config.put("mesh.application", "crm-connect");
    config.put("converter.type", "value");
    config.putAll(extra);
    converter.configure(config, false);
    return converter;
  }

  private static Struct order(String id, int cents) {
    return new Struct(ORDER_ROW)
        .put("orderId", id)
        .put("amountCents", cents)
        .put("tax", new BigDecimal("1.50"))
        .put("placedAt", new Date(1_700_000_000_123L))
        .put("channel", "WEB")
        .put("tags", List.of("a", "b"))
        .put("legacy_column", "ignored");
  }

  private <T> T decode(Class<T> type, String topic, Headers headers, byte[] bytes) {
    InMemorySchemaRegistry registry = registryOf(topic);
    return MeshDeserializer.of(ProductContract.of(type), registry)
        .deserialize(topic, headers, bytes);
  }

  /** The mock registry the converter built, found through its name. */
  private InMemorySchemaRegistry registryOf(String topic) {
    return InMemorySchemaRegistry.named(registryName);
  }

  @Test
  void aConnectRowBecomesTheProductByFieldNamesWithTheProductsHeaders() {
    configured(Order.class, Map.of());
    Headers headers = new RecordHeaders();
    // copied from another serializer's topic: a schema-id header readers would believe first
    headers.add("apicurio.value.globalId", new byte[] {0, 0, 0, 0, 0, 0, 0, 7});
    byte[] bytes =
        converter.fromConnectData("crm.order-placed.v1", headers, ORDER_ROW, order("o-1", 1250));

    Order o = decode(Order.class, "crm.order-placed.v1", headers, bytes);
    assertThat(o)
        .isEqualTo(
            new Order(
                "o-1",
                1250,
                new BigDecimal("1.50"),
                Instant.ofEpochMilli(1_700_000_000_123L),
                Channel.WEB,
                List.of("a", "b"),
                null));
    assertThat(text(headers, MeshHeaders.TYPE)).isEqualTo("crm.order-placed.v1");
    assertThat(text(headers, MeshHeaders.SOURCE)).isEqualTo("/mesh/crm-connect");
    assertThat(text(headers, MeshHeaders.ID)).hasSize(36);
    assertThat(headers.lastHeader(MeshHeaders.PARENTS)).isNull(); // no position: no parent
    assertThat(headers.lastHeader("apicurio.value.globalId")).isNull();
  }

  @Test
  void theConnectorsSourcePositionBecomesTheParentAndFixesTheEventId() throws Exception {
    configured(Order.class, Map.of());
    SourceRecord record =
        new SourceRecord(
            Map.of("filename", "/data/orders.csv"),
            Map.of("position", 42L),
            "crm.order-placed.v1",
            ORDER_ROW,
            order("o-2", 99));
    AtomicReference<SourceRecord> stamped = new AtomicReference<>();
    MeshSourcePosition<SourceRecord> position = new MeshSourcePosition<>();
    position.configure(Map.of());
    Thread task = new Thread(() -> stamped.set(position.apply(record)), "task-thread-orders-csv-3");
    task.start();
    task.join();
    Headers first = kafkaHeaders(stamped.get());
    Headers second = kafkaHeaders(stamped.get());

    converter.fromConnectData("crm.order-placed.v1", first, ORDER_ROW, record.value());
    converter.fromConnectData("crm.order-placed.v1", second, ORDER_ROW, record.value());

    List<EventRef> parents = Lineage.parseParents(text(first, MeshHeaders.PARENTS));
    assertThat(parents)
        .containsExactly(
            new EventRef(
                "connect.orders-csv",
                "filename=/data/orders.csv@position=42",
                "orders-csv",
                3,
                42));
    // the same position, the same event: a task restarted before its offsets were committed
    // writes copies consumers can drop
    assertThat(text(first, MeshHeaders.ID)).isEqualTo(text(second, MeshHeaders.ID));
    assertThat(first.lastHeader("mesh.connect.offset")).isNull(); // consumed by the converter
  }

  @Test
  void unmappableRecordsAndContractViolationsAreRefusedWithTheirReason() {
    configured(Order.class, Map.of());
    Struct noChannel = order("o-3", 10).put("channel", "FAX");
    assertThatThrownBy(
            () ->
                converter.fromConnectData(
                    "crm.order-placed.v1", new RecordHeaders(), ORDER_ROW, noChannel))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("unmappable")
        .hasMessageContaining("channel");
    assertThatThrownBy(
            () ->
                converter.fromConnectData(
                    "crm.order-placed.v1", new RecordHeaders(), ORDER_ROW, order("o-4", -5)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("contract_violation")
        .hasMessageContaining("amountCents");
    Map<String, Object> missing = Map.of("orderId", "o-5");
    assertThatThrownBy(
            () ->
                converter.fromConnectData(
                    "crm.order-placed.v1", new RecordHeaders(), null, missing))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("amountCents: missing");
  }

  @Test
  void aSinkConnectorReadsProductsIntoStructsAndRefusesWhatItCannotRead() {
    configured(Order.class, Map.of());
    Headers headers = new RecordHeaders();
    byte[] bytes =
        converter.fromConnectData("crm.order-placed.v1", headers, ORDER_ROW, order("o-6", 700));

    SchemaAndValue back = converter.toConnectData("crm.order-placed.v1", headers, bytes);
    Struct s = (Struct) back.value();
    assertThat(s.getString("orderId")).isEqualTo("o-6");
    assertThat(s.getInt64("amountCents")).isEqualTo(700L);
    assertThat(s.get("tax")).isEqualTo(new BigDecimal("1.50"));
    assertThat(s.get("placedAt")).isEqualTo(new Date(1_700_000_000_123L));
    assertThat(s.getString("channel")).isEqualTo("WEB");
    assertThat(s.getArray("tags")).containsExactly("a", "b");
    assertThat(s.get("note")).isNull();
    assertThat(back.schema().field("note").schema().isOptional()).isTrue();

    assertThatThrownBy(
            () ->
                converter.toConnectData(
                    "crm.order-placed.v1",
                    new RecordHeaders(),
                    "not avro".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DataException.class);
    // a record written without the check (by a producer that is not Mesh) breaks the contract
    byte[] broken =
        MeshSerializer.builder(ProductContract.of(Order.class), registryOf("x"))
            .checkContract(false)
            .build()
            .serialize(
                "crm.order-placed.v1",
                new Order(
                    "o-7", -1, BigDecimal.ONE, Instant.EPOCH, Channel.STORE, List.of(), null));
    assertThatThrownBy(
            () -> converter.toConnectData("crm.order-placed.v1", new RecordHeaders(), broken))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("contract_violation");
  }

  private static Struct change(String op, @Nullable Struct before, @Nullable Struct after) {
    return DebeziumTable.change(op, before, after, 77);
  }

  private static Struct customer(int id, String name) {
    return DebeziumTable.row(id, name);
  }

  @Test
  void debeziumChangesBecomeStateUpdatesAndDeletesBecomeTombstones() {
    Map<String, Object> cdc = Map.of(MeshConverter.CDC, "debezium");
    configured(Customer.class, cdc);
    String topic = "crm.customer.v1";
    Headers created = new RecordHeaders();
    byte[] c =
        converter.fromConnectData(
            topic, created, DebeziumTable.ENVELOPE, change("c", null, customer(1, "Ada")));
    Headers updated = new RecordHeaders();
    byte[] u =
        converter.fromConnectData(
            topic,
            updated,
            DebeziumTable.ENVELOPE,
            change("u", customer(1, "Ada"), customer(1, "Ada L.")));
    Headers deleted = new RecordHeaders();
    byte[] d =
        converter.fromConnectData(
            topic, deleted, DebeziumTable.ENVELOPE, change("d", customer(1, "Ada L."), null));

    assertThat(decode(Customer.class, topic, created, c)).isEqualTo(new Customer("1", "Ada"));
    assertThat(decode(Customer.class, topic, updated, u)).isEqualTo(new Customer("1", "Ada L."));
    assertThat(d).isNull(); // the latest row is gone: a tombstone
    assertThat(text(deleted, MeshHeaders.TYPE)).isEqualTo("crm.customer.v1");
    // the database's time of the change is the event's time
    assertThat(text(created, MeshHeaders.TIME))
        .isEqualTo(Instant.ofEpochMilli(DebeziumTable.EPOCH + 77).toString());
    // the key converter writes the product's key from Debezium's key struct
    MeshConverter keys = new MeshConverter();
    keys.configure(
        Map.of(
            "mesh.product.class",
            Customer.class.getName(),
            "schema.registry.url",
            "mock://" + registryName),
        true);
    Schema keySchema = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
    assertThat(keys.fromConnectData(topic, keySchema, new Struct(keySchema).put("id", 1)))
        .isEqualTo("1".getBytes(StandardCharsets.UTF_8));
    keys.close();
  }

  @Test
  void debeziumChangesBecomeOneEventEachAndTombstonesAreRefusedForEvents() {
    @DataProduct(
        domain = "crm",
        name = "customer-changed",
        version = "1.0",
        owner = "team-crm",
        description = "A change to a customer.")
    record CustomerChanged(@Key @Doc("Id") String id, @Doc("Name") String name) {}

    configured(CustomerChanged.class, Map.of(MeshConverter.CDC, "debezium"));
    String topic = "crm.customer-changed.v1";
    Headers deleted = new RecordHeaders();
    byte[] d =
        converter.fromConnectData(
            topic, deleted, DebeziumTable.ENVELOPE, change("d", customer(2, "Bob"), null));
    assertThat(decode(CustomerChanged.class, topic, deleted, d))
        .isEqualTo(new CustomerChanged("2", "Bob"));
    assertThatThrownBy(() -> converter.fromConnectData(topic, new RecordHeaders(), null, null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("tombstones.on.delete=false");
    assertThatThrownBy(
            () ->
                converter.fromConnectData(
                    topic, new RecordHeaders(), DebeziumTable.ROW, customer(3, "Cy")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("not a Debezium change event");
  }

  @Test
  void configurationMistakesAreNamed() {
    assertThatThrownBy(() -> configured(Order.class, Map.of("mesh.connect.mapper", "x")))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("mesh.connect.mapper: unknown");
    assertThatThrownBy(
            () -> configured(Order.class, Map.of(MeshConverter.DEAD_LETTER_TOPIC, "dlq")))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(
            () -> configured(Order.class, Map.of(MeshConverter.MAPPING, "com.example.Missing")))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("com.example.Missing");
    assertThatThrownBy(() -> new MeshConverter().fromConnectData("t", null, "x"))
        .isInstanceOf(IllegalStateException.class);
  }

  private static Headers kafkaHeaders(SourceRecord r) {
    Headers out = new RecordHeaders();
    r.headers()
        .forEach(h -> out.add(h.key(), String.valueOf(h.value()).getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static String text(Headers h, String key) {
    return new String(h.lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
