package io.meshsdk.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium change events through a real Connect worker onto a {@code STATE} and an {@code EVENTS}
 * product, on the embedded broker. No database runs here, so a source connector of this test emits
 * what Debezium's PostgreSQL connector emits for a table (the envelope, the key struct, the LSN as
 * source offset, a tombstone after each delete): the edge mocked is the database and Debezium's
 * reading of it; the worker, the transform and the converter are the real ones.
 */
class ChangeEventsIT {
  @DataProduct(
      domain = "crm",
      name = "customer",
      version = "1.0",
      owner = "team-crm",
      kind = ProductKind.STATE,
      description = "A customer: the latest row of the CRM's customers table.")
  public record Customer(@Key @Doc("Id") String id, @Doc("Name") String name) {}

  @DataProduct(
      domain = "crm",
      name = "customer-changed",
      version = "1.0",
      owner = "team-crm",
      description = "A change to a customer of the CRM.")
  public record CustomerChanged(@Key @Doc("Id") String id, @Doc("Name") String name) {}

  /** The table's history: ids 1..20 created, every 3rd renamed, every 5th deleted. */
  static List<String[]> history() {
    List<String[]> changes = new ArrayList<>();
    for (int id = 1; id <= 20; id++) {
      changes.add(new String[] {"c", Integer.toString(id), "Name " + id});
    }
    for (int id = 3; id <= 20; id += 3) {
      changes.add(new String[] {"u", Integer.toString(id), "Renamed " + id});
    }
    for (int id = 5; id <= 20; id += 5) {
      changes.add(new String[] {"d", Integer.toString(id), null});
    }
    return changes;
  }

  /** Emits {@link #history()} as Debezium does, then nothing. */
  public static final class TableConnector extends SourceConnector {
    private Map<String, String> config = Map.of();

    @Override
    public void start(Map<String, String> props) {
      config = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
      return TableTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
      return List.of(config);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
      return new ConfigDef();
    }

    @Override
    public String version() {
      return "test";
    }
  }

  /** The task of {@link TableConnector}. */
  public static final class TableTask extends SourceTask {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private String topic = "";
    private boolean tombstones;
    private boolean sent;

    @Override
    public void start(Map<String, String> props) {
      topic = props.get("topic");
      tombstones = Boolean.parseBoolean(props.getOrDefault("tombstones.on.delete", "true"));
    }

    @Override
    public @Nullable List<SourceRecord> poll() throws InterruptedException {
      if (sent) {
        stopped.await(100, TimeUnit.MILLISECONDS); // a connector's idle poll, until stopped
        return null;
      }
      sent = true;
      Map<String, String> rows = new HashMap<>();
      List<SourceRecord> out = new ArrayList<>();
      long lsn = 1000;
      for (String[] change : history()) {
        lsn += 8;
        int id = Integer.parseInt(change[1]);
        Struct before =
            rows.containsKey(change[1]) ? DebeziumTable.row(id, rows.get(change[1])) : null;
        Struct after = change[0].equals("d") ? null : DebeziumTable.row(id, change[2]);
        if (change[0].equals("d")) {
          rows.remove(change[1]);
        } else {
          rows.put(change[1], change[2]);
        }
        Struct envelope = DebeziumTable.change(change[0], before, after, lsn);
        Map<String, ?> partition = Map.of("server", "dbserver1");
        Map<String, ?> offset = Map.of("lsn", lsn);
        Struct key = new Struct(DebeziumTable.KEY).put("id", id);
        out.add(
            new SourceRecord(
                partition,
                offset,
                topic,
                null,
                DebeziumTable.KEY,
                key,
                DebeziumTable.ENVELOPE,
                envelope));
        if (change[0].equals("d") && tombstones) {
          out.add(
              new SourceRecord(partition, offset, topic, null, DebeziumTable.KEY, key, null, null));
        }
      }
      return out;
    }

    @Override
    public void stop() {
      stopped.countDown();
    }

    @Override
    public String version() {
      return "test";
    }
  }

  private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
  private final String registry = "cdc-it-" + UUID.randomUUID();
  private final String prefix = "d" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private @Nullable ConnectWorker connect;

