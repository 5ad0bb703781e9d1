package io.meshsdk.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.config.internal.ConfigKeys;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.InMemorySchemaRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mistakes in the {@code mesh.openlineage.*} keys are problems reported by {@code build()}. */
class OpenLineageConfigurationTest {

  private static List<String> problems(Map<String, String> properties) {
    MeshConfigurationException e =
        catchThrowableOfType(
            MeshConfigurationException.class,
            () ->
                Mesh.builder()
                    .application("config-test")
                    .bootstrapServers("localhost:9092")
                    .schemaRegistry(new InMemorySchemaRegistry())
                    .properties(properties)
                    .build()
                    .close());
    assertThat(e).as("build() should have failed").isNotNull();
    return e.problems();
  }

  @Test
  void anHttpTransportNeedsAUrlAndAKafkaTransportATopic() {
    assertThat(problems(Map.of(MeshBuilder.OPENLINEAGE_TRANSPORT, "http")))
        .containsExactly("mesh.openlineage.url: required when mesh.openlineage.transport is http");
    assertThat(problems(Map.of(MeshBuilder.OPENLINEAGE_TRANSPORT, "kafka")))
        .containsExactly(
            "mesh.openlineage.topic: required when mesh.openlineage.transport is kafka");
  }

  @Test
  void aMalformedUrlIsReportedWithItsCredentialsMasked() {
    List<String> problems =
        problems(
            Map.of(
                MeshBuilder.OPENLINEAGE_TRANSPORT, "http",
                MeshBuilder.OPENLINEAGE_URL, "ftp://user:pa55word@marquez:5000",
                MeshBuilder.OPENLINEAGE_API_KEY, "s3cret-key"));
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .startsWith("mesh.openlineage.url: ")
        .contains("http(s) URL")
        .doesNotContain("pa55word")
        .doesNotContain("s3cret-key");
    assertThat(
            problems(
                Map.of(
                    MeshBuilder.OPENLINEAGE_TRANSPORT, "http",
                    MeshBuilder.OPENLINEAGE_URL, "http://marquez:5000/a b")))
        .singleElement()
        .asString()
        .contains("is not a URL");
  }

  @Test
  void anUnknownTransportNamesTheNearestAndATypoInAKeyTheKeyMeant() {
    assertThat(problems(Map.of(MeshBuilder.OPENLINEAGE_TRANSPORT, "htp")))
        .singleElement()
        .asString()
        .startsWith("mesh.openlineage.transport: 'htp' is not a transport")
        .contains("none, log, http, kafka")
        .endsWith("did you mean http?");
    assertThat(problems(Map.of("mesh.openlineage.urll", "http://marquez:5000")))
        .singleElement()
        .asString()
        .endsWith("did you mean mesh.openlineage.url?");
  }

  @Test
  void keysTheTransportDoesNotReadAndBadNumbersAreProblems() {
    List<String> problems =
        problems(
            Map.of(
                MeshBuilder.OPENLINEAGE_TRANSPORT, "log",
                MeshBuilder.OPENLINEAGE_TOPIC, "lineage",
                MeshBuilder.OPENLINEAGE_API_KEY, "s3cret-key",
                MeshBuilder.OPENLINEAGE_INTERVAL_MS, "0",
                MeshBuilder.OPENLINEAGE_QUEUE_CAPACITY, "many",
                MeshBuilder.OPENLINEAGE_TIMEOUT_MS, "-5"));
    assertThat(problems)
        .anyMatch(p -> p.startsWith("mesh.openlineage.topic: set, but") && p.contains("kafka"))
        .anyMatch(p -> p.startsWith("mesh.openlineage.api.key: set, but") && p.contains("http"))
        .anyMatch(p -> p.startsWith("mesh.openlineage.interval.ms: must be a positive number"))
        .anyMatch(p -> p.startsWith("mesh.openlineage.queue.capacity: 'many'"))
        .anyMatch(p -> p.startsWith("mesh.openlineage.timeout.ms: must be a positive number"))
        .noneMatch(p -> p.contains("s3cret-key"))
        .hasSize(5);
  }

  @Test
  void everyKeyIsKnownToTheBuilderAndTheDefaultsHold() {
    assertThat(ConfigKeys.BUILDER_KEYS)
        .contains(
            MeshBuilder.OPENLINEAGE_TRANSPORT,
            MeshBuilder.OPENLINEAGE_URL,
            MeshBuilder.OPENLINEAGE_ENDPOINT,
            MeshBuilder.OPENLINEAGE_API_KEY,
            MeshBuilder.OPENLINEAGE_TOPIC,
            MeshBuilder.OPENLINEAGE_NAMESPACE,
            MeshBuilder.OPENLINEAGE_INTERVAL_MS,
            MeshBuilder.OPENLINEAGE_QUEUE_CAPACITY,
            MeshBuilder.OPENLINEAGE_TIMEOUT_MS);
    OpenLineageConfig config = new OpenLineageConfig();
    config.apply(MeshBuilder.OPENLINEAGE_TRANSPORT, "http");
    config.apply(MeshBuilder.OPENLINEAGE_URL, "https://user:pw@datahub.example/openapi/");
    config.apply(MeshBuilder.OPENLINEAGE_API_KEY, "s3cret-key");
    OpenLineageSettings s = config.settings();
    assertThat(s.uri()).hasToString("https://user:pw@datahub.example/openapi/api/v1/lineage");
    assertThat(s.interval()).hasSeconds(60);
    assertThat(s.queueCapacity()).isEqualTo(100);
    assertThat(s.timeout()).hasSeconds(5);
    assertThat(s.toString()).doesNotContain("s3cret-key").doesNotContain("pw@");
    assertThat(OpenLineageSettings.none().transport())
        .isEqualTo(OpenLineageSettings.Transport.NONE);
  }
}
