package io.meshsdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InMemoryDataKeyStoreTest {
  private final InMemoryDataKeyStore store = new InMemoryDataKeyStore();

  @Test
  void theFirstKeyStoredWins() {
    assertThat(store.putIfAbsent("ref", new byte[] {1})).containsExactly(1);
    assertThat(store.putIfAbsent("ref", new byte[] {2})).containsExactly(1);

    assertThat(store.get("ref")).hasValueSatisfying(k -> assertThat(k).containsExactly(1));
    assertThat(store.get("other")).isEmpty();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void neverSharesItsArrays() {
    byte[] given = {1, 2};
    byte[] returned = store.putIfAbsent("ref", given);
    given[0] = 9;
    returned[1] = 9;
    store.get("ref").orElseThrow()[0] = 7;

    assertThat(store.get("ref")).hasValueSatisfying(k -> assertThat(k).containsExactly(1, 2));
  }

  @Test
  void refusesToStoreAShreddedReferenceAgain() {
    store.putIfAbsent("orders.v1/s-1", new byte[] {1});

    assertThat(store.delete("orders.v1/s-1")).isTrue();
    assertThat(store.delete("orders.v1/s-1")).isFalse();
    assertThat(store.get("orders.v1/s-1")).isEmpty();
    assertThat(store.size()).isZero();
    assertThatThrownBy(() -> store.putIfAbsent("orders.v1/s-1", new byte[] {2}))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("orders.v1/s-1")
        .hasMessageContaining("shredded");
  }

  @Test
  void refusesAReferenceDeletedBeforeItHadAKey() {
    assertThat(store.delete("never")).isFalse();

    assertThatThrownBy(() -> store.putIfAbsent("never", new byte[] {1}))
        .isInstanceOf(KeyManagementException.class)
        .hasMessageContaining("shredded");
  }
}
