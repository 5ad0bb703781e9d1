package io.meshsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.InMemorySchemaRegistry;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MeshBuilderTest {

  @Test
  void listsEveryMissingSetting() {
    MeshConfigurationException e =
        catchThrowableOfType(MeshConfigurationException.class, () -> Mesh.builder().build());
    assertThat(e.problems())
        .containsExactly(
            "mesh.application: an application id is required",
            "bootstrap.servers: required",
            "schema.registry.url: a schema registry is required");
  }

  @Test
  void refusesKafkaKeysTheSdkOwns() {
    assertThatThrownBy(() -> Mesh.builder().kafkaProperty("value.serializer", "x"))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("'value.serializer' is set by Mesh SDK")
        .hasMessageContaining("serializes products itself");
    assertThatThrownBy(() -> Mesh.builder().kafkaProperty("group.id", "x"))
        .hasMessageContaining(".group(");
    assertThatThrownBy(() -> Mesh.builder().kafkaProperty("enable.auto.commit", true))
        .isInstanceOf(MeshConfigurationException.class);
  }

  @Test
  void buildsFromPropertiesWithANamedInMemoryRegistry() {
    Properties p = new Properties();
    p.setProperty("mesh.application", "checkout");
    p.setProperty("bootstrap.servers", "127.0.0.1:1");
    p.setProperty("schema.registry.url", "mock://props-test");
    p.setProperty("mesh.provisioning", "none");
    p.setProperty("linger.ms", "20");
    try (Mesh a = Mesh.fromProperties(p);
        Mesh b = Mesh.fromProperties(p)) {
      assertThat(a.application()).isEqualTo("checkout");
      assertThat(a.schemaRegistry())
          .isInstanceOf(InMemorySchemaRegistry.class)
          .isSameAs(b.schemaRegistry());
    }
  }

  @Test
  void reportsBadPropertiesTogether() {
    MeshConfigurationException e =
        catchThrowableOfType(
            MeshConfigurationException.class,
            () ->
                Mesh.fromMap(
                    Map.of(
                        "mesh.application", "bad name",
                        "bootstrap.servers", "127.0.0.1:1",
                        "schema.registry.url", "ftp://registry:8081",
                        "mesh.registration", "sometimes",
                        "key.serializer", "x")));
    assertThat(e.problems()).hasSize(4);
    assertThat(e.getMessage())
        .contains("mesh.registration: 'sometimes' is not one of [AUTO_REGISTER, VERIFY]")
        .contains(
            "schema.registry.url: registry URL 'ftp://registry:8081' must start with http:// or"
                + " https://")
        .contains("key.serializer")
        .contains("'bad name' may use only letters");
  }

  @Test
  void buildsARestRegistryClientFromConfluentStyleKeys() {
    try (Mesh mesh =
        Mesh.fromMap(
            Map.of(
                "mesh.application", "checkout",
                "bootstrap.servers", "127.0.0.1:1",
                "schema.registry.url", "http://127.0.0.1:1, http://127.0.0.1:2",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:s3cret"))) {
      assertThat(mesh.schemaRegistry().toString())
          .contains("http://127.0.0.1:1", "http://127.0.0.1:2", "basic auth")
          .doesNotContain("s3cret");
    }
  }

  @Test
  void closedMeshRefusesNewClients() {
    Mesh mesh =
        Mesh.builder()
            .application("a")
            .bootstrapServers("127.0.0.1:1")
            .schemaRegistry(new InMemorySchemaRegistry())
            .build();
    mesh.close();
    mesh.close();
    assertThatThrownBy(() -> mesh.consumer(io.meshsdk.fixtures.OrderPlaced.class))
        .isInstanceOf(IllegalStateException.class);
  }
}
