package io.meshsdk.connect;

import org.apache.kafka.connect.data.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A custom mapping of a Connect record's value onto the product, for what field names cannot map: a
 * text line of a file, a column that must be split or renamed. Named by {@code
 * value.converter.mesh.connect.mapping}; created once per converter with its no-argument
 * constructor.
 *
 * <p>Thread-safety: a converter calls it from its task's thread only; it need not be thread-safe
 * unless it shares state.
 *
 * @param <T> the product type
 */
@FunctionalInterface
public interface ConnectMapping<T> {
  /**
   * Maps one value (for Debezium change events: the row, {@code after} or for deletes {@code
   * before}). Throwing makes the record unmappable (so does returning null): dead-lettered by the
   * converter when it has a dead-letter topic, else refused to Connect's error handling.
   *
   * @param topic the topic the record goes to
   * @param schema the value's Connect schema, null for schemaless data
   * @param value the value
   * @return the product value
   * @throws Exception when the value cannot be mapped
   */
  T toProduct(String topic, @Nullable Schema schema, Object value) throws Exception;
}
