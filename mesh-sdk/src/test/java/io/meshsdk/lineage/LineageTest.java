package io.meshsdk.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.lineage.internal.EventIds;
import io.meshsdk.producer.SendOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LineageTest {
  private final EventRef a =
      new EventRef("orders.order-placed.v1", "id-a", "orders.order-placed.v1", 0, 7);
  private final EventRef b =
      new EventRef("orders.order-placed.v1", "id-b", "orders.order-placed.v1", 1, 9);

  @Test
  void referencesRoundTripThroughTheHeaderForm() {
    assertThat(a.toString()).isEqualTo("orders.order-placed.v1;id-a;orders.order-placed.v1;0;7");
    assertThat(EventRef.parse(a.toString())).isEqualTo(a);
    assertThat(Lineage.parseParents(a + "," + b)).containsExactly(a, b);
    assertThat(Lineage.parseParents(a + ",garbage," + b)).containsExactly(a, b);
    assertThat(Lineage.parseParents("")).isEmpty();
    assertThatThrownBy(() -> new EventRef("t;u", "x", "t", 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    // ids come from other producers: any text, escaped in the header form
    for (String id : new String[] {"a;b", "a,b", "50%", "%3B", "a%2Cb;c,%"}) {
      EventRef ref = new EventRef("t", id, "t", 1, 2);
      assertThat(ref.toString()).doesNotContain(",").matches("t;[^;]*;t;1;2");
      assertThat(EventRef.parse(ref.toString())).isEqualTo(ref);
      assertThat(Lineage.parseParents(ref + "," + a)).containsExactly(ref, a);
    }
  }

  @Test
  @SuppressWarnings("try") // the scopes act on the thread; that is what is tested
  void scopesNestAndStayOnTheirThread() throws Exception {
    assertThat(LineageScope.currentParents()).isEmpty();
    try (LineageScope outer = LineageScope.open(a)) {
      try (LineageScope inner = LineageScope.open(b)) {
        assertThat(LineageScope.currentParents()).containsExactly(b);
        assertThat(CompletableFuture.supplyAsync(LineageScope::currentParents).get()).isEmpty();
      }
      assertThat(LineageScope.currentParents()).containsExactly(a);
    }
    assertThat(LineageScope.currentParents()).isEmpty();
  }

  /** An outer scope closed before the inner one must never become current again. */
  @Test
  void aScopeClosedOutOfOrderNeverNamesItsParentsAgain() {
    EventRef c = new EventRef("orders.order-placed.v1", "id-c", "orders.order-placed.v1", 2, 3);
    try (LineageScope base = LineageScope.open(c)) {
      LineageScope outer = LineageScope.open(a);
      LineageScope inner = LineageScope.open(b);
      outer.close(); // out of order
      assertThat(LineageScope.currentParents()).containsExactly(b);
      inner.close();
      assertThat(LineageScope.currentParents()).containsExactly(c);
      LineageScope next = LineageScope.open(b);
      next.close();
      assertThat(LineageScope.currentParents()).containsExactly(c);
    }
    assertThat(LineageScope.currentParents()).isEmpty();
  }

  @Test
  void aScopeMustBeClosedOnItsThread() throws Exception {
    LineageScope scope = LineageScope.open(a);
    assertThatThrownBy(() -> CompletableFuture.runAsync(scope::close).join())
        .hasCauseInstanceOf(IllegalStateException.class);
    scope.close();
    assertThat(LineageScope.currentParents()).isEmpty();
  }

  @Test
  void eventIdsAreTimeOrderedVersion7Uuids() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(EventIds.nextUuid());
    }
    assertThat(ids)
        .allSatisfy(
            u -> {
              assertThat(u.version()).isEqualTo(7);
              assertThat(u.variant()).isEqualTo(2);
            });
    assertThat(ids).doesNotHaveDuplicates();
    long firstMillis = ids.get(0).getMostSignificantBits() >>> 16;
    long lastMillis = ids.get(999).getMostSignificantBits() >>> 16;
    assertThat(lastMillis).isGreaterThanOrEqualTo(firstMillis);
    assertThat(Math.abs(firstMillis - System.currentTimeMillis())).isLessThan(60_000);
  }

  @Test
  void sendOptionsRefuseHeadersTheSdkSets() {
    assertThatThrownBy(() -> SendOptions.builder().header("ce_id", "x"))
        .hasMessageContaining("set by Mesh SDK");
    assertThatThrownBy(() -> SendOptions.builder().header("mesh.dlq.reason", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SendOptions.builder().header("traceparent", "00-x").build().headers())
        .containsKey("traceparent");
  }
}
