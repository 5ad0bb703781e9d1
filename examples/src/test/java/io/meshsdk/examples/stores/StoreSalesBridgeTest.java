package io.meshsdk.examples.stores;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.testkit.DeadLetter;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.PublishedEvent;
import io.meshsdk.testkit.TestMesh;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stores team tests its bridge as it tests any producer: legacy records written to the test
 * mesh's in-memory Kafka, the product read back, lineage to the legacy offsets, dead letters.
 */
@MeshTest
class StoreSalesBridgeTest {

  @Test
  void legacySalesBecomeStoreSalesThatNameTheirLegacyRecord(TestMesh mesh) {
    String legacy = mesh.topicPrefix() + StoreSalesBridge.LEGACY_TOPIC;
    String first = mesh.sendRaw(legacy, utf8("R-1"), sale("R-1", "12.50", "2019-03-02 10:15:00"));
    mesh.sendRaw(legacy, utf8("R-2"), sale("R-2", "3.99", "2024-11-30 18:02:11"));
    mesh.sendRaw(legacy, utf8("R-3"), sale("R-3", "ten euros", "2025-01-02 09:00:00"));
    mesh.sendRaw(legacy, utf8("R-4"), sale("R-4", "-1.00", "2025-01-02 09:01:00"));

    StoreSalesBridge.start(mesh, legacy);

    List<PublishedEvent<StoreSale>> sales = mesh.published(StoreSale.class).awaitSize(2, "sales");
    assertThat(sales.get(0).value())
        .isEqualTo(
            new StoreSale("R-1", "Berlin-1", 1250, "EUR", Instant.parse("2019-03-02T10:15:00Z")));
    assertThat(sales.get(1).value().amountCents()).isEqualTo(399);
    EventRef parent = sales.get(0).lineage().parents().get(0);
    assertThat(parent.isExternal()).isTrue();
    assertThat(parent.type()).isEqualTo("legacy.pos.json");
    assertThat(parent.topic() + "-" + parent.partition() + "@" + parent.offset()).isEqualTo(first);

    // a total that is not a number, and a negative one: dead letters with the tills' own bytes
    List<DeadLetter> dead = mesh.deadLetters(StoreSalesBridge.GROUP).awaitSize(2, "dead letters");
    assertThat(dead)
        .extracting(DeadLetter::reason)
        .containsExactly("unmappable", "contract_violation");
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).contains("ten euros");
    assertThat(mesh.published(StoreSale.class).now()).hasSize(2);
  }

  private static byte[] sale(String receipt, String total, String time) {
    return utf8(
        "{\"receipt\":\""
            + receipt
            + "\",\"shop\":\"Berlin-1\",\"total\":\""
            + total
            + "\",\"ccy\":\"EUR\",\"ts\":\""
            + time
            + "\",\"till\":7}");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
