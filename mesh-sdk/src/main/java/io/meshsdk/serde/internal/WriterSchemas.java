package io.meshsdk.serde.internal;

import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.serde.SchemaIdLocation;
import org.apache.avro.Schema;

/** The writer schema a located schema id names, asked of the registry by the id's kind. */
public final class WriterSchemas {
  private WriterSchemas() {}

  /**
   * The registry's schema for an id found by {@code WireFormat.locate}.
   *
   * @throws io.meshsdk.registry.SchemaRegistryException as the registry answers
   */
  public static Schema of(SchemaRegistry registry, SchemaIdLocation where) {
    return switch (where.source()) {
      case CONFLUENT_PREFIX, CONFLUENT_HEADER -> registry.schemaById(where.intId());
      case CONFLUENT_HEADER_GUID -> registry.schemaByGuid(where.guid().orElseThrow());
      case APICURIO_CONTENT_ID_HEADER -> registry.schemaByContentId(where.id());
      default -> registry.schemaByGlobalId(where.id());
    };
  }
}
