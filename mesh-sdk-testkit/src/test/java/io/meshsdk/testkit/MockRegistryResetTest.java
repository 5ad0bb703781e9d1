package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.registry.InMemorySchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code mock://} registries a test creates start empty in the next test; one set up before the
 * tests stays. The two tests run in order: the second fails if the first one's schema survived.
 */
@MeshTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MockRegistryResetTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("R").fields().requiredString("a").endRecord();

  @BeforeAll
  static void aRegistryForTheWholeClass() {
    InMemorySchemaRegistry.named("reset-test-shared").register("shared-value", SCHEMA);
  }

  @AfterAll
  static void dropIt() {
    assertThat(InMemorySchemaRegistry.dropNamed("reset-test-shared")).isTrue();
    assertThat(InMemorySchemaRegistry.dropNamed("reset-test-shared")).isFalse();
  }

  @Test
  @Order(1)
  void aTestRegistersInAMockRegistry() {
    InMemorySchemaRegistry.named("reset-test").register("orders-value", SCHEMA);
    assertThat(InMemorySchemaRegistry.named("reset-test").subjects())
        .containsExactly("orders-value");
    assertThat(InMemorySchemaRegistry.names()).contains("reset-test", "reset-test-shared");
  }

  @Test
  @Order(2)
  void theNextTestFindsItEmptyAndTheSharedOneKept() {
    assertThat(InMemorySchemaRegistry.names()).doesNotContain("reset-test");
    assertThat(InMemorySchemaRegistry.named("reset-test").subjects()).isEmpty();
    assertThat(InMemorySchemaRegistry.named("reset-test-shared").subjects())
        .containsExactly("shared-value");
  }
}
