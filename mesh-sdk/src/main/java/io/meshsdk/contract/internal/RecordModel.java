package io.meshsdk.contract.internal;

import java.util.List;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A product class (or a nested record type) read once: its properties in schema order and how to
 * create an instance from decoded values.
 */
public final class RecordModel {
  private final Class<?> type;
  private final @Nullable String doc;
  private List<PropertyModel> properties = List.of();
  private @Nullable Instantiator instantiator;
  private @Nullable Schema schema;

  RecordModel(Class<?> type, @Nullable String doc) {
    this.type = type;
    this.doc = doc;
  }

  /** The Java class. */
  public Class<?> type() {
    return type;
  }

  /** The type's documentation, or null. */
  public @Nullable String doc() {
    return doc;
  }

  /** The properties in schema order. */
  public List<PropertyModel> properties() {
    return properties;
  }

  /** Creates instances from decoded values in property order. */
  public Instantiator instantiator() {
    if (instantiator == null) {
      throw new IllegalStateException("model of " + type.getName() + " is incomplete");
    }
    return instantiator;
  }

  /** The Avro record schema of this type. */
  public Schema schema() {
    if (schema == null) {
      throw new IllegalStateException("schema of " + type.getName() + " not derived yet");
    }
    return schema;
  }

  void complete(List<PropertyModel> properties, @Nullable Instantiator instantiator) {
    this.properties = List.copyOf(properties);
    this.instantiator = instantiator;
  }

  void schema(Schema schema) {
    this.schema = schema;
  }
}
