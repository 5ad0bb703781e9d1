package io.meshsdk.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.apache.avro.Schema.Parser;
import org.junit.jupiter.api.Test;

/**
 * AsyncAPI documents validate against the specification's own JSON schema (3.0.0, vendored
 * unmodified in {@code src/test/resources/catalog}) and describe what the application sends and
 * receives, as Mesh writes it.
 */
class AsyncApiDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema ASYNCAPI =
      VendoredSchemas.load("asyncapi-3.0.0-without-$id.json", SpecificationVersion.DRAFT_7);

  private static List<String> errors(String document) throws IOException {
    List<String> messages = new ArrayList<>();
    for (Error e : ASYNCAPI.validate(JSON.readTree(document))) {
      messages.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return messages;
  }

  private static String document() {
    return ContractDocuments.asyncApi(
        "shipping",
        "1.4.0",
        "broker-1:9092",
        List.of(ProductContract.of(Customer.class), ProductContract.of(AllTypes.class)),
        List.of(ProductContract.of(OrderPlaced.class), ProductContract.of(Customer.class)));
  }

  @Test
  void theDocumentValidatesAgainstTheAsyncApiSchema() throws IOException {
    String doc = document();
    assertThat(errors(doc)).as(doc).isEmpty();
  }

  @Test
  void aDocumentThatBreaksTheSpecificationIsCaught() throws IOException {
    ObjectNode doc = (ObjectNode) JSON.readTree(document());
    ((ObjectNode) doc.get("operations").elements().next()).put("action", "publish"); // AsyncAPI 2
    ((ObjectNode) doc.get("servers").get("kafka")).remove("protocol");
    ((ObjectNode) doc.at("/components/messages/orders.order-placed.v2/bindings/kafka"))
        .put("schemaIdLocation", "somewhere");
    assertThat(errors(doc.toString()))
        .anyMatch(e -> e.contains("action"))
        .anyMatch(e -> e.contains("protocol"))
        .anyMatch(e -> e.contains("schemaIdLocation"));
  }

  @Test
  void channelsOperationsAndMessagesSayHowMeshWrites() throws IOException {
    JsonNode doc = JSON.readTree(document());
    ProductContract<OrderPlaced> orders = ProductContract.of(OrderPlaced.class);
    String id = "orders.order-placed.v2";

    assertThat(doc.at("/info/title").asText()).isEqualTo("shipping");
    assertThat(doc.at("/servers/kafka/host").asText()).isEqualTo("broker-1:9092");
    assertThat(doc.at("/channels/" + id + "/address").asText()).isEqualTo(orders.topic());
    assertThat(doc.at("/operations/receive." + id + "/action").asText()).isEqualTo("receive");
    assertThat(doc.at("/operations/receive." + id + "/channel/$ref").asText())
        .isEqualTo("#/channels/" + id);
    // a product both sent and received has one channel and two operations
    assertThat(doc.get("channels").size()).isEqualTo(3);
    assertThat(doc.get("operations").size()).isEqualTo(4);

    JsonNode message = doc.at("/components/messages/" + id);
    assertThat(message.at("/bindings/kafka/schemaIdLocation").asText()).isEqualTo("payload");
    assertThat(message.at("/bindings/kafka/schemaIdPayloadEncoding").asText())
        .isEqualTo("confluent");
    assertThat(message.at("/headers/properties/ce_type/const").asText())
        .isEqualTo(orders.eventType());
    assertThat(message.at("/payload/schemaFormat").asText())
        .startsWith("application/vnd.apache.avro");
    // the payload is the product's schema itself
    assertThat(new Parser().parse(message.at("/payload/schema").toString()))
        .isEqualTo(orders.schema());
  }
}
