package io.meshsdk.catalog.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenLineage's own schemas (vendored unmodified in {@code src/test/resources/catalog/openlineage},
 * see the README there) and Mesh SDK's facet schema (shipped in the jar): validates a run event
 * against {@code OpenLineage.json} and each of its facets against the schema its {@code _schemaURL}
 * names.
 */
final class OpenLineageSchemas {
  private static final SchemaRegistry SCHEMAS = schemas();

  private OpenLineageSchemas() {}

  private static SchemaRegistry schemas() {
    Map<String, String> byIri = new HashMap<>();
    byIri.put(
        "https://openlineage.io/spec/2-0-2/OpenLineage.json",
        read("/catalog/openlineage/OpenLineage.json"));
    for (String[] facet :
        new String[][] {
          {"1-2-0", "SchemaDatasetFacet"},
          {"1-1-0", "DocumentationDatasetFacet"},
          {"1-0-1", "OwnershipDatasetFacet"},
          {"1-0-1", "DatasourceDatasetFacet"},
          {"2-0-4", "JobTypeJobFacet"},
          {"1-0-1", "ErrorMessageRunFacet"},
          {"1-0-0", "InputStatisticsInputDatasetFacet"},
          {"1-0-2", "OutputStatisticsOutputDatasetFacet"},
          {"1-1-0", "DataQualityAssertionsDatasetFacet"}
        }) {
      byIri.put(
          "https://openlineage.io/spec/facets/" + facet[0] + "/" + facet[1] + ".json",
          read("/catalog/openlineage/" + facet[1] + ".json"));
    }
    byIri.put(
        OpenLineageEvents.MESH_FACET_SCHEMA,
        read("/io/meshsdk/catalog/openlineage/MeshDataQualityDatasetFacet.json"));
    return SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12, b -> b.schemas(byIri));
  }

  private static String read(String resource) {
    try (InputStream in = OpenLineageSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no schema " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(resource, e);
    }
  }

  static List<String> errors(JsonNode node, String schemaIri) {
    List<String> messages = new ArrayList<>();
    for (Error e : SCHEMAS.getSchema(SchemaLocation.of(schemaIri)).validate(node)) {
      messages.add(schemaIri + " " + e.getInstanceLocation() + ": " + e.getMessage());
    }
    return messages;
  }

  /**
   * The event against the core schema, and every facet in it (run, job, dataset, input and output
   * facets) against its own schema; a facet without {@code _schemaURL} is an error too.
   *
   * @param event a run event
   * @return every error; empty when it validates
   */
  static List<String> allErrors(JsonNode event) {
    List<String> messages =
        new ArrayList<>(errors(event, "https://openlineage.io/spec/2-0-2/OpenLineage.json"));
    List<JsonNode> facets = new ArrayList<>();
    for (String container : List.of("facets", "inputFacets", "outputFacets")) {
      event.findValues(container).forEach(f -> f.forEach(facets::add));
    }
    if (facets.isEmpty()) {
      messages.add("no facets at all");
    }
    for (JsonNode facet : facets) {
      JsonNode url = facet.get("_schemaURL");
      if (url == null) {
        messages.add("a facet without _schemaURL: " + facet);
      } else {
        messages.addAll(errors(facet, url.asText()));
      }
    }
    return messages;
  }
}
