package io.meshsdk.connect.internal;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.jspecify.annotations.Nullable;

/**
 * Debezium's change-event envelope: {@code op} ({@code c} create, {@code r} snapshot read, {@code
 * u} update, {@code d} delete), the row {@code before} and {@code after}, the {@code source} block
 * (connector, database, table, time) and {@code ts_ms}.
 *
 * @param op the operation
 * @param row the row the product is made from: {@code after}, or {@code before} for a delete
 * @param timeMs when the change happened in the database ({@code source.ts_ms}, else {@code ts_ms})
 * @param type the parent type it names: {@code cdc.{connector}.{db}.{table}}
 */
public record Envelope(String op, Object row, @Nullable Long timeMs, String type) {

  /** Whether the change deleted the row. */
  public boolean isDelete() {
    return op.equals("d");
  }

  /**
   * Reads the envelope of a change event.
   *
   * @throws DataException when the value is not one, or carries no row (truncate, message)
   */
  public static Envelope read(Object value) {
    if (!ConnectValues.hasField(value, "op")) {
      throw new DataException(
          "not a Debezium change event (no 'op'); mesh.connect.cdc=debezium expects the envelope,"
              + " not an unwrapped row (drop ExtractNewRecordState, or the setting)");
    }
    Object op = ConnectValues.field(value, "op");
    String o = op == null ? "" : op.toString();
    Object row =
        switch (o) {
          case "c", "r", "u" -> ConnectValues.field(value, "after");
          case "d" -> ConnectValues.field(value, "before");
          default ->
              throw new DataException(
                  "a Debezium '" + o + "' event carries no row to make a product of");
        };
    if (row == null) {
      throw new DataException(
          "a Debezium '"
              + o
              + "' event without its row"
              + (o.equals("d")
                  ? " (REPLICA IDENTITY FULL, or the key columns, give deletes one)"
                  : ""));
    }
    Object source = ConnectValues.field(value, "source");
    Long time = null;
    String connector = "debezium";
    String db = null;
    String table = null;
    if (source instanceof Struct || source instanceof java.util.Map<?, ?>) {
      time = millis(ConnectValues.field(source, "ts_ms"));
      connector = text(ConnectValues.field(source, "connector"), connector);
      db = text(ConnectValues.field(source, "db"), null);
      table = text(ConnectValues.field(source, "table"), null);
    }
    if (time == null) {
      time = millis(ConnectValues.field(value, "ts_ms"));
    }
    StringBuilder type = new StringBuilder("cdc.").append(connector);
    if (db != null) {
      type.append('.').append(db);
    }
    if (table != null) {
      type.append('.').append(table);
    }
    return new Envelope(o, row, time, Positions.clean(type.toString()));
  }

  private static @Nullable Long millis(@Nullable Object v) {
    return v instanceof Number n ? n.longValue() : null;
  }

  private static @Nullable String text(@Nullable Object v, @Nullable String otherwise) {
    return v == null || v.toString().isBlank() ? otherwise : v.toString();
  }
}
