package io.meshsdk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DefaultValue;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.producer.SendResult;
import io.meshsdk.registry.internal.LockedSchemaRegistry;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.testkit.memory.InMemoryKafka;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract lock: written from a registry, read back, checked against the registry at start-up,
 * and used instead of the registry when it cannot be reached. The unreachable registry here is a
 * real REST client pointed at a closed port; {@code ContractLockOutageIT} stops a real registry
 * server.
 */
class ContractLockTest {
  @DataProduct(
      domain = "lock",
      name = "reading",
      version = "1.1",
      owner = "team-lock",
      description = "A reading.")
  public record Reading(
      @Key @Doc("Meter") String meter, @Doc("Value") @DefaultValue("0") long value) {}

  /** The first version of the reading, kept under the same record name. */
  public static final class V10 {
    private V10() {}

    @DataProduct(
        domain = "lock",
        name = "reading",
        version = "1.0",
        owner = "team-lock",
        description = "A reading.")
    public record Reading(@Key @Doc("Meter") String meter) {}
  }

  @DataProduct(
      domain = "lock",
      name = "alarm",
      version = "1.0",
      owner = "team-lock",
      description = "An alarm.")
  public record Alarm(@Key @Doc("Meter") String meter) {}

  private static final ProductContract<Reading> READING = ProductContract.of(Reading.class);
  private static final ProductContract<V10.Reading> READING_10 =
      ProductContract.of(V10.Reading.class);
  private static final ProductContract<Alarm> ALARM = ProductContract.of(Alarm.class);

  @TempDir Path dir;

  /** A registry holding both versions of the reading and the alarm, as CI would leave it. */
  private static InMemorySchemaRegistry registered(String prefix) {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.setCompatibility(
        ContractLock.subjectOf(READING, prefix), Compatibility.BACKWARD_TRANSITIVE);
    registry.register(ContractLock.subjectOf(READING_10, prefix), READING_10.schema());
    registry.register(ContractLock.subjectOf(READING, prefix), READING.schema());
    registry.register(ContractLock.subjectOf(ALARM, prefix), ALARM.schema());
    return registry;
  }

  @Test
  void aLockHoldsEveryVersionOfEachProductsSubjectAndReadsBackEqual() {
    InMemorySchemaRegistry registry = registered("");
    ContractLock lock = ContractLock.create(registry, "", "", List.of(READING, ALARM));

    String subject = "lock.reading.v1-value";
    assertThat(lock.subjects()).containsExactly("lock.alarm.v1-value", subject);
    assertThat(lock.products())
        .containsEntry("lock.reading.v1", subject)
        .containsEntry("lock.alarm.v1", "lock.alarm.v1-value");
    assertThat(lock.versions(subject)).extracting(RegisteredSchema::version).containsExactly(1, 2);
    assertThat(lock.find(subject, READING.schema())).contains(registry.latest(subject));
    assertThat(lock.schemaById(registry.version(subject, 1).id())).contains(READING_10.schema());
    assertThat(lock.compatibility(subject)).contains(Compatibility.BACKWARD_TRANSITIVE);
    assertThat(lock.ownCompatibility(subject)).contains(Compatibility.BACKWARD_TRANSITIVE);
    assertThat(lock.ownCompatibility("lock.alarm.v1-value")).isEmpty();

    Path file = dir.resolve("nested/contracts.lock.json");
    lock.write(file);
    ContractLock read = ContractLock.read(file);
    assertThat(read).isEqualTo(lock);
    assertThat(read.toJson()).isEqualTo(lock.toJson());
    assertThat(lock.mismatches(registry)).isEmpty();
  }

