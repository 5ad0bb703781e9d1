package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.IncompatibleSchemaException;
import io.meshsdk.registry.RegisteredSchema;
import io.meshsdk.registry.RegistrationMode;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.schema.Compatibility;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The REST client and the runtime against a real registry server nobody on the team wrote. */
class RegistryIT {
  private static final String RECORD =
      "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}%s]}";
  private static final Schema V1 = schema("");
  private static final Schema V2 = schema(",{\"name\":\"n\",\"type\":\"int\",\"default\":0}");
  private static final Schema BREAKING = schema(",{\"name\":\"m\",\"type\":\"int\"}");

  private final ApicurioRegistry server = ApicurioRegistry.shared();

  private static Schema schema(String extra) {
    return new Schema.Parser().parse(String.format(RECORD, extra));
  }

  private static String subject() {
    return "it-" + UUID.randomUUID() + "-value";
  }

  private SchemaRegistry client() {
    return RestSchemaRegistry.builder(server.url())
        .retries(3, Duration.ofMillis(50), Duration.ofMillis(500))
        .build();
  }

  @Test
  void registersLooksUpAndFetches() {
    SchemaRegistry registry = client();
    String subject = subject();
    RegisteredSchema r1 = registry.register(subject, V1);
    RegisteredSchema r2 = registry.register(subject, V2);

    assertThat(r2.version()).isGreaterThan(r1.version());
    assertThat(client().register(subject, V1)).isEqualTo(r1); // idempotent, also for a fresh client
    assertThat(client().lookup(subject, V2)).contains(r2);
    assertThat(client().schemaById(r2.id())).isEqualTo(V2);
    assertThat(client().latest(subject).id()).isEqualTo(r2.id());
    assertThat(client().versions(subject)).contains(r1.version(), r2.version());
    assertThat(client().subjects()).contains(subject);
    assertThat(client().lookup(subject, BREAKING)).isEmpty();
  }

