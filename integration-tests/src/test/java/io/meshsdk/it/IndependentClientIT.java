package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Wire compatibility with clients that are not ours: Node.js with {@code
 * @kafkajs/confluent-schema-registry} 3.9.0 ({@code avsc}) against the same registry server, and
 * kafkajs 2.2.4 consuming through the broker with its default settings.
 */
class IndependentClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_CHECK =
      Path.of("..", "tools", "node-check").toAbsolutePath().normalize();

  enum Level {
    LOW,
    HIGH
  }

  @DataProduct(
      domain = "wire",
      name = "meter-reading",
      version = "1.0",
      owner = "team-grid",
      description = "A reading.")
  record Reading(
      @Key @Doc("Id") String id,
      @Doc("Watts") long watts,
      @Doc("Count") int count,
      @Doc("Ratio") double ratio,
      @Doc("Ok") boolean ok,
      @Doc("Level") Level level,
      @Doc("Note") @Nullable String note,
      @Doc("Tags") List<String> tags) {}

  @Test
  void anIndependentClientReadsWhatTheSdkWritesAndTheSdkReadsWhatItWrites() throws Exception {
    String url = ApicurioRegistry.shared().url();
    SchemaRegistry registry = RestSchemaRegistry.builder(url).build();
    ProductContract<Reading> contract = ProductContract.of(Reading.class);
    MeshSerializer<Reading> serializer = MeshSerializer.of(contract, registry);
    Reading first =
        new Reading(
            "r-1", 9_007_199_254L, 3, 0.25, true, Level.HIGH, "checked é", List.of("a", "b"));
    Reading second = new Reading("r-2", -5, 0, -1.5, false, Level.LOW, null, List.of());
    byte[] one = serializer.serialize(contract.topic(), first);
    byte[] two = serializer.serialize(contract.topic(), second);

    ObjectNode request = JSON.createObjectNode();
    request
        .putArray("decode")
        .add(Base64.getEncoder().encodeToString(one))
        .add(Base64.getEncoder().encodeToString(two));
    ObjectNode encode = request.putObject("encode");
    encode.put("schemaId", serializer.schemaId(contract.topic()));
    ObjectNode value = encode.putArray("values").addObject();
    value
        .put("id", "n-1")
        .put("watts", 42L)
        .put("count", 7)
        .put("ratio", 0.5)
        .put("ok", true)
        .put("level", "LOW")
        .put("note", "from node");
    value.putArray("tags").add("x");

    JsonNode answer = runNode(url, request);

    JsonNode decoded = answer.path("decoded");
    assertThat(decoded.get(0).path("id").asText()).isEqualTo("r-1");
    assertThat(decoded.get(0).path("watts").asLong()).isEqualTo(9_007_199_254L);
    assertThat(decoded.get(0).path("count").asInt()).isEqualTo(3);
    assertThat(decoded.get(0).path("ratio").asDouble()).isEqualTo(0.25);
    assertThat(decoded.get(0).path("ok").asBoolean()).isTrue();
    assertThat(decoded.get(0).path("level").asText()).isEqualTo("HIGH");
    assertThat(decoded.get(0).path("note").asText()).isEqualTo("checked é");
    assertThat(decoded.get(0).path("tags")).extracting(JsonNode::asText).containsExactly("a", "b");
    assertThat(decoded.get(1).path("note").isNull()).isTrue();
    assertThat(decoded.get(1).path("watts").asLong()).isEqualTo(-5);

    byte[] fromNode = Base64.getDecoder().decode(answer.path("encoded").get(0).asText());
    MeshDeserializer<Reading> deserializer =
        MeshDeserializer.of(contract, RestSchemaRegistry.builder(url).build());
    assertThat(deserializer.deserialize(contract.topic(), fromNode))
        .isEqualTo(new Reading("n-1", 42, 7, 0.5, true, Level.LOW, "from node", List.of("x")));
  }

  /**
   * kafkajs, the usual Kafka client of Node.js, with its default settings: it reads gzip but not
   * lz4, snappy or zstd without extra codec packages, so the producer's default compression decides
   * whether it can read a product at all.
   */
  @Test
  void kafkajsWithItsDefaultSettingsReadsWhatAMeshProducerWroteThroughTheBroker() throws Exception {
    String url = ApicurioRegistry.shared().url();
    try (io.meshsdk.Mesh mesh =
        io.meshsdk.Mesh.fromMap(
            java.util.Map.of(
                "mesh.application",
                "grid",
                "bootstrap.servers",
                Broker.shared().bootstrapServers(),
                "schema.registry.url",
                url,
                "mesh.topic.prefix",
                "k" + System.nanoTime() % 100_000 + "."))) {
      var producer = mesh.producer(Reading.class); // the defaults, compression included
      List<Reading> sent =
          List.of(
              new Reading("r-1", 1, 1, 0.5, true, Level.HIGH, "é", List.of("a")),
              new Reading("r-2", 2, 2, 1.5, false, Level.LOW, null, List.of()),
              new Reading("r-3", 3, 3, 2.5, true, Level.LOW, "z", List.of("b", "c")));
      List<String> ids = new java.util.ArrayList<>();
      for (Reading r : sent) {
        ids.add(producer.send(r).get(30, TimeUnit.SECONDS).eventId());
      }

      JsonNode records =
          runNode(
                  List.of(
                      url, "consume", Broker.shared().bootstrapServers(), producer.topic(), "3"))
              .path("records");

      assertThat(records).hasSize(3);
      for (int i = 0; i < 3; i++) {
        JsonNode r = records.get(i);
        assertThat(r.path("key").asText()).isEqualTo(sent.get(i).id());
        assertThat(r.path("value").path("watts").asLong()).isEqualTo(sent.get(i).watts());
        assertThat(r.path("headers").path("ce_id").asText()).isEqualTo(ids.get(i));
        assertThat(r.path("headers").path("ce_type").asText()).isEqualTo("wire.meter-reading.v1");
        assertThat(r.path("headers").path("ce_specversion").asText()).isEqualTo("1.0");
      }
      assertThat(records.get(0).path("value").path("note").asText()).isEqualTo("é");
    }
  }

  private static JsonNode runNode(String url, ObjectNode request)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile("node-check-", ".json");
    Files.write(file, JSON.writeValueAsBytes(request));
    return runNode(List.of(url, file.toString()));
  }

  private static JsonNode runNode(List<String> args) throws IOException, InterruptedException {
    // CI always has Node.js; elsewhere a machine with only Java and Maven skips this one check
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "true".equals(System.getenv("CI")) || onPath("node") && onPath("npm"),
        "Node.js 20 with npm is not installed: the check with an independent (Node.js) client is"
            + " skipped; install Node.js to run it");
    if (!Files.isDirectory(NODE_CHECK.resolve("node_modules").resolve("kafkajs"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    List<String> command = new java.util.ArrayList<>(List.of("node", "check.js"));
    command.addAll(args);
    return JSON.readTree(run(command, 120));
  }

  private static String run(List<String> command, int seconds)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("node-out-", ".txt");
    Path errors = Files.createTempFile("node-err-", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(NODE_CHECK.toFile())
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in " + seconds + " s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          command
              + " failed ("
              + p.exitValue()
              + "):\n"
              + Files.readString(errors, StandardCharsets.UTF_8));
    }
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
