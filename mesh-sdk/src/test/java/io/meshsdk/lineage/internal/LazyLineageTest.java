package io.meshsdk.lineage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.LineageScope;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyLineageTest {
  private static final EventRef PARENT = new EventRef("orders.placed.v1", "id-1", "orders", 0, 7);

  @Test
  void theParentIsAskedForOnlyWhenARecordNeedsItAndOnce() {
    AtomicInteger asked = new AtomicInteger();
    try (LineageScope scope =
        LazyLineage.open(
            () -> {
              asked.incrementAndGet();
              return PARENT;
            })) {
      assertThat(asked).hasValue(0);
      assertThat(LineageScope.currentParents()).containsExactly(PARENT);
      assertThat(LineageScope.currentParents()).containsExactly(PARENT);
      assertThat(asked).hasValue(1);
    }
    assertThat(LineageScope.currentParents()).isEmpty();
  }

  @Test
  void nestsWithScopesOpenedInsideAndOutside() {
    EventRef outer = new EventRef("a.b.v1", "outer", "t", 0, 1);
    EventRef inner = new EventRef("a.b.v1", "inner", "t", 0, 2);
    AtomicInteger asked = new AtomicInteger();
    try (LineageScope o = LineageScope.open(outer)) {
      try (LineageScope lazy =
          LazyLineage.open(
              () -> {
                asked.incrementAndGet();
                return PARENT;
              })) {
        try (LineageScope i = LineageScope.open(inner)) {
          assertThat(LineageScope.currentParents()).containsExactly(inner);
        }
        assertThat(asked).hasValue(0);
        assertThat(LineageScope.currentParents()).containsExactly(PARENT);
      }
      assertThat(LineageScope.currentParents()).containsExactly(outer);
    }
    assertThat(asked).hasValue(1);
  }
}