  @Test
  void refusesAnIncompatibleSchemaWithReasonsAndTestsCompatibility() {
    SchemaRegistry registry = client();
    String subject = subject();
    registry.register(subject, V1);

    assertThat(registry.testCompatibility(subject, V2).isCompatible()).isTrue();
    assertThat(registry.testCompatibility(subject, BREAKING).isCompatible()).isFalse();
    assertThatThrownBy(() -> registry.register(subject, BREAKING))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class,
            e -> {
              assertThat(e.reasons()).isNotEmpty().noneMatch(r -> r.contains("gave no reason"));
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.getMessage()).contains(subject);
            });
  }

  @Test
  void setsCompatibilityPerSubject() {
    SchemaRegistry registry = client();
    String subject = subject();
    registry.register(subject, V1);

    registry.setCompatibility(subject, Compatibility.FULL);
    assertThat(registry.compatibility(subject)).isEqualTo(Compatibility.FULL);
    registry.setCompatibility(subject, Compatibility.FORWARD_TRANSITIVE);
    assertThat(registry.compatibility(subject)).isEqualTo(Compatibility.FORWARD_TRANSITIVE);
    assertThat(registry.register(subject, V2).id()).isPositive();
  }

  /**
   * Apicurio's Confluent API reports NONE for a subject without a rule of its own (the global rule
   * applies) and drops the subject's rule when told NONE; the client reads and sets the subject's
   * own rule through Apicurio's API, so the effective level is right either way.
   */
  @Test
  void readsAndSetsTheEffectiveLevelOnApicurio() {
    SchemaRegistry registry = client();
    String subject = subject();
    registry.register(subject, V1);

    assertThat(registry.globalCompatibility()).isEqualTo(Compatibility.BACKWARD);
    assertThat(registry.subjectCompatibility(subject)).isEmpty();
    assertThat(registry.compatibility(subject)).isEqualTo(Compatibility.BACKWARD);
    assertThatThrownBy(() -> registry.register(subject, BREAKING))
        .isInstanceOf(IncompatibleSchemaException.class);

    registry.setCompatibility(subject, Compatibility.NONE); // overrides the global BACKWARD
    assertThat(registry.subjectCompatibility(subject)).contains(Compatibility.NONE);
    assertThat(registry.compatibility(subject)).isEqualTo(Compatibility.NONE);
    assertThat(registry.register(subject, BREAKING).id()).isPositive();
  }

  @DataProduct(
      domain = "registry",
      name = "invoice-sent",
      version = "1.1",
      owner = "team-billing",
      description = "An invoice.",
      schemaName = "registry.InvoiceSent",
      compatibility = Compatibility.FULL_TRANSITIVE)
  record InvoiceV11(
      @Key @Doc("Id") String id, @Doc("Cents") long cents, @Doc("Note") String note) {}

  /** The "1.2" a new user wrote: it removes a required field. */
  @DataProduct(
      domain = "registry",
      name = "invoice-sent",
      version = "1.2",
      owner = "team-billing",
      description = "An invoice.",
      schemaName = "registry.InvoiceSent",
      compatibility = Compatibility.NONE)
  record InvoiceV12(@Key @Doc("Id") String id, @Doc("Cents") long cents) {}

  @Test
  void theDeclaredCompatibilityIsEnforcedByTheRegistryItself() {
    try (Mesh mesh =
        Mesh.fromMap(
            Map.of(
                "mesh.application",
                "billing",
                "bootstrap.servers",
                Broker.shared().bootstrapServers(),
                "schema.registry.url",
                server.url(),
                "mesh.topic.prefix",
                "r" + System.nanoTime() % 100_000 + "."))) {
      MeshProducer<InvoiceV11> producer = mesh.producer(InvoiceV11.class);
      String subject = producer.topic() + "-value";

      assertThat(client().subjectCompatibility(subject)).contains(Compatibility.FULL_TRANSITIVE);
      Schema v12 = io.meshsdk.contract.ProductContract.of(InvoiceV12.class).schema();
      // any client's registration is refused, with Apicurio's own reasons
      assertThat(client().testCompatibility(subject, v12).issues())
          .anySatisfy(i -> assertThat(i.detail()).contains("Incompatible"));
      assertThatThrownBy(() -> client().register(subject, v12))
          .isInstanceOfSatisfying(
              IncompatibleSchemaException.class,
              e -> assertThat(e.reasons()).anySatisfy(r -> assertThat(r).contains("Incompatible")));
    }
  }

  @Test
  void registersAndFindsWithNormalization() {
    SchemaRegistry normalizing = RestSchemaRegistry.builder(server.url()).normalize().build();
    String subject = subject();
    RegisteredSchema r = normalizing.register(subject, V1);

    assertThat(normalizing.lookup(subject, V1)).contains(r);
  }

  /**
   * Soft and permanent deletes as Confluent documents them. Apicurio keeps listing a soft-deleted
   * subject's versions and finding it in lookups, and answers a second delete with a 400; the
   * client answers as Confluent's registry would. One deviation stays: Apicurio re-enables the old
   * version when the same schema is registered again instead of creating a new version.
   */
  @Test
  void softAndPermanentDeletesBehaveAsConfluentDocuments() {
    SchemaRegistry registry = client();
    String subject = subject();
    RegisteredSchema r = registry.register(subject, V1);

    assertThatThrownBy(() -> registry.deleteSubjectPermanently(subject))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e ->
                assertThat(e.kind())
                    .isEqualTo(SchemaRegistryException.Kind.SUBJECT_NOT_SOFT_DELETED));
    assertThat(registry.deleteSubject(subject)).containsExactly(r.version());
    assertThat(registry.subjects()).doesNotContain(subject);
    assertThat(client().lookup(subject, V1)).isEmpty();
    assertThatThrownBy(() -> client().versions(subject))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SUBJECT_NOT_FOUND));
    assertThat(client().schemaById(r.id())).isEqualTo(V1); // records stay readable
    assertThatThrownBy(() -> registry.deleteSubject(subject))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SUBJECT_SOFT_DELETED));

    RegisteredSchema again = client().register(subject, V1);
    assertThat(again.id()).isEqualTo(r.id());
    assertThat(client().subjects()).contains(subject);

    registry.deleteSubject(subject);
    assertThat(registry.deleteSubjectPermanently(subject)).isNotEmpty();
    assertThatThrownBy(() -> client().versions(subject))
        .isInstanceOf(SchemaRegistryException.class);
  }

  @Test
  void failsOverFromADeadUrl() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    SchemaRegistry registry =
        RestSchemaRegistry.builder("http://127.0.0.1:" + dead + "/apis/ccompat/v7", server.url())
            .retries(2, Duration.ofMillis(10), Duration.ofMillis(50))
            .build();
    assertThat(registry.register(subject(), V1).id()).isPositive();
  }

  @DataProduct(
      domain = "registry",
      name = "parcel-sent",
      version = "1.0",
      owner = "team-shipping",
      description = "A parcel.")
  record ParcelSent(@Key @Doc("Id") String id, @Doc("Grams") int grams) {}

  @DataProduct(
      domain = "registry",
      name = "parcel-lost",
      version = "1.0",
      owner = "team-shipping",
      description = "A lost parcel.")
  record ParcelLost(@Key @Doc("Id") String id) {}

  @DataProduct(
      domain = "registry",
      name = "parcel-found",
      version = "1.0",
      owner = "team-shipping",
      description = "A found parcel.")
  record ParcelFound(@Key @Doc("Id") String id) {}

  @Test
  void producesAndConsumesThroughTheRealRegistryAndSurvivesItsOutage() throws Exception {
    try (Mesh mesh =
        Mesh.fromMap(
            Map.of(
                "mesh.application", "registry-it",
                "bootstrap.servers", Broker.shared().bootstrapServers(),
                "schema.registry.url", server.url()))) {
      MeshProducer<ParcelSent> producer = mesh.producer(ParcelSent.class);
      List<ConsumedEvent<ParcelSent>> received = new CopyOnWriteArrayList<>();
      mesh.consumer(ParcelSent.class).group("tracking").handle(received::add).start();
      producer.send(new ParcelSent("p-1", 500)).get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
      assertThat(received.get(0).header("ce_dataschema"))
          .contains(server.url() + "/schemas/ids/" + producer.schemaId());

      server.stop();
      try {
        // cached schemas keep producing and consuming
        producer.send(new ParcelSent("p-2", 700)).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 2);
        assertThat(received.get(1).value()).isEqualTo(new ParcelSent("p-2", 700));
        // a new schema cannot be registered: a clear, retriable error
        assertThatThrownBy(() -> mesh.producer(ParcelLost.class))
            .isInstanceOfSatisfying(
                SchemaRegistryException.class, e -> assertThat(e.isRetriable()).isTrue());
      } finally {
        server.start();
      }
      // work resumes when it comes back
      assertThat(
              mesh.producer(ParcelFound.class)
                  .send(new ParcelFound("f-1"))
                  .get(30, TimeUnit.SECONDS)
                  .offset())
          .isNotNegative();
    }
  }

  @DataProduct(
      domain = "registry",
      name = "parcel-verified",
      version = "1.0",
      owner = "team-shipping",
      description = "A check.")
  record ParcelVerified(@Key @Doc("Id") String id) {}

  @Test
  void verifyModeFailsAtProducerCreationNamingTheSubject() {
    try (Mesh mesh =
        Broker.mesh("verifier", new io.meshsdk.registry.InMemorySchemaRegistry())
            .schemaRegistry(client())
            .registration(RegistrationMode.VERIFY)
            .build()) {
      assertThatThrownBy(() -> mesh.producer(ParcelVerified.class))
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining("registry.parcel-verified.v1-value")
          .hasMessageContaining("VERIFY");
    }
  }
}
