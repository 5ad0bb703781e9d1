package io.meshsdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DataSubject;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.governance.GovernanceReport;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.IncompatibleSchemaException;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.serde.ProductCodec;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.testkit.memory.InMemoryKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Field-level encryption and crypto-shredding on the in-memory Kafka: what producers write, what
 * consumers with, without and with the wrong key read, and a shredded subject. The real broker is
 * in {@code FieldEncryptionIT} (integration-tests).
 */
class FieldEncryptionTest {
  @DataProduct(
      domain = "crm",
      name = "customer-registered",
      version = "1.0",
      owner = "team-crm",
      description = "A customer registered.")
  public record CustomerRegistered(
      @Key @DataSubject @Doc("Customer") String customerId,
      @Pii(encrypted = true) @Doc("Email") String email,
      @Pii(value = PiiLevel.SENSITIVE, encrypted = true) @Doc("Birth year")
          @Nullable Integer birthYear,
      @Doc("Country") String country) {}

  @DataProduct(
      domain = "crm",
      name = "payment-set",
      version = "1.0",
      owner = "team-crm",
      description = "A payment method.")
  public record PaymentSet(
      @Key @Doc("Id") String id, @Pii(encrypted = true) @Doc("IBAN") String iban) {}

  @DataProduct(
      domain = "crm",
      name = "contact-set",
      version = "1.0",
      owner = "team-crm",
      description = "A contact.",
      schemaName = "crm.Contact",
      compatibility = Compatibility.NONE)
  public record ContactV10(
      @Key @Doc("Id") String id,
      @Pii @Doc("Email") String email,
      @Pii(encrypted = true) @Doc("Birth year") @Nullable Integer birthYear) {}

  /** Within the same major: the e-mail address becomes encrypted. */
  @DataProduct(
      domain = "crm",
      name = "contact-set",
      version = "1.1",
      owner = "team-crm",
      description = "A contact.",
      schemaName = "crm.Contact",
      compatibility = Compatibility.NONE)
  public record ContactV11(
      @Key @Doc("Id") String id,
      @Pii(encrypted = true) @Doc("Email") String email,
      @Pii(encrypted = true) @Doc("Birth year") @Nullable Integer birthYear) {}

  /** Within the same major: the encrypted birth year's clear type changes. */
  @DataProduct(
      domain = "crm",
      name = "contact-set",
      version = "1.2",
      owner = "team-crm",
      description = "A contact.",
      schemaName = "crm.Contact",
      compatibility = Compatibility.NONE)
  public record ContactV12(
      @Key @Doc("Id") String id,
      @Pii @Doc("Email") String email,
      @Pii(encrypted = true) @Doc("Birth year") @Nullable Long birthYear) {}

  /** Counts the KMS calls: the key layer must keep them off the per-record path. */
  static final class CountingKms implements KeyManagementService {
    final KeyManagementService kms;
    final AtomicInteger calls = new AtomicInteger();

