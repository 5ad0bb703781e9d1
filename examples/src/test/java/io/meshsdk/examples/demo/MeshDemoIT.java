package io.meshsdk.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo, run in-process on its own broker: it must go as shown. */
class MeshDemoIT {
  @Test
  void theDemoGoesAsShown() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    boolean ok;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple's output
    try {
      ok = new MeshDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(null, null);
    } finally {
      System.setErr(stderr);
    }
    String out = buffer.toString(StandardCharsets.UTF_8);
    String logged = log.toString(StandardCharsets.UTF_8);
    stderr.print(logged);
    // the demo's lineage goes to the log: a run that started and completed
    assertThat(logged).contains("\"eventType\":\"START\"").contains("\"eventType\":\"COMPLETE\"");

    assertThat(ok).as(out).isTrue();
    assertThat(out)
        .contains("marketing.newsletter-signup refused by the policy")
        .contains("[pii-classified]")
        .contains("now holds versions [1, 2]")
        .contains("refused: orders.order-placed 1.1: 3 contract violations")
        .contains("replayed 1 dead letter(s): o-7 shipped by yamato")
        .contains("<- orders.order-placed.v1")
        .contains("translated by the downcast")
        .contains("in ce_meshoriginid")
        .contains("governance passed for analytics.revenue-per-currency")
        .contains("the order behind its last update")
        .contains("dead-lettered 1 (a total of \"n/a\")")
        .contains("<- legacy.pos.json")
        .contains("catalog documents (ODCS per product version, AsyncAPI per service)")
        .contains("OpenLineage run events (START, RUNNING snapshots, COMPLETE at the end)")
        .contains("Everything went as shown");
    // what a catalog reads, written where the demo said
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    java.nio.file.Path catalog = java.nio.file.Path.of("target", "mesh-demo-catalog");
    com.fasterxml.jackson.databind.JsonNode odcs =
        json.readTree(catalog.resolve("orders.order-placed.v2.odcs.json").toFile());
    assertThat(odcs.get("apiVersion").asText()).isEqualTo("v3.1.0");
    assertThat(odcs.get("version").asText()).isEqualTo("2.0");
    com.fasterxml.jackson.databind.JsonNode asyncApi =
        json.readTree(catalog.resolve("shipping.asyncapi.json").toFile());
    assertThat(asyncApi.get("asyncapi").asText()).isEqualTo("3.0.0");
    assertThat(asyncApi.at("/operations/receive.orders.order-placed.v1/action").asText())
        .isEqualTo("receive");
  }

  @Test
  void onAnExistingClusterItUsesAFreshPrefixAndLeavesItsTopicsInPlace() throws Exception {
    String servers = io.meshsdk.testkit.broker.EmbeddedKafkaBroker.shared().bootstrapServers();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok =
        new MeshDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(servers, null);
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(ok).as(out).isTrue();
    assertThat(out).contains("topics prefixed mesh-demo-").contains("Left in place");
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            java.util.Map.of("bootstrap.servers", servers))) {
      assertThat(admin.listTopics().names().get())
          .anySatisfy(
              t -> assertThat(t).startsWith("mesh-demo-").endsWith("orders.order-placed.v2"));
    }
  }
}
