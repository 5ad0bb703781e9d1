package io.meshsdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.Mesh;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.governance.GovernanceException;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.IncompatibleSchemaException;
import io.meshsdk.runtime.ProvisioningMode;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * What a producer checks when it is created, before any Kafka client exists: governance and schema
 * registration. (No broker is needed: provisioning is off and registration comes first.)
 */
class ProducerCreationTest {
  @DataProduct(
      domain = "billing",
      name = "invoice-issued",
      version = "1.0",
      owner = "team-billing",
      description = "An invoice.")
  record InvoiceIssued(@Key @Doc("Id") String id, @Doc("Cents") long cents) {}

  @DataProduct(domain = "Billing", name = "x", version = "1.0", owner = "", description = "")
  record Ungoverned(@Key @Doc("Id") String id) {}

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  private Mesh mesh() {
    return Mesh.builder()
        .application("billing")
        .bootstrapServers("127.0.0.1:1")
        .schemaRegistry(registry)
        .provisioning(ProvisioningMode.NONE)
        .build();
  }

  @Test
  void anIncompatibleSchemaFailsAtCreationWithTheRegistrysReasons() {
    registry.register(
        "billing.invoice-issued.v1-value",
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"InvoiceIssued\",\"fields\":[{\"name\":\"other\",\"type\":\"string\"}]}"));
    try (Mesh mesh = mesh()) {
      assertThatThrownBy(() -> mesh.producer(InvoiceIssued.class))
          .isInstanceOfSatisfying(
              IncompatibleSchemaException.class, e -> assertThat(e.reasons()).isNotEmpty())
          .hasMessageContaining("billing.invoice-issued.v1-value")
          .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE");
    }
  }

  @Test
  void governanceIsEnforcedAtCreation() {
    try (Mesh mesh = mesh()) {
      assertThatThrownBy(() -> mesh.producer(Ungoverned.class))
          .isInstanceOf(GovernanceException.class)
          .hasMessageContaining("[naming]")
          .hasMessageContaining("[owner]");
      assertThat(registry.subjects()).isEmpty();
    }
  }
}