    CountingKms(KeyManagementService kms) {
      this.kms = kms;
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] associatedData) {
      calls.incrementAndGet();
      return kms.wrap(dataKey, associatedData);
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) {
      calls.incrementAndGet();
      return kms.unwrap(wrappedKey, associatedData);
    }
  }

  private final InMemoryKafka kafka = new InMemoryKafka();
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final CountingKms kms = new CountingKms(LocalKeyManagementService.generate());
  private final InMemoryDataKeyStore keys = new InMemoryDataKeyStore();
  private final List<Mesh> meshes = new java.util.ArrayList<>();

  @AfterEach
  void close() {
    meshes.forEach(Mesh::close);
  }

  private Mesh mesh(String application, @Nullable FieldEncryption encryption) {
    MeshBuilder b =
        Mesh.builder()
            .application(application)
            .bootstrapServers("in-memory:9092")
            .schemaRegistry(registry)
            .kafkaClientFactory(
                KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin));
    if (encryption != null) {
      b.fieldEncryption(encryption);
    }
    Mesh m = b.build();
    meshes.add(m);
    return m;
  }

  private Map<String, ConsumedEvent<CustomerRegistered>> readAll(Mesh mesh, String group, int n) {
    Map<String, ConsumedEvent<CustomerRegistered>> read = new ConcurrentHashMap<>();
    MeshConsumer<CustomerRegistered> consumer =
        mesh.consumer(CustomerRegistered.class)
            .group(group)
            .startFrom(StartPosition.earliest())
            .handle(e -> read.put(e.value().customerId(), e))
            .start();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == n);
    consumer.close();
    return read;
  }

  @Test
  void theSchemaShowsEncryptedFieldsAsBytesWithTheirClearSchema() {
    Schema schema = ProductContract.of(CustomerRegistered.class).schema();
    Schema.Field email = schema.getField("email");
    assertThat(email.schema().getType()).isEqualTo(Schema.Type.BYTES);
    assertThat(email.getProp("mesh.encrypted")).isEqualTo("mesh-envelope-v1/tink-aead");
    assertThat(email.getProp("mesh.clear.schema")).isEqualTo("\"string\"");
    assertThat(email.getProp("mesh.pii")).isEqualTo("PERSONAL");
    assertThat(schema.getField("birthYear").getProp("mesh.clear.schema"))
        .isEqualTo("[\"null\",\"int\"]");
    assertThat(schema.getField("country").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(ProductContract.of(CustomerRegistered.class).encryptedFields())
        .containsExactly("email", "birthYear");
    assertThat(ProductContract.of(CustomerRegistered.class).hasDataSubject()).isTrue();
  }

  @Test
  void aConsumerWithTheKeyReadsTheClearValueAndTheTopicHoldsOnlyCiphertext() {
    FieldEncryption encryption = FieldEncryption.of(kms, keys);
    MeshProducer<CustomerRegistered> producer =
        mesh("crm", encryption).producer(CustomerRegistered.class);
    producer.send(new CustomerRegistered("c-1", "ada@example.com", 1815, "GB")).join();
    producer.send(new CustomerRegistered("c-2", "alan@example.com", null, "GB")).join();

    for (ConsumerRecord<byte[], byte[]> r : kafka.records(producer.topic())) {
      String raw = new String(r.value(), StandardCharsets.ISO_8859_1);
      assertThat(raw).doesNotContain("example.com").contains("GB");
    }
    Map<String, ConsumedEvent<CustomerRegistered>> read =
        readAll(mesh("billing", encryption), "billing", 2);
    assertThat(read.get("c-1").value())
        .isEqualTo(new CustomerRegistered("c-1", "ada@example.com", 1815, "GB"));
    assertThat(read.get("c-2").value().birthYear()).isNull();
    assertThat(read.get("c-1").withheldFields()).isEmpty();
    assertThat(keys.size()).as("one data key per subject").isEqualTo(2);
  }

  @Test
  void aConsumerWithoutTheKeyGetsTheFieldsEmptyAndMarkedWithoutFailing() {
    MeshProducer<CustomerRegistered> producer =
        mesh("crm", FieldEncryption.of(kms, keys)).producer(CustomerRegistered.class);
    producer.send(new CustomerRegistered("c-1", "ada@example.com", 1815, "GB")).join();

    // no field encryption at all, and a mesh whose KMS holds another key-encryption key
    for (Mesh reader :
        List.of(
            mesh("analytics", null),
            mesh("partner", FieldEncryption.of(LocalKeyManagementService.generate(), keys)))) {
      ConsumedEvent<CustomerRegistered> e = readAll(reader, reader.application(), 1).get("c-1");
      assertThat(e.value()).isEqualTo(new CustomerRegistered("c-1", null, null, "GB"));
      assertThat(e.withheldFields()).containsExactly("email", "birthYear");
    }
  }

  @Test
  void shreddingASubjectMakesOnlyItsEncryptedFieldsUnreadableInTheWholeHistory() {
    FieldEncryption encryption = FieldEncryption.of(kms, keys);
    Mesh crm = mesh("crm", encryption);
    MeshProducer<CustomerRegistered> producer = crm.producer(CustomerRegistered.class);
    for (String c : List.of("c-1", "c-2", "c-3")) {
      producer.send(new CustomerRegistered(c, c + "@example.com", 1990, "DE")).join();
    }
    assertThat(crm.forgetSubject(CustomerRegistered.class, "c-2")).isTrue();
    assertThat(crm.forgetSubject(CustomerRegistered.class, "c-2")).isFalse();

    Map<String, ConsumedEvent<CustomerRegistered>> read =
        readAll(mesh("audit", encryption), "audit", 3);
    assertThat(read.get("c-1").value().email()).isEqualTo("c-1@example.com");
    assertThat(read.get("c-3").withheldFields()).isEmpty(); // nothing carried over from c-2
    assertThat(read.get("c-3").value().email()).isEqualTo("c-3@example.com");
    assertThat(read.get("c-2").value()).isEqualTo(new CustomerRegistered("c-2", null, null, "DE"));
    assertThat(read.get("c-2").withheldFields()).containsExactly("email", "birthYear");
    // a shredded subject's key is never created again
    assertThatThrownBy(
            () -> producer.send(new CustomerRegistered("c-2", "new@example.com", 1990, "DE")))
        .hasMessageContaining("shredded");
  }

  @Test
  void aConsumerThatMustNotMissAKeyDeadLettersTheRecordWithItsEncryptedBytes() {
    MeshProducer<CustomerRegistered> producer =
        mesh("crm", FieldEncryption.of(kms, keys)).producer(CustomerRegistered.class);
    producer.send(new CustomerRegistered("c-1", "ada@example.com", 1815, "GB")).join();
    byte[] original = kafka.records(producer.topic()).get(0).value();

    Mesh strict =
        mesh(
            "partner",
            FieldEncryption.of(LocalKeyManagementService.generate(), keys).failOnMissingKey());
    List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
    MeshConsumer<CustomerRegistered> consumer =
        strict
            .consumer(CustomerRegistered.class)
            .group("partner")
            .startFrom(StartPosition.earliest())
            .maxAttempts(1)
            .handle(e -> handled.add(e.value().customerId()))
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kafka.records(consumer.deadLetterTopic()).size() == 1);
    ConsumerRecord<byte[], byte[]> dead = kafka.records(consumer.deadLetterTopic()).get(0);
    assertThat(dead.value())
        .isEqualTo(original); // still encrypted: the dead letter holds no clear PII
    String reason =
        new String(dead.headers().lastHeader("mesh.dlq.message").value(), StandardCharsets.UTF_8);
    assertThat(reason).doesNotContain("ada@example.com");
    assertThat(dead.headers().lastHeader("mesh.dlq.reason").value())
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("key_unavailable");
    assertThat(handled).isEmpty();
  }

  /** A KMS that can be taken down: every call fails as an outage (retriable) meanwhile. */
  static final class FlakyKms implements KeyManagementService {
    final KeyManagementService kms;
    volatile boolean down;
    final AtomicInteger refused = new AtomicInteger();

    FlakyKms(KeyManagementService kms) {
      this.kms = kms;
    }

    private void check() {
      if (down) {
        refused.incrementAndGet();
        throw new KeyManagementException("the test KMS is down", null, true);
      }
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] associatedData) {
      check();
      return kms.wrap(dataKey, associatedData);
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) {
      check();
      return kms.unwrap(wrappedKey, associatedData);
    }
  }

  @Test
  void aKmsOutageMakesTheConsumerWaitNotReadFieldsAsWithheldNorDeadLetter() {
    LocalKeyManagementService kek = LocalKeyManagementService.generate();
    MeshProducer<CustomerRegistered> producer =
        mesh("crm", FieldEncryption.of(kek, keys)).producer(CustomerRegistered.class);
    int produced = 5;
    for (int i = 0; i < produced; i++) {
      producer.send(new CustomerRegistered("c-" + i, "c" + i + "@example.com", 1990, "DE")).join();
    }
    // a consumer in another process: its key cache is cold and its KMS is down
    FlakyKms flaky = new FlakyKms(kek);
    flaky.down = true;
    Map<String, ConsumedEvent<CustomerRegistered>> read = new ConcurrentHashMap<>();
    MeshConsumer<CustomerRegistered> consumer =
        mesh("billing", FieldEncryption.of(flaky, keys))
            .consumer(CustomerRegistered.class)
            .group("billing")
            .startFrom(StartPosition.earliest())
            .maxAttempts(1)
            .handle(e -> read.put(e.value().customerId(), e))
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> consumer.state() == MeshConsumer.State.WAITING_FOR_KEYS);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> flaky.refused.get() >= 3);
    assertThat(read).as("nothing handled, so nothing read as withheld").isEmpty();
    assertThat(kafka.records(consumer.deadLetterTopic())).isEmpty();

    flaky.down = false; // the KMS is back: every record is read in clear, none lost
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == produced);
    assertThat(read.values())
        .allSatisfy(
            e -> {
              assertThat(e.withheldFields()).isEmpty();
              assertThat(e.value().email()).endsWith("@example.com");
            });
    assertThat(consumer.state()).isEqualTo(MeshConsumer.State.RUNNING);
    assertThat(kafka.records(consumer.deadLetterTopic())).isEmpty();
  }

  @Test
  void aKmsOutageFailsTheSendAsRetriableAndTheNextSendSucceeds() {
    FlakyKms flaky = new FlakyKms(LocalKeyManagementService.generate());
    MeshProducer<CustomerRegistered> producer =
        mesh("crm", FieldEncryption.of(flaky, keys)).producer(CustomerRegistered.class);
    flaky.down = true;
    assertThatThrownBy(
            () -> producer.send(new CustomerRegistered("c-1", "ada@example.com", 1815, "GB")))
        .isInstanceOfSatisfying(
            KeyManagementException.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageNotContaining("ada@example.com");
    flaky.down = false;
    producer.send(new CustomerRegistered("c-1", "ada@example.com", 1815, "GB")).join();
    assertThat(kafka.records(producer.topic())).hasSize(1);
  }

  @Test
  void changingEncryptionWithinAMajorIsIncompatibleThoughAvroSeesOnlyBytes() {
    Schema v10 = ProductContract.of(ContactV10.class).schema();
    Schema v11 = ProductContract.of(ContactV11.class).schema();
    Schema v12 = ProductContract.of(ContactV12.class).schema();
    // what a snapshot check, the in-memory registry and mesh:verify report
    assertThat(Compatibility.BACKWARD.check(v11, List.of(v10)).issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.kind()).isEqualTo("MESH_ENCRYPTED_FIELD_CHANGED");
              assertThat(i.detail()).contains("'email'").contains("new major");
            });
    assertThat(Compatibility.FORWARD.check(v11, List.of(v10)).issues()).hasSize(1);
    assertThat(Compatibility.BACKWARD.check(v12, List.of(v10)).issues())
        .singleElement()
        .satisfies(i -> assertThat(i.detail()).contains("'birthYear'").contains("\"long\""));
    assertThat(Compatibility.BACKWARD.check(v10, List.of(v10)).isCompatible()).isTrue();
  }

  @Test
  void aReaderNeverTakesCiphertextForAValueNorAClearValueForAnEnvelope() {
    FieldEncryption encryption = FieldEncryption.of(kms, keys);
    ProductCodec<ContactV10> clearEmail =
        ProductCodec.of(ProductContract.of(ContactV10.class), encryption);
    ProductCodec<ContactV11> encryptedEmail =
        ProductCodec.of(ProductContract.of(ContactV11.class), encryption);
    byte[] encrypted = encryptedEmail.encode(new ContactV11("k-1", "ada@example.com", 1815));
    byte[] clear = clearEmail.encode(new ContactV10("k-1", "ada@example.com", 1815));

    assertThatThrownBy(() -> clearEmail.decode(encrypted, encryptedEmail.schema()))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(RecordDecodingException.Reason.INCOMPATIBLE_WRITER_SCHEMA))
        .hasMessageContaining("encrypted by the writer but in clear for the reader");
    assertThatThrownBy(() -> encryptedEmail.decode(clear, clearEmail.schema()))
        .isInstanceOf(RecordDecodingException.class)
        .hasMessageContaining("encrypted for the reader but in clear for the writer");
    // the same Avro shape (bytes), another clear type: Avro's fingerprint cannot tell them apart
    ProductCodec<ContactV12> longYear =
        ProductCodec.of(ProductContract.of(ContactV12.class), encryption);
    assertThat(org.apache.avro.SchemaNormalization.parsingFingerprint64(longYear.schema()))
        .isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(clearEmail.schema()));
    byte[] longWritten = longYear.encode(new ContactV12("k-1", "ada@example.com", 1815L));
    assertThatThrownBy(() -> clearEmail.decode(longWritten, longYear.schema()))
        .isInstanceOf(RecordDecodingException.class)
        .hasMessageContaining("clear schema of encrypted field 'birthYear'");
  }

  @Test
  void aProducerRefusesToTurnOnEncryptionWithinAMajorEvenWhenTheRegistryWouldAccept() {
    Mesh crm =
        Mesh.builder()
            .application("crm")
            .bootstrapServers("in-memory:9092")
            .schemaRegistry(registry)
            .kafkaClientFactory(
                KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin))
            .fieldEncryption(FieldEncryption.of(kms, keys))
            .governance(GovernancePolicy.builder().compatibilityFloor(Compatibility.NONE).build())
            .build();
    meshes.add(crm);
    crm.producer(ContactV10.class).send(new ContactV10("k-1", "ada@example.com", 1815)).join();
    // the products declare NONE: the registry takes any schema, as a server checking only Avro
    // types would take bytes for string
    assertThatThrownBy(() -> crm.producer(ContactV11.class))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("'email'")
        .hasMessageContaining("needs a new major");
    assertThatThrownBy(() -> crm.producer(ContactV12.class))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("clear schema of encrypted field 'birthYear'");
  }

  @Test
  void afterWarmUpNoRecordCallsTheKms() {
    FieldEncryption encryption = FieldEncryption.of(kms, keys);
    MeshProducer<PaymentSet> producer = mesh("pay", encryption).producer(PaymentSet.class);
    producer.send(new PaymentSet("p-0", "DE89370400440532013000")).join();
    int warm = kms.calls.get();
    for (int i = 1; i <= 1000; i++) {
      producer.send(new PaymentSet("p-" + i, "DE89370400440532013000")).join();
    }
    assertThat(kms.calls.get()).as("KMS calls for 1,000 more records").isEqualTo(warm);
  }

  @Test
  void producingAnEncryptedFieldWithoutFieldEncryptionFailsNamingTheSetting() {
    MeshProducer<PaymentSet> producer = mesh("pay", null).producer(PaymentSet.class);
    assertThatThrownBy(() -> producer.send(new PaymentSet("p-1", "DE89370400440532013000")))
        .hasMessageContaining("fieldEncryption")
        .hasMessageNotContaining("DE8937");
    assertThat(kafka.records(producer.topic())).isEmpty();
  }

  @DataProduct(
      domain = "crm",
      name = "member-clear",
      version = "1.0",
      owner = "team-crm",
      description = "A member, its e-mail in clear.")
  public record MemberClear(
      @Key @Doc("Id") String id,
      @Pii @Doc("Email") String email,
      @Pii(value = PiiLevel.SENSITIVE) @Doc("IBAN") String iban) {}

  @Test
  void aPolicyCanRequireEncryptionForAPiiLevel() {
    GovernancePolicy policy =
        GovernancePolicy.builder().requireEncryption(PiiLevel.SENSITIVE).build();
    GovernanceReport clear = policy.evaluate(ProductContract.of(MemberClear.class));
    assertThat(clear.errors())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("pii-encrypted");
              assertThat(v.message())
                  .contains("field iban is SENSITIVE personal data and must be encrypted");
            });
    // the e-mail is PERSONAL, not required; the encrypted product passes
    assertThat(policy.evaluate(ProductContract.of(CustomerRegistered.class)).errors()).isEmpty();
    assertThat(GovernancePolicy.standard().ruleNames()).doesNotContain("pii-encrypted");
  }

  @DataProduct(domain = "crm", name = "bad", version = "1.0", owner = "o", description = "d")
  public record Bad(
      @Key @Pii(encrypted = true) String id,
      @Pii(encrypted = true) int age,
      @DataSubject @Nullable String who,
      @Pii(encrypted = true) @io.meshsdk.contract.DefaultValue("n/a") String note) {}

  @DataProduct(
      domain = "crm",
      name = "bad-subject",
      version = "1.0",
      owner = "o",
      description = "d")
  public record BadSubject(@Key String id, @DataSubject List<String> who) {}

  @Test
  void encryptionMistakesAreContractErrors() {
    assertThatThrownBy(() -> ProductContract.of(Bad.class))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("Bad.id: the @Key and the @DataSubject field cannot be encrypted")
        .hasMessageContaining("Bad.age: an encrypted field must be a reference type")
        .hasMessageContaining("Bad.who: the @DataSubject field must not be nullable")
        .hasMessageContaining("Bad.note: an encrypted field cannot have a @DefaultValue");
    assertThatThrownBy(() -> ProductContract.of(BadSubject.class))
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("must be a string, UUID or integral number");
  }
}
