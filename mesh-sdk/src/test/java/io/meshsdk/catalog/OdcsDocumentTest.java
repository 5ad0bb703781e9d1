package io.meshsdk.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SpecificationVersion;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.AllTypes;
import io.meshsdk.fixtures.Customer;
import io.meshsdk.fixtures.OrderPlaced;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ODCS documents validate against the standard's own JSON schema (v3.1.0, vendored unmodified in
 * {@code src/test/resources/catalog}) and say what the contract says.
 */
class OdcsDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema ODCS =
      VendoredSchemas.load("odcs-json-schema-v3.1.0.json", SpecificationVersion.DRAFT_2019_09);

  private static List<String> errors(String document) throws IOException {
    List<String> messages = new ArrayList<>();
    for (Error e : ODCS.validate(JSON.readTree(document))) {
      messages.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return messages;
  }

  @ParameterizedTest
  @ValueSource(classes = {OrderPlaced.class, AllTypes.class, Customer.class})
  void everyDocumentValidatesAgainstTheOdcsSchema(Class<?> product) throws IOException {
    String doc = ContractDocuments.odcs(ProductContract.of(product), "broker-1:9092,broker-2:9092");
    assertThat(errors(doc)).as(doc).isEmpty();
  }

  @Test
  void aDocumentThatBreaksTheStandardIsCaught() throws IOException {
    // the validator is not a formality: a wrong server type and a missing status are reported
    ObjectMapper m = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode doc =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            m.readTree(ContractDocuments.odcs(ProductContract.of(OrderPlaced.class), "b:9092"));
    doc.remove("status");
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("servers").get(0))
        .put("type", "carrier-pigeon");
    assertThat(errors(doc.toString()))
        .anyMatch(e -> e.contains("status"))
        .anyMatch(e -> e.contains("type"));
  }

  @Test
  void theDocumentSaysWhatTheContractSays() throws IOException {
    ProductContract<OrderPlaced> contract = ProductContract.of(OrderPlaced.class);
    JsonNode doc = JSON.readTree(ContractDocuments.odcs(contract, "b:9092"));

    assertThat(doc.get("apiVersion").asText()).isEqualTo("v3.1.0");
    assertThat(doc.get("id").asText()).isEqualTo("orders.order-placed.v2");
    assertThat(doc.get("version").asText()).isEqualTo("2.1");
    assertThat(doc.get("domain").asText()).isEqualTo("orders");
    assertThat(doc.get("status").asText()).isEqualTo("active");
    assertThat(doc.at("/team/members/0/username").asText()).isEqualTo("team-orders");
    assertThat(doc.at("/servers/0/host").asText()).isEqualTo("b:9092");
    assertThat(doc.at("/schema/0/physicalName").asText()).isEqualTo(contract.topic());
    assertThat(doc.at("/slaProperties/0/property").asText()).isEqualTo("latency");
    assertThat(doc.at("/slaProperties/0/value").asLong()).isEqualTo(300);

    JsonNode email = field(doc.at("/schema/0/properties"), "customerEmail");
    assertThat(email.get("classification").asText()).isEqualTo("confidential");
    assertThat(email.get("tags").toString()).contains("pii");
    assertThat(email.at("/logicalTypeOptions/format").asText()).isEqualTo("email");
    assertThat(email.get("description").asText()).isEqualTo("Customer e-mail");

    JsonNode currency = field(doc.at("/schema/0/properties"), "currency");
    assertThat(currency.at("/logicalTypeOptions/minLength").asInt()).isEqualTo(3);
    assertThat(currency.at("/logicalTypeOptions/maxLength").asInt()).isEqualTo(3);
    // NotBlank has no type option: it is a quality rule in words
    assertThat(currency.at("/quality/0/name").asText()).isEqualTo("NotBlank");

    JsonNode orderId = field(doc.at("/schema/0/properties"), "orderId");
    assertThat(orderId.get("primaryKey").asBoolean()).isTrue();
    assertThat(orderId.get("required").asBoolean()).isTrue();
    assertThat(field(doc.at("/schema/0/properties"), "note").get("required").asBoolean()).isFalse();

    JsonNode items = field(doc.at("/schema/0/properties"), "items");
    assertThat(items.get("logicalType").asText()).isEqualTo("array");
    assertThat(items.at("/logicalTypeOptions/minItems").asInt()).isEqualTo(1);
    assertThat(items.at("/items/logicalType").asText()).isEqualTo("object");
    assertThat(items.at("/items/properties")).isNotEmpty();

    assertThat(field(doc.at("/schema/0/properties"), "placedAt").get("logicalType").asText())
        .isEqualTo("timestamp");
    assertThat(field(doc.at("/schema/0/properties"), "amountCents").get("logicalType").asText())
        .isEqualTo("integer");
  }

  private static JsonNode field(JsonNode properties, String name) {
    return StreamSupport.stream(properties.spliterator(), false)
        .filter(p -> p.get("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no property " + name + " in " + properties));
  }
}
