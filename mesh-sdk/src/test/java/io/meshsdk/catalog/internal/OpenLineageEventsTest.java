package io.meshsdk.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.meshsdk.catalog.internal.OpenLineageEvents.Type;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.Customer;
import io.meshsdk.fixtures.OrderPlaced;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of run event validates against OpenLineage's own schemas (vendored unmodified in
 * {@code src/test/resources/catalog/openlineage}): the event against {@code OpenLineage.json}, each
 * facet against the facet schema its {@code _schemaURL} names.
 */
class OpenLineageEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry SCHEMAS = schemas();

  private static SchemaRegistry schemas() {
    Map<String, String> byIri = new HashMap<>();
    byIri.put("https://openlineage.io/spec/2-0-2/OpenLineage.json", read("OpenLineage.json"));
    for (String[] facet :
        new String[][] {
          {"1-2-0", "SchemaDatasetFacet"},
          {"1-1-0", "DocumentationDatasetFacet"},
          {"1-0-1", "OwnershipDatasetFacet"},
          {"1-0-1", "DatasourceDatasetFacet"},
          {"2-0-4", "JobTypeJobFacet"},
          {"1-0-1", "ErrorMessageRunFacet"}
        }) {
      byIri.put(
          "https://openlineage.io/spec/facets/" + facet[0] + "/" + facet[1] + ".json",
          read(facet[1] + ".json"));
    }
    return SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12, b -> b.schemas(byIri));
  }

  private static String read(String name) {
    try (InputStream in =
        OpenLineageEventsTest.class.getResourceAsStream("/catalog/openlineage/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(name, e);
    }
  }

  private static List<String> errors(JsonNode node, String schemaIri) {
    List<String> messages = new ArrayList<>();
    for (Error e : SCHEMAS.getSchema(SchemaLocation.of(schemaIri)).validate(node)) {
      messages.add(schemaIri + " " + e.getInstanceLocation() + ": " + e.getMessage());
    }
    return messages;
  }

  /** The event against the core schema, and every facet in it against its own schema. */
  private static List<String> allErrors(JsonNode event) {
    List<String> messages =
        new ArrayList<>(errors(event, "https://openlineage.io/spec/2-0-2/OpenLineage.json"));
    List<JsonNode> facets = new ArrayList<>();
    event.findValues("facets").forEach(f -> f.forEach(facets::add));
    assertThat(facets).isNotEmpty();
    for (JsonNode facet : facets) {
      messages.addAll(errors(facet, facet.get("_schemaURL").asText()));
    }
    return messages;
  }

  private static JsonNode event(Type type) throws IOException {
    return JSON.readTree(
        OpenLineageEvents.runEvent(
            type,
            UUID.fromString("0190f1f2-0000-7000-8000-000000000001"),
            Instant.parse("2026-11-30T10:15:30Z"),
            "prod",
            "shipping",
            "broker-1:9092,broker-2:9092",
            List.of(ProductContract.of(OrderPlaced.class)),
            List.of(ProductContract.of(Customer.class)),
            type == Type.FAIL ? "the broker refused the consumer group" : null));
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void everyEventKindValidatesWithItsFacets(Type type) throws IOException {
    JsonNode event = event(type);
    assertThat(allErrors(event)).as(event.toPrettyString()).isEmpty();
    assertThat(event.get("eventType").asText()).isEqualTo(type.name());
  }

  @Test
  void datasetsAreNamedByTheKafkaNamingSpecAndCarryTheContract() throws IOException {
    JsonNode event = event(Type.RUNNING);
    JsonNode input = event.at("/inputs/0");
    assertThat(input.get("namespace").asText()).isEqualTo("kafka://broker-1:9092");
    assertThat(input.get("name").asText()).isEqualTo(ProductContract.of(OrderPlaced.class).topic());
    assertThat(input.at("/facets/ownership/owners/0/name").asText()).isEqualTo("team:team-orders");
    assertThat(input.at("/facets/schema/fields").findValuesAsText("name"))
        .contains("orderId", "customerEmail", "items", "sku");
    assertThat(event.at("/job/facets/jobType/processingType").asText()).isEqualTo("STREAMING");
    assertThat(event(Type.FAIL).at("/run/facets/errorMessage/message").asText())
        .isEqualTo("the broker refused the consumer group");
    assertThat(OpenLineageEvents.datasetNamespace("SASL_SSL://b1.example:9093, b2:9093"))
        .isEqualTo("kafka://b1.example:9093");
  }

  @Test
  void aBrokenEventOrFacetIsCaught() throws IOException {
    ObjectNode event = (ObjectNode) event(Type.START);
    event.put("eventType", "FINISHED");
    ((ObjectNode) event.get("run")).remove("runId");
    ((ObjectNode) event.at("/job/facets/jobType")).remove("integration");
    assertThat(allErrors(event))
        .anyMatch(e -> e.contains("eventType"))
        .anyMatch(e -> e.contains("runId"))
        .anyMatch(e -> e.contains("JobTypeJobFacet") && e.contains("integration"));
  }
}