  @AfterEach
  void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void changesBecomeTheLatestRowPerKeyAndOneEventPerChange(@TempDir Path dir) throws Exception {
    String state = prefix + ProductContract.of(Customer.class).topic();
    String events = prefix + ProductContract.of(CustomerChanged.class).topic();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(state, 1, (short) 1), new NewTopic(events, 1, (short) 1)))
          .all()
          .get();
    }
    ConnectWorker worker = new ConnectWorker(broker.bootstrapServers(), dir);
    connect = worker;
    worker.put("customers-state", cdc(Customer.class, state, "true"));
    worker.put("customers-events", cdc(CustomerChanged.class, events, "false"));

    List<String[]> history = history();
    long deletes = history.stream().filter(c -> c[0].equals("d")).count();
    // STATE: every change, and for each delete the converter's tombstone and Debezium's
    List<ConsumerRecord<byte[], byte[]>> rows = worker.read(state, history.size() + (int) deletes);
    // EVENTS: one event per change, deletes included, no tombstones
    List<ConsumerRecord<byte[], byte[]>> changes = worker.read(events, history.size());
    assertThat(rows).hasSize(history.size() + (int) deletes);
    assertThat(changes).hasSize(history.size());

    MeshDeserializer<Customer> customers =
        MeshDeserializer.of(
            ProductContract.of(Customer.class), InMemorySchemaRegistry.named(registry));
    Map<String, String> latest = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : rows) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      if (r.value() == null) {
        latest.remove(key);
      } else {
        Customer c = customers.deserialize(state, r.headers(), r.value());
        assertThat(c.id()).isEqualTo(key); // the key is the product's key, from Debezium's key
        latest.put(key, c.name());
      }
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (String[] c : history) {
      if (c[0].equals("d")) {
        expected.remove(c[1]);
      } else {
        expected.put(c[1], c[2]);
      }
    }
    assertThat(latest).isEqualTo(expected).hasSize(16);

    MeshDeserializer<CustomerChanged> changed =
        MeshDeserializer.of(
            ProductContract.of(CustomerChanged.class), InMemorySchemaRegistry.named(registry));
    long lsn = 1000;
    for (int i = 0; i < changes.size(); i++) {
      lsn += 8;
      ConsumerRecord<byte[], byte[]> r = changes.get(i);
      String[] c = history.get(i);
      CustomerChanged e = changed.deserialize(events, r.headers(), r.value());
      assertThat(e.id()).isEqualTo(c[1]);
      // the source position (Debezium's LSN) and the table, as the parent
      EventRef parent = Lineage.parseParents(header(r, MeshHeaders.PARENTS)).get(0);
      assertThat(parent.type()).isEqualTo("cdc.postgresql.inventory.customers");
      assertThat(parent.id()).isEqualTo("server=dbserver1@lsn=" + lsn);
      assertThat(parent.offset()).isEqualTo(lsn);
      // the database's time of the change
      assertThat(header(r, MeshHeaders.TIME))
          .isEqualTo(
              new String(
                  io.meshsdk.lineage.internal.Rfc3339.format(
                      java.time.Instant.ofEpochMilli(DebeziumTable.EPOCH + lsn)),
                  StandardCharsets.UTF_8));
    }
  }

  private Map<String, String> cdc(Class<?> product, String topic, String tombstones) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", TableConnector.class.getName());
    c.put("tasks.max", "1");
    c.put("topic", topic);
    c.put("tombstones.on.delete", tombstones);
    c.put("key.converter", MeshConverter.class.getName());
    c.put("key.converter.mesh.product.class", product.getName());
    c.put("key.converter.schema.registry.url", "mock://" + registry);
    c.put("value.converter", MeshConverter.class.getName());
    c.put("value.converter.mesh.product.class", product.getName());
    c.put("value.converter.schema.registry.url", "mock://" + registry);
    c.put("value.converter.mesh.connect.cdc", "debezium");
    c.put("transforms", "position");
    c.put("transforms.position.type", MeshSourcePosition.class.getName());
    return c;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
