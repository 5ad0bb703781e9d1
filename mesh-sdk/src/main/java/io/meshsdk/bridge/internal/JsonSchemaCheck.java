package io.meshsdk.bridge.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.meshsdk.errors.MeshConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Schema and its validator (networknt's, an optional dependency: this class is loaded only
 * when a bridge reads JSON with a schema). Thread-safe.
 */
final class JsonSchemaCheck {
  private final Schema schema;

  JsonSchemaCheck(String document) {
    try {
      this.schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(document);
      schema.initializeValidators(); // a broken schema fails here, not at the first record
    } catch (RuntimeException e) {
      throw new MeshConfigurationException("cannot read the JSON Schema: " + e.getMessage(), e);
    }
  }

  /**
   * What the value breaks: the place and the keyword of each error, never the value itself (a
   * legacy record may hold personal data, and these messages go into dead letters).
   */
  List<String> validate(JsonNode value) {
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(value)) {
      out.add(e.getInstanceLocation() + " fails '" + e.getKeyword() + "'");
    }
    return out;
  }
}
