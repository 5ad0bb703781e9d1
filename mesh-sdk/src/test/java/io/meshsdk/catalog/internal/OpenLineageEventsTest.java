package io.meshsdk.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.catalog.internal.OpenLineageEvents.Dataset;
import io.meshsdk.catalog.internal.OpenLineageEvents.Figures;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.Customer;
import io.meshsdk.fixtures.OrderPlaced;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
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

  private static List<String> allErrors(JsonNode event) {
    return OpenLineageSchemas.allErrors(event);
  }

  private static JsonNode event(OpenLineageEvents.Type type) throws IOException {
    return JSON.readTree(
        OpenLineageEvents.runEvent(
            type,
            UUID.fromString("0190f1f2-0000-7000-8000-000000000001"),
            Instant.parse("2026-11-30T10:15:30Z"),
            "prod",
            "shipping",
            "broker-1:9092,broker-2:9092",
            List.of(
                Dataset.of(ProductContract.of(OrderPlaced.class))
                    .with(
                        new Figures(OptionalLong.of(40), OptionalLong.of(2), OptionalLong.of(3)))),
            List.of(
                Dataset.of(ProductContract.of(Customer.class))
                    .with(
                        new Figures(OptionalLong.of(7), OptionalLong.of(1), OptionalLong.empty())),
                Dataset.of(ProductContract.of(Customer.class))),
            type == OpenLineageEvents.Type.FAIL ? "the broker refused the consumer group" : null));
  }

  @ParameterizedTest
  @EnumSource(OpenLineageEvents.Type.class)
  void everyEventKindValidatesWithItsFacets(OpenLineageEvents.Type type) throws IOException {
    JsonNode event = event(type);
    assertThat(allErrors(event)).as(event.toPrettyString()).isEmpty();
    assertThat(event.get("eventType").asText()).isEqualTo(type.name());
  }

  @Test
  void datasetsAreNamedByTheKafkaNamingSpecAndCarryTheContract() throws IOException {
    JsonNode event = event(OpenLineageEvents.Type.RUNNING);
    JsonNode input = event.at("/inputs/0");
    assertThat(input.get("namespace").asText()).isEqualTo("kafka://broker-1:9092");
    assertThat(input.get("name").asText()).isEqualTo(ProductContract.of(OrderPlaced.class).topic());
    assertThat(input.at("/facets/ownership/owners/0/name").asText()).isEqualTo("team:team-orders");
    assertThat(input.at("/facets/schema/fields").findValuesAsText("name"))
        .contains("orderId", "customerEmail", "items", "sku");
    assertThat(event.at("/job/facets/jobType/processingType").asText()).isEqualTo("STREAMING");
    assertThat(input.at("/inputFacets/inputStatistics/rowCount").asLong()).isEqualTo(40);
    assertThat(input.at("/inputFacets/meshsdk_dataQuality/contractViolations").asLong())
        .isEqualTo(2);
    assertThat(input.at("/inputFacets/meshsdk_dataQuality/deadLetters").asLong()).isEqualTo(3);
    assertThat(input.at("/inputFacets/dataQualityAssertions/assertions").findValuesAsText("actual"))
        .containsExactly("2", "3");
    JsonNode output = event.at("/outputs/0");
    assertThat(output.at("/outputFacets/outputStatistics/rowCount").asLong()).isEqualTo(7);
    assertThat(output.at("/outputFacets/meshsdk_dataQuality/contractViolations").asLong())
        .isEqualTo(1);
    assertThat(event.at("/outputs/1").has("outputFacets")).isFalse(); // nothing known, nothing said
    assertThat(event(OpenLineageEvents.Type.FAIL).at("/run/facets/errorMessage/message").asText())
        .isEqualTo("the broker refused the consumer group");
    assertThat(OpenLineageEvents.datasetNamespace("SASL_SSL://b1.example:9093, b2:9093"))
        .isEqualTo("kafka://b1.example:9093");
  }

  @Test
  void aBrokenEventOrFacetIsCaught() throws IOException {
    ObjectNode event = (ObjectNode) event(OpenLineageEvents.Type.START);
    event.put("eventType", "FINISHED");
    ((ObjectNode) event.get("run")).remove("runId");
    ((ObjectNode) event.at("/job/facets/jobType")).remove("integration");
    assertThat(allErrors(event))
        .anyMatch(e -> e.contains("eventType"))
        .anyMatch(e -> e.contains("runId"))
        .anyMatch(e -> e.contains("JobTypeJobFacet") && e.contains("integration"));
    ObjectNode broken = (ObjectNode) event(OpenLineageEvents.Type.RUNNING);
    ((ObjectNode) broken.at("/inputs/0/inputFacets/meshsdk_dataQuality"))
        .put("contractViolations", -1);
    ((ObjectNode) broken.at("/inputs/0/inputFacets/dataQualityAssertions/assertions/0"))
        .remove("success");
    assertThat(allErrors(broken))
        .anyMatch(
            e -> e.contains("MeshDataQualityDatasetFacet") && e.contains("contractViolations"))
        .anyMatch(e -> e.contains("DataQualityAssertionsDatasetFacet") && e.contains("success"));
  }
}
