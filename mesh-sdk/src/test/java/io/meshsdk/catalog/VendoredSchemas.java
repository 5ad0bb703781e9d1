package io.meshsdk.catalog;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The standards' JSON schemas vendored in {@code src/test/resources/catalog} (see its README). */
final class VendoredSchemas {
  private VendoredSchemas() {}

  static Schema load(String resource, SpecificationVersion dialect) {
    try (InputStream in = VendoredSchemas.class.getResourceAsStream("/catalog/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("no vendored schema " + resource);
      }
      return SchemaRegistry.withDefaultDialect(dialect)
          .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(resource, e);
    }
  }
}
