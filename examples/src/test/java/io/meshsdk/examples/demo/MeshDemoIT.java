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
    boolean ok =
        new MeshDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(null, null);
    String out = buffer.toString(StandardCharsets.UTF_8);

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
        .contains("Everything went as shown");
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