  @Test
  void lockingAProductWhoseSchemaIsNotRegisteredNamesIt() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.register(ContractLock.subjectOf(ALARM, ""), ALARM.schema());
    assertThatThrownBy(() -> ContractLock.create(registry, "", "", List.of(ALARM, READING)))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("lock.reading version 1.1")
        .hasMessageContaining("not registered under subject 'lock.reading.v1-value'")
        .hasMessageNotContaining("lock.alarm");
  }

  @Test
  void aRegistryThatDisagreesWithTheLockFailsStartUpNamingEachDifference() {
    ContractLock lock = ContractLock.create(registered(""), "", "", List.of(READING));
    // another registry: the same schemas under other ids, and a weaker mode
    InMemorySchemaRegistry other = new InMemorySchemaRegistry();
    other.register("unrelated-value", ALARM.schema());
    other.register(ContractLock.subjectOf(READING, ""), READING.schema());
    other.setCompatibility(ContractLock.subjectOf(READING, ""), Compatibility.FORWARD);

    assertThatThrownBy(() -> onMemoryKafka(new InMemoryKafka(), other).contractLock(lock).build())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("does not match the schema registry")
        .hasMessageContaining("'lock.reading.v1-value' version 1 (id 1) is not in the registry")
        .hasMessageContaining(
            "the lock has version 2 with id 2, the registry has version 1 with id 2")
        .hasMessageContaining(
            "written under compatibility BACKWARD_TRANSITIVE, the registry now holds it to FORWARD");
  }

  @Test
  void withAnUnreachableRegistryLockedProducersAndConsumersRunFromTheLock() throws IOException {
    InMemorySchemaRegistry ci = registered("");
    InMemoryKafka kafka = new InMemoryKafka();
    String unreachable = "http://127.0.0.1:" + closedPort();
    // the lock records the registry it was written for (here: the one that is now down)
    ContractLock lock =
        ContractLock.create(
            ci, "http://user:pw@127.0.0.1:" + port(unreachable) + "/", "", List.of(READING));
    assertThat(lock.registry()).containsExactly(unreachable);
    Path file = dir.resolve("contracts.lock.json");
    lock.write(file);
    assertThat(Files.readString(file)).doesNotContain("pw");

    // a lock written for another registry cannot be trusted while this one is down
    Path staging = dir.resolve("staging.lock.json");
    ContractLock.create(ci, "https://registry.staging:8081", "", List.of(READING)).write(staging);
    assertThatThrownBy(
            () ->
                onUrl(kafka, unreachable)
                    .properties(Map.of(MeshBuilder.CONTRACT_LOCK, staging.toString()))
                    .build())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("written against [https://registry.staging:8081]")
        .hasMessageContaining("not this mesh's registry [" + unreachable + "]");

    // without the lock, a new producer cannot start while the registry is down
    try (Mesh noLock = onUrl(kafka, unreachable).noContractLock().build()) {
      assertThatThrownBy(() -> noLock.producer(Reading.class))
          .isInstanceOf(SchemaRegistryException.class)
          .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
    }

    List<Long> handled = new CopyOnWriteArrayList<>();
    try (Mesh mesh =
        onUrl(kafka, unreachable)
            .properties(Map.of(MeshBuilder.CONTRACT_LOCK, file.toString()))
            .build()) {
      MeshProducer<Reading> producer = mesh.producer(Reading.class);
      SendResult sent = producer.send(new Reading("m-1", 7)).join();
      assertThat(sent.schemaId()).isEqualTo(ci.latest("lock.reading.v1-value").id());

      MeshConsumer<Reading> consumer =
          mesh.consumer(Reading.class)
              .group("billing")
              .startFrom(StartPosition.earliest())
              .handle(e -> handled.add(e.value().value()))
              .start();
      for (long i = 8; i < 12; i++) {
        producer.send(new Reading("m-1", i)).join();
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 5);
      assertThat(handled).containsExactly(7L, 8L, 9L, 10L, 11L);
      assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
    }
  }

  @Test
  void aLockOnTheClassPathIsFoundAndTwoThatDisagreeAreAMistake() throws IOException {
    ContractLock lock = ContractLock.create(registered(""), "", "", List.of(READING));
    Path a = dir.resolve("a");
    lock.write(a.resolve(ContractLock.RESOURCE));
    try (URLClassLoader one = new URLClassLoader(new URL[] {a.toUri().toURL()}, null)) {
      assertThat(ContractLock.fromClassPath(one)).contains(lock);
    }
    Path b = dir.resolve("b");
    ContractLock.create(registered(""), "", "", List.of(ALARM))
        .write(b.resolve(ContractLock.RESOURCE));
    try (URLClassLoader both =
        new URLClassLoader(new URL[] {a.toUri().toURL(), b.toUri().toURL()}, null)) {
      // different subjects merge
      assertThat(ContractLock.fromClassPath(both).orElseThrow().subjects())
          .containsExactly("lock.alarm.v1-value", "lock.reading.v1-value");
    }
    // one product under two subjects (another topic prefix): a mistake
    Path prefixed = dir.resolve("prefixed");
    ContractLock.create(registered("x."), "", "x.", List.of(READING))
        .write(prefixed.resolve(ContractLock.RESOURCE));
    try (URLClassLoader twoPrefixes =
        new URLClassLoader(new URL[] {a.toUri().toURL(), prefixed.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> ContractLock.fromClassPath(twoPrefixes))
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining(
              "locks product lock.reading.v1 under subject 'x.lock.reading.v1-value'");
    }
    Path c = dir.resolve("c");
    InMemorySchemaRegistry shifted = new InMemorySchemaRegistry();
    shifted.register("unrelated-value", ALARM.schema());
    shifted.register(ContractLock.subjectOf(READING, ""), READING.schema());
    ContractLock.create(shifted, "", "", List.of(READING)).write(c.resolve(ContractLock.RESOURCE));
    try (URLClassLoader clash =
        new URLClassLoader(new URL[] {a.toUri().toURL(), c.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> ContractLock.fromClassPath(clash))
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining("locks version 1 of subject 'lock.reading.v1-value' with id");
    }
    // a library locked only the first version: the application's lock has both; they merge
    InMemorySchemaRegistry first = new InMemorySchemaRegistry();
    first.setCompatibility(ContractLock.subjectOf(READING, ""), Compatibility.BACKWARD_TRANSITIVE);
    first.register(ContractLock.subjectOf(READING_10, ""), READING_10.schema());
    Path library = dir.resolve("library");
    ContractLock.create(first, "", "", List.of(READING_10))
        .write(library.resolve(ContractLock.RESOURCE));
    try (URLClassLoader merged =
        new URLClassLoader(new URL[] {library.toUri().toURL(), a.toUri().toURL()}, null)) {
      assertThat(ContractLock.fromClassPath(merged).orElseThrow().versions("lock.reading.v1-value"))
          .isEqualTo(lock.versions("lock.reading.v1-value"));
    }
    try (URLClassLoader none = new URLClassLoader(new URL[0], null)) {
      assertThat(ContractLock.fromClassPath(none)).isEmpty();
    }
  }

  @Test
  void anUnreadableOrForeignLockFileIsAConfigurationProblem() throws IOException {
    Path foreign = dir.resolve("package-lock.json");
    Files.writeString(foreign, "{\"lockfileVersion\": 3}");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"meshContractLock\": 1, \"subjects\": [{\"subject\": 3}]}");
    Path badDefault = dir.resolve("bad-default.json");
    Files.writeString(
        badDefault,
        "{\"meshContractLock\": 1, \"subjects\": [{\"subject\": \"s\", \"compatibility\":"
            + " \"BACKWARD\", \"versions\": [{\"version\": 1, \"id\": 1, \"schema\":"
            + " \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R\\\",\\\"fields\\\":"
            + "[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"int\\\",\\\"default\\\":\\\"x\\\"}]}\"}]}]}");
    for (Path p : List.of(foreign, broken, badDefault, dir.resolve("missing.json"))) {
      assertThatThrownBy(
              () ->
                  onMemoryKafka(new InMemoryKafka(), new InMemorySchemaRegistry())
                      .properties(Map.of(MeshBuilder.CONTRACT_LOCK, p.toString()))
                      .build())
          .isInstanceOf(MeshConfigurationException.class)
          .hasMessageContaining(MeshBuilder.CONTRACT_LOCK + ": ")
          .hasMessageContaining(p.getFileName().toString());
    }
  }

  @Test
  void theLockAnswersLockedSubjectsWithoutAskingTheRegistry() {
    InMemorySchemaRegistry registry = registered("");
    ContractLock lock = ContractLock.create(registry, "", "", List.of(READING));
    var locked = LockedSchemaRegistry.start(registry, lock, List.of());
    String subject = "lock.reading.v1-value";
    int id = registry.latest(subject).id();
    registry.deleteSubject(subject); // the registry forgets; the lock does not
    assertThat(locked.lookup(subject, READING.schema())).map(RegisteredSchema::id).contains(id);
    assertThat(locked.register(subject, READING.schema()).id()).isEqualTo(id);
    // modes can change: they are asked of the registry while it answers
    registry.setCompatibility(subject, Compatibility.FULL_TRANSITIVE);
    assertThat(locked.compatibility(subject)).isEqualTo(Compatibility.FULL_TRANSITIVE);
    assertThat(locked.subjectCompatibility(subject)).contains(Compatibility.FULL_TRANSITIVE);
    assertThat(locked.version(subject, 1).schema()).isEqualTo(READING_10.schema());
    Schema unlocked = ALARM.schema();
    assertThat(locked.lookup("lock.alarm.v1-value", unlocked)).isPresent(); // asked the registry
  }

  @Test
  void aMismatchFoundBeforeTheRegistryFailsIsNotForgotten() {
    ContractLock lock = ContractLock.create(registered(""), "", "", List.of(READING, ALARM));
    InMemorySchemaRegistry other = new InMemorySchemaRegistry();
    other.register(ContractLock.subjectOf(ALARM, ""), READING_10.schema()); // the alarm: not there
    assertThat(lock.mismatches(flapping(other)))
        .hasSize(2)
        .first()
        .asString()
        .contains("'lock.alarm.v1-value' version 1");
    assertThatThrownBy(() -> LockedSchemaRegistry.start(flapping(other), lock, List.of()))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("does not match")
        .hasMessageContaining(
            "the check stopped early, the registry failed: 503 from the balancer");
  }

  /** A registry that fails (retriable) after its first answer: a flapping load balancer. */
  private static SchemaRegistry flapping(SchemaRegistry registry) {
    AtomicInteger calls = new AtomicInteger();
    return (SchemaRegistry)
        Proxy.newProxyInstance(
            ContractLockTest.class.getClassLoader(),
            new Class<?>[] {SchemaRegistry.class},
            (proxy, method, args) -> {
              if (calls.incrementAndGet() > 1) {
                throw new SchemaRegistryException(
                    SchemaRegistryException.Kind.UNAVAILABLE, "503 from the balancer");
              }
              return method.invoke(registry, args);
            });
  }

  private static MeshBuilder onMemoryKafka(InMemoryKafka kafka, SchemaRegistry registry) {
    return Mesh.builder()
        .application("lock-test")
        .bootstrapServers("in-memory:9092")
        .schemaRegistry(registry)
        .kafkaClientFactory(KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin));
  }

  private static MeshBuilder onUrl(InMemoryKafka kafka, String url) {
    return Mesh.builder()
        .properties(
            Map.of(
                "mesh.application",
                "lock-test",
                "bootstrap.servers",
                "in-memory:9092",
                "schema.registry.url",
                url,
                "mesh.registration",
                "VERIFY",
                MeshBuilder.REGISTRY_TIMEOUT_MS,
                "300"))
        .kafkaClientFactory(KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin));
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
