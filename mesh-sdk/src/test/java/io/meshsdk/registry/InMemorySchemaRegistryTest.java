package io.meshsdk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.schema.Compatibility;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {
  static final Schema V1 =
      parse(
          "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
  static final Schema V2 =
      parse(
          "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"n\",\"type\":\"int\",\"default\":0}]}");
  static final Schema V3_BREAKING =
      parse(
          "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"m\",\"type\":\"int\"}]}");

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  static Schema parse(String json) {
    return new Schema.Parser().parse(json);
  }

  @Test
  void numbersVersionsPerSubjectAndSharesIdsAcrossSubjects() {
    RegisteredSchema a1 = registry.register("a-value", V1);
    RegisteredSchema a2 = registry.register("a-value", V2);
    RegisteredSchema b1 = registry.register("b-value", V1);

    assertThat(a1.version()).isEqualTo(1);
    assertThat(a2.version()).isEqualTo(2);
    assertThat(b1.version()).isEqualTo(1);
    assertThat(b1.id()).isEqualTo(a1.id());
    assertThat(a2.id()).isNotEqualTo(a1.id());
    assertThat(registry.schemaById(a2.id())).isEqualTo(V2);
    assertThat(registry.versions("a-value")).containsExactly(1, 2);
    assertThat(registry.latest("a-value")).isEqualTo(a2);
    assertThat(registry.version("a-value", 1)).isEqualTo(a1);
    assertThat(registry.subjects()).containsExactly("a-value", "b-value");
  }

  @Test
  void registrationIsIdempotent() {
    RegisteredSchema first = registry.register("a-value", V1);
    assertThat(registry.register("a-value", parse(SchemaFormatter.format("json/pretty", V1))))
        .isEqualTo(first);
    assertThat(registry.versions("a-value")).containsExactly(1);
    assertThat(registry.lookup("a-value", V1)).contains(first);
    assertThat(registry.lookup("a-value", V2)).isEmpty();
    assertThat(registry.lookup("missing", V1)).isEmpty();
  }

  @Test
  void refusesIncompatibleSchemasWithReasons() {
    registry.register("a-value", V1);

    assertThatThrownBy(() -> registry.register("a-value", V3_BREAKING))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.reasons())
                  .singleElement()
                  .asString()
                  .contains("BACKWARD")
                  .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                  .contains("m");
            });
    assertThat(registry.versions("a-value")).containsExactly(1);
  }

  @Test
  void honoursSubjectAndGlobalCompatibility() {
    registry.register("a-value", V1);
    assertThat(registry.compatibility("a-value")).isEqualTo(Compatibility.BACKWARD);
    assertThat(registry.testCompatibility("a-value", V3_BREAKING).isCompatible()).isFalse();

    registry.setCompatibility("a-value", Compatibility.NONE);
    assertThat(registry.register("a-value", V3_BREAKING).version()).isEqualTo(2);
    assertThat(registry.compatibility("b-value")).isEqualTo(Compatibility.BACKWARD);

    registry.setGlobalCompatibility(Compatibility.FULL);
    assertThat(registry.compatibility("b-value")).isEqualTo(Compatibility.FULL);
    assertThat(registry.compatibility("a-value")).isEqualTo(Compatibility.NONE);
  }

  @Test
  void transitiveModesCheckEveryEarlierVersion() {
    Schema onlyId = V1;
    Schema withN = V2;
    Schema withoutDefaults =
        parse(
            "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"n\",\"type\":\"int\"}]}");
    registry.setCompatibility("t-value", Compatibility.BACKWARD);
    registry.register("t-value", onlyId);
    registry.register("t-value", withN);
    // compatible with the latest (n exists there) but not with version 1 (n has no default)
    assertThat(registry.testCompatibility("t-value", withoutDefaults).isCompatible()).isTrue();
    registry.setCompatibility("t-value", Compatibility.BACKWARD_TRANSITIVE);
    assertThat(registry.testCompatibility("t-value", withoutDefaults).issues())
        .singleElement()
        .satisfies(i -> assertThat(i.againstVersion()).isEqualTo(1));
  }

  @Test
  void reportsMissingSubjectsVersionsAndIds() {
    assertThatThrownBy(() -> registry.latest("nope"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.kind().code()).isEqualTo(40401));
    registry.register("a-value", V1);
    assertThatThrownBy(() -> registry.version("a-value", 9))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.kind().code()).isEqualTo(40402));
    assertThatThrownBy(() -> registry.schemaById(99))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.kind().code()).isEqualTo(40403));
  }

  @Test
  void deletingASubjectKeepsIdsResolvableAndDoesNotReuseVersions() {
    RegisteredSchema r = registry.register("a-value", V1);
    assertThat(registry.deleteSubject("a-value")).containsExactly(1);
    assertThat(registry.subjects()).isEmpty();
    assertThat(registry.schemaById(r.id())).isEqualTo(V1);
    assertThat(registry.register("a-value", V1).version()).isEqualTo(2);
    assertThat(registry.register("a-value", V1).id()).isEqualTo(r.id());
  }

  /** Soft and permanent deletes as Confluent's registry documents them. */
  static void softAndPermanentDeletesFollowConfluent(SchemaRegistry registry) {
    RegisteredSchema r = registry.register("s-value", V1);
    registry.setCompatibility("s-value", Compatibility.FULL);

    assertThatThrownBy(() -> registry.deleteSubjectPermanently("s-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e ->
                assertThat(e.kind())
                    .isEqualTo(SchemaRegistryException.Kind.SUBJECT_NOT_SOFT_DELETED));
    assertThat(registry.deleteSubject("s-value")).containsExactly(1);
    assertThat(registry.subjects()).doesNotContain("s-value");
    assertThat(registry.lookup("s-value", V1)).isEmpty();
    assertThatThrownBy(() -> registry.versions("s-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SUBJECT_NOT_FOUND));
    assertThat(registry.schemaById(r.id())).isEqualTo(V1); // records stay readable
    assertThatThrownBy(() -> registry.deleteSubject("s-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SUBJECT_SOFT_DELETED));
    assertThat(registry.deleteSubjectPermanently("s-value")).containsExactly(1);
    assertThatThrownBy(() -> registry.deleteSubjectPermanently("s-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SUBJECT_NOT_FOUND));
  }

  @Test
  void softAndPermanentDeletesFollowConfluent() {
    softAndPermanentDeletesFollowConfluent(registry);
  }

  @Test
  void isThreadSafe() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<RegisteredSchema>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String subject = "s" + (i % 10) + "-value";
        Schema schema = i % 2 == 0 ? V1 : V2;
        futures.add(pool.submit(() -> registry.register(subject, schema)));
      }
      for (Future<RegisteredSchema> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(registry.subjects()).hasSize(10);
    for (String subject : registry.subjects()) {
      assertThat(registry.versions(subject)).hasSizeBetween(1, 2);
    }
    assertThat(registry.schemaById(1)).isIn(V1, V2);
    assertThat(registry.schemaById(2)).isIn(V1, V2);
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> registry.register(null, V1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.register(" ", V1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.register("a", null)).isInstanceOf(NullPointerException.class);
  }
}
