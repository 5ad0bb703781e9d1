package io.meshsdk.connect;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.jspecify.annotations.Nullable;

/**
 * What Debezium's PostgreSQL connector emits for the table {@code inventory.customers}: the row,
 * key, source block and envelope schemas, and change events of them. A stand-in for the database
 * (none runs here); the shapes are Debezium's.
 */
final class DebeziumTable {
  static final Schema ROW =
      SchemaBuilder.struct()
          .name("dbserver1.inventory.customers.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .build();
  static final Schema KEY =
      SchemaBuilder.struct()
          .name("dbserver1.inventory.customers.Key")
          .field("id", Schema.INT32_SCHEMA)
          .build();
  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("connector", Schema.STRING_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("lsn", Schema.INT64_SCHEMA)
          .build();
  static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("dbserver1.inventory.customers.Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .build();

  /** The database's time of a change at {@code lsn}. */
  static final long EPOCH = 1_700_000_000_000L;

  private DebeziumTable() {}

  static Struct row(int id, String name) {
    return new Struct(ROW).put("id", id).put("name", name);
  }

  /** A change event: {@code op} with the row before and after, at a log position. */
  static Struct change(String op, @Nullable Struct before, @Nullable Struct after, long lsn) {
    return new Struct(ENVELOPE)
        .put("before", before)
        .put("after", after)
        .put(
            "source",
            new Struct(SOURCE)
                .put("connector", "postgresql")
                .put("db", "inventory")
                .put("table", "customers")
                .put("ts_ms", EPOCH + lsn)
                .put("lsn", lsn))
        .put("op", op)
        .put("ts_ms", EPOCH + lsn + 5);
  }
}
