package io.meshsdk.examples.quickstart;

import static io.meshsdk.testkit.MeshAssertions.assertThatProduct;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.testkit.ContractSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void printsTheContractAndRefusesTheInvalidOrder() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    QuickStart.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .contains("topic:   orders.order-placed.v1")
        .contains("\"mesh.pii\" : \"PERSONAL\"")
        .contains("passes governance")
        .contains("read:    OrderPlaced[orderId=o-1")
        .contains("refused: orders.order-placed 1.0: 3 contract violations")
        .doesNotContain("nope");
  }

  @Test
  void theContractStaysCompatibleWithItsSnapshots() {
    // the snapshot of 1.0 lives in src/test/resources/contracts; a breaking change fails here
    assertThat(ContractSnapshots.inProject().verify(OrderPlaced.class))
        .containsExactly(ContractSnapshots.Outcome.UNCHANGED);
  }

  @Test
  void theProductCompliesWithTheStandardPolicyAndChecksItsContract() {
    assertThatProduct(OrderPlaced.class)
        .compliesWith(GovernancePolicy.standard())
        .accepts(new OrderPlaced("o-1", "ada@example.com", 1, "EUR", Instant.EPOCH))
        .rejects(new OrderPlaced("o-1", "ada@example.com", 0, "EUR", Instant.EPOCH), "amountCents");
  }
}
