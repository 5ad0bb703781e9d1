package io.meshsdk.it;

import static io.meshsdk.testkit.MeshAssertions.assertThat;

import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshExtension;
import io.meshsdk.testkit.TestMesh;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * External mode, as a team would point it at its CI cluster: here the "external" cluster is the
 * shared embedded broker reached only through its address, and the registry is the real Apicurio
 * registry through the Confluent REST API.
 */
class TestMeshExternalIT {
  @RegisterExtension
  static final MeshExtension MESH =
      MeshExtension.builder()
          .mode(BrokerMode.EXTERNAL)
          .bootstrapServers(Broker.shared().bootstrapServers())
          .schemaRegistryUrl(ApicurioRegistry.shared().url())
          .application("external-it")
          .timeout(java.time.Duration.ofSeconds(30))
          .build();

  @DataProduct(
      domain = "kit",
      name = "crate-packed",
      version = "1.0",
      owner = "team-kit",
      description = "A crate was packed.")
  record CratePacked(@Key @Doc("Crate id") String crateId, @Doc("Items") int items) {}

  @Test
  void roundTripsThroughAnExistingClusterAndARestRegistry(TestMesh mesh) {
    assertThat(mesh.mode()).isEqualTo(BrokerMode.EXTERNAL);
    assertThat(mesh.schemaRegistry().toString()).startsWith("RestSchemaRegistry[http");
    assertThat(mesh.topicPrefix()).startsWith("mt-");
    List<Integer> seen = new CopyOnWriteArrayList<>();
    mesh.consumer(CratePacked.class)
        .group("packing")
        .startFrom(StartPosition.earliest())
        .handle(e -> seen.add(e.value().items()))
        .start();

    int schemaId =
        mesh.producer(CratePacked.class).send(new CratePacked("c-1", 12)).join().schemaId();

    assertThat(mesh.published(CratePacked.class))
        .hasSize(1)
        .first()
        .hasKey("c-1")
        .hasValue(new CratePacked("c-1", 12));
    assertThat(mesh.published(CratePacked.class).now().get(0).schemaId()).isEqualTo(schemaId);
    assertThat(mesh.schemaRegistry().subjects())
        .contains(mesh.topicOf(CratePacked.class) + "-value");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(seen).containsExactly(12));
  }
}
