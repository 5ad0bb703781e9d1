package io.meshsdk.examples.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.Mesh;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The set-up guide's properties file, read as the guide shows. */
class MeshFromFileTest {
  @TempDir Path dir;

  @Test
  void aMeshComesFromTheFileWithMetersAndTracingFromCode() throws IOException {
    Path file = dir.resolve("mesh.properties");
    Files.writeString(
        file,
        """
        # mesh.properties
        mesh.application=checkout-service
        bootstrap.servers=broker-1:9092,broker-2:9092
        schema.registry.url=mock://setup-guide
        mesh.registration=VERIFY
        compression.type=zstd
        """);
    try (Mesh mesh = MeshFromFile.open(file, new SimpleMeterRegistry(), OpenTelemetry.noop())) {
      assertThat(mesh.application()).isEqualTo("checkout-service");
      assertThat(mesh.schemaRegistry()).isSameAs(InMemorySchemaRegistry.named("setup-guide"));
    }
  }

  @Test
  void everyMistakeOfTheFileIsNamedAtOnce() throws IOException {
    Path file = dir.resolve("mesh.properties");
    Files.writeString(
        file,
        """
        mesh.application=checkout-service
        bootstrap.servers=broker-1
        schema.registry.url=mock://setup-guide
        mesh.registraton=VERIFY
        compression.type=brotli
        """);
    assertThatThrownBy(
            () -> MeshFromFile.open(file, new SimpleMeterRegistry(), OpenTelemetry.noop()))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("did you mean mesh.registration?")
        .hasMessageContaining("bootstrap.servers")
        .hasMessageContaining("compression.type");
  }
}
