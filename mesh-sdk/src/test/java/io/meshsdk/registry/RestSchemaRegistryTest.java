package io.meshsdk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.fixtures.Samples;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.telemetry.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a stub that answers exactly like Confluent's registry. */
class RestSchemaRegistryTest {
  private static final Schema V1 = InMemorySchemaRegistryTest.V1;
  private static final Schema V2 = InMemorySchemaRegistryTest.V2;
  private static final Schema BREAKING = InMemorySchemaRegistryTest.V3_BREAKING;

  private ConfluentStub stub;

  @BeforeEach
  void start() throws Exception {
    stub = new ConfluentStub().start();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private RestSchemaRegistry.Builder client() {
    return RestSchemaRegistry.builder(stub.url())
        .retries(2, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  @Test
  void fetchesSchemasByGuidOnceAndRemembersWhatIsMissing() {
    SchemaRegistry registry = client().build();
    RegisteredSchema r = registry.register("orders-value", V1);
    java.util.UUID guid = stub.registry.guid(r.id());
    int before = stub.requests.get();

    assertThat(registry.schemaByGuid(guid)).isEqualTo(V1);
    assertThat(registry.schemaByGuid(guid)).isEqualTo(V1); // cached
    assertThat(stub.requests.get()).isEqualTo(before + 1);
    java.util.UUID unknown = new java.util.UUID(1, 2);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> registry.schemaByGuid(unknown))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND));
    }
    assertThat(stub.requests.get()).isEqualTo(before + 2); // the miss is remembered too
    // a Confluent registry has no Apicurio global ids
    assertThatThrownBy(() -> registry.schemaByGlobalId(r.id()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND));
    assertThat(registry.schemaByContentId(r.id())).isEqualTo(V1);
  }

  @Test
  void registersLooksUpAndFetchesWithConfluentSemantics() {
    SchemaRegistry registry = client().build();
    RegisteredSchema r1 = registry.register("orders-value", V1);
    RegisteredSchema r2 = registry.register("orders-value", V2);

    assertThat(r1.version()).isEqualTo(1);
    assertThat(r2.version()).isEqualTo(2);
    assertThat(registry.lookup("orders-value", V1)).contains(r1);
    assertThat(registry.schemaById(r2.id())).isEqualTo(V2);
    assertThat(registry.latest("orders-value").version()).isEqualTo(2);
    assertThat(registry.version("orders-value", 1).id()).isEqualTo(r1.id());
    assertThat(registry.versions("orders-value")).containsExactly(1, 2);
    assertThat(registry.subjects()).containsExactly("orders-value");
    assertThat(registry.register("other-value", V1).id()).isEqualTo(r1.id());
  }

  @Test
  void cachesSoTheHotPathMakesNoRequest() {
    SchemaRegistry registry = client().build();
    RegisteredSchema r = registry.register("orders-value", V1);
    registry.schemaById(r.id());
    int before = stub.requests.get();

    for (int i = 0; i < 100; i++) {
      registry.register("orders-value", V1);
      registry.lookup("orders-value", V1);
      registry.schemaById(r.id());
    }
    assertThat(stub.requests.get()).isEqualTo(before);

    // "not found" is cached briefly too
    assertThat(registry.lookup("missing-value", V1)).isEmpty();
    int afterMiss = stub.requests.get();
    assertThat(registry.lookup("missing-value", V1)).isEmpty();
    assertThat(stub.requests.get()).isEqualTo(afterMiss);
  }

  @Test
  void serializerAndDeserializerWorkThroughTheRestClientWithoutPerRecordRequests() {
    SchemaRegistry registry = client().build();
    MeshSerializer<OrderPlaced> serializer =
        MeshSerializer.of(ProductContract.of(OrderPlaced.class), registry);
    MeshDeserializer<OrderPlaced> deserializer =
        MeshDeserializer.of(ProductContract.of(OrderPlaced.class), MeshTestRegistries.fresh(stub));
    byte[] bytes = serializer.serialize("orders.order-placed.v2", Samples.order());
    assertThat(deserializer.deserialize("orders.order-placed.v2", bytes))
        .isEqualTo(Samples.order());
    int before = stub.requests.get();
    for (int i = 0; i < 50; i++) {
      deserializer.deserialize(
          "orders.order-placed.v2",
          serializer.serialize("orders.order-placed.v2", Samples.order()));
    }
    assertThat(stub.requests.get()).isEqualTo(before);
  }

  @Test
  void refusesAnIncompatibleSchemaWithTheServersReasons() {
    SchemaRegistry registry = client().build();
    registry.register("orders-value", V1);

    assertThatThrownBy(() -> registry.register("orders-value", BREAKING))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class,
            e -> {
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.reasons())
                  .singleElement()
                  .asString()
                  .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
            });
    assertThat(registry.testCompatibility("orders-value", BREAKING).isCompatible()).isFalse();
    assertThat(registry.testCompatibility("orders-value", V2).isCompatible()).isTrue();
    assertThat(registry.testCompatibility("nobody-value", BREAKING).isCompatible()).isTrue();
  }

  @Test
  void readsAndWritesConfigPerSubjectAndGlobally() {
    SchemaRegistry registry = client().build();
    registry.register("orders-value", V1);
    assertThat(registry.globalCompatibility()).isEqualTo(Compatibility.BACKWARD);
    assertThat(registry.compatibility("orders-value"))
        .isEqualTo(Compatibility.BACKWARD); // falls back to global

    registry.setCompatibility("orders-value", Compatibility.NONE);
    assertThat(registry.compatibility("orders-value")).isEqualTo(Compatibility.NONE);
    assertThat(registry.register("orders-value", BREAKING).version()).isEqualTo(2);

    registry.setGlobalCompatibility(Compatibility.FULL_TRANSITIVE);
    assertThat(registry.globalCompatibility()).isEqualTo(Compatibility.FULL_TRANSITIVE);
    assertThat(registry.deleteSubject("orders-value")).containsExactly(1, 2);
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void mapsErrorsToKindsWithoutRetryingThem() {
    SchemaRegistry registry = client().build();
    assertThatThrownBy(() -> registry.schemaById(404))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND);
              assertThat(e.isRetriable()).isFalse();
            });
    assertThatThrownBy(() -> registry.latest("nothing-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.kind().code()).isEqualTo(40401));
    registry.register("orders-value", V1);
    int before = stub.requests.get();
    assertThatThrownBy(() -> registry.version("orders-value", 7))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.kind().code()).isEqualTo(40402))
        .hasMessageContaining("orders-value");
    assertThat(stub.requests.get()).isEqualTo(before + 1);
  }

  @Test
  void retriesServerErrorsAndThenGivesUpRetriably() {
    SchemaRegistry registry = client().build();
    stub.failNext(2, 503);
    assertThat(registry.register("orders-value", V1).version()).isEqualTo(1);

    SchemaRegistry impatient =
        RestSchemaRegistry.builder(stub.url())
            .retries(0, Duration.ofMillis(1), Duration.ofMillis(1))
            .build();
    stub.failNext(1, 500);
    assertThatThrownBy(() -> impatient.subjects())
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
              assertThat(e.isRetriable()).isTrue();
            });
  }

  @Test
  void failsOverFromADeadUrlToALiveOne() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    SchemaRegistry registry =
        RestSchemaRegistry.builder("http://127.0.0.1:" + dead, stub.url())
            .retries(2, Duration.ofMillis(1), Duration.ofMillis(5))
            .build();
    assertThat(registry.register("orders-value", V1).version()).isEqualTo(1);
    assertThat(registry.subjects()).containsExactly("orders-value");
  }

  @Test
  void authenticatesWithBasicAuthAndKeepsCredentialsOutOfMessages() {
    stub.requireAuthorization(
        "Basic "
            + Base64.getEncoder().encodeToString("svc:s3cret".getBytes(StandardCharsets.UTF_8)));
    SchemaRegistry good = client().basicAuth("svc", "s3cret").build();
    assertThat(good.register("orders-value", V1).version()).isEqualTo(1);
    SchemaRegistry fromUrl =
        RestSchemaRegistry.builder(stub.url().replace("http://", "http://svc:s3cret@")).build();
    assertThat(fromUrl.subjects()).containsExactly("orders-value");
    assertThat(fromUrl.toString()).doesNotContain("s3cret").contains("basic auth");

    SchemaRegistry wrong =
        RestSchemaRegistry.builder(stub.url().replace("http://", "http://svc:wrong@")).build();
    assertThatThrownBy(wrong::subjects)
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAUTHORIZED);
              assertThat(e.isRetriable()).isFalse();
            })
        .hasMessageNotContaining("wrong");
  }

  @Test
  void fetchesABearerTokenAgainOnceWhenRefused() {
    stub.requireAuthorization("Bearer fresh");
    AtomicInteger asked = new AtomicInteger();
    SchemaRegistry registry =
        client().bearerToken(() -> asked.incrementAndGet() == 1 ? "expired" : "fresh").build();

    assertThat(registry.subjects()).isEmpty();
    assertThat(asked.get()).isEqualTo(2);
  }

  @Test
  void keepsServingCachedSchemasWhileTheRegistryIsDownAndResumesAfter() throws Exception {
    SchemaRegistry registry = client().build();
    MeshSerializer<OrderPlaced> serializer =
        MeshSerializer.of(ProductContract.of(OrderPlaced.class), registry);
    MeshDeserializer<OrderPlaced> deserializer =
        MeshDeserializer.of(ProductContract.of(OrderPlaced.class), registry);
    byte[] bytes = serializer.serialize("orders.order-placed.v2", Samples.order());
    deserializer.deserialize("orders.order-placed.v2", bytes);

    stub.stop();
    assertThat(
            deserializer.deserialize(
                "orders.order-placed.v2",
                serializer.serialize("orders.order-placed.v2", Samples.order())))
        .isEqualTo(Samples.order());
    assertThatThrownBy(() -> registry.register("new-value", V1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.isRetriable()).isTrue());

    stub.start();
    assertThat(registry.register("new-value", V1).version()).isEqualTo(1);
  }

  @Test
  void timesEveryRequest() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SchemaRegistry registry = client().meterRegistry(meters, "checkout").build();
    registry.register("orders-value", V1);
    assertThatThrownBy(() -> registry.schemaById(99)).isInstanceOf(SchemaRegistryException.class);

    assertThat(
            meters
                .get(MeshMetrics.REGISTRY_REQUESTS)
                .tag("operation", "register")
                .tag("outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get(MeshMetrics.REGISTRY_REQUESTS)
                .tag("operation", "schema-by-id")
                .tag("outcome", "schema_not_found")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void resolvesSchemaReferencesThroughTheReferencedSubjects() throws Exception {
    SchemaRegistry registry = client().build();
    Schema item =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Item\",\"namespace\":\"com.shop\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\"}]}");
    registry.register("item-value", item);
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var answer = mapper.createObjectNode();
    answer.put(
        "schema",
        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.shop\",\"fields\":[{\"name\":\"item\",\"type\":\"com.shop.Item\"}]}");
    answer
        .putArray("references")
        .addObject()
        .put("name", "com.shop.Item")
        .put("subject", "item-value")
        .put("version", 1);
    stub.rawById.put(999, answer);

    Schema order = registry.schemaById(999);

    assertThat(order.getField("item").schema()).isEqualTo(item);
  }

  @Test
  void asksForNormalizationOnlyWhenConfigured() {
    client().build().register("orders-value", V1);
    assertThat(stub.lastRegisterQuery).isNull();

    client().normalize().build().register("other-value", V1);
    assertThat(stub.lastRegisterQuery).isEqualTo("normalize=true");
  }

  @Test
  void softAndPermanentDeletesFollowConfluent() {
    InMemorySchemaRegistryTest.softAndPermanentDeletesFollowConfluent(client().build());
  }

  /** A registry that normalized at registration finds the schema only when asked the same way. */
  @Test
  void looksUpWithNormalizationWhenRegisteringWithIt() {
    SchemaRegistry registry = client().normalize().build();
    assertThat(registry.register("orders-value", V1).version()).isEqualTo(1);
    assertThat(stub.lastLookupQuery).isEqualTo("normalize=true");
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> RestSchemaRegistry.builder())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RestSchemaRegistry.builder("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client().basicAuthUserInfo("nocolon"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client().build().register(" ", V1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
