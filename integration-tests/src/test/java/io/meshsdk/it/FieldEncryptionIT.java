package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DataSubject;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.InMemoryDataKeyStore;
import io.meshsdk.crypto.LocalKeyManagementService;
import io.meshsdk.producer.MeshProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Field-level encryption on the real broker and registry: records for several data subjects written
 * before and after a rotation of the key-encryption key, one subject shredded, then the whole topic
 * re-read from the beginning by fresh consumer groups, one holding the keys and one without them.
 * Every record is accounted for.
 */
class FieldEncryptionIT {
  @DataProduct(
      domain = "enc",
      name = "customer-registered",
      version = "1.0",
      owner = "team-crm",
      description = "A customer registered.")
  public record CustomerRegistered(
      @Key @DataSubject @Doc("Customer") String customerId,
      @Pii(encrypted = true) @Doc("Email") String email,
      @Pii(encrypted = true) @Doc("Phone") @Nullable String phone,
      @Doc("Country") String country) {}

  @DataProduct(
      domain = "enc",
      name = "card-added",
      version = "1.0",
      owner = "team-pay",
      description = "A payment card was added.")
  public record CardAdded(
      @Key @Doc("Card") String cardId, @Pii(encrypted = true) @Doc("PAN") String pan) {}

  private final String prefix = "e" + System.nanoTime() % 100_000 + ".";
  private final InMemoryDataKeyStore keys = new InMemoryDataKeyStore(); // shared by the services

  private Mesh mesh(String application, @Nullable FieldEncryption encryption) {
    var b = Broker.meshOnRegistry(application, prefix);
    if (encryption != null) {
      b.fieldEncryption(encryption);
    }
    return b.build();
  }

  private static Map<String, ConsumedEvent<CustomerRegistered>> readAll(
      Mesh mesh, String group, int expected) {
    Map<String, ConsumedEvent<CustomerRegistered>> read = new ConcurrentHashMap<>();
    try (MeshConsumer<CustomerRegistered> consumer =
        mesh.consumer(CustomerRegistered.class)
            .group(group)
            .startFrom(StartPosition.earliest())
            .handle(e -> read.put(e.value().customerId(), e))
            .start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == expected);
    }
    return read;
  }

  @Test
  void encryptionRotationShreddingAndAConsumerWithoutKeysOnTheBroker() throws Exception {
    LocalKeyManagementService kek = LocalKeyManagementService.generate();
    int produced = 0;
    String topic;
    // subjects c-0..c-5 before the rotation of the key-encryption key
    try (Mesh crm = mesh("crm", FieldEncryption.of(kek, keys))) {
      MeshProducer<CustomerRegistered> producer = crm.producer(CustomerRegistered.class);
      topic = producer.topic();
      for (; produced < 6; produced++) {
        producer
            .send(
                new CustomerRegistered(
                    "c-" + produced, "c" + produced + "@example.com", "+49-" + produced, "DE"))
            .get(30, TimeUnit.SECONDS);
      }
    }
    // the key-encryption key rotates: c-6..c-9 get data keys wrapped by the new primary key
    LocalKeyManagementService rotated =
        LocalKeyManagementService.fromKeysetJson(kek.rotate().keysetJson());
    FieldEncryption current = FieldEncryption.of(rotated, keys);
    try (Mesh crm = mesh("crm", current)) {
      MeshProducer<CustomerRegistered> producer = crm.producer(CustomerRegistered.class);
      for (; produced < 10; produced++) {
        producer
            .send(
                new CustomerRegistered(
                    "c-" + produced, "c" + produced + "@example.com", null, "FR"))
            .get(30, TimeUnit.SECONDS);
      }
      // the right to be forgotten: c-3
      assertThat(crm.forgetSubject(CustomerRegistered.class, "c-3")).isTrue();
    }

    // the log holds no clear e-mail address
    List<ConsumerRecord<byte[], byte[]>> raw =
        Broker.readAll(
            Broker.shared().bootstrapServers(), topic, produced, false, Duration.ofSeconds(30));
    assertThat(raw).hasSize(produced);
    for (ConsumerRecord<byte[], byte[]> r : raw) {
      assertThat(new String(r.value(), StandardCharsets.ISO_8859_1)).doesNotContain("example.com");
    }

    // a fresh group with the rotated keyset re-reads the whole history
    try (Mesh audit = mesh("audit", current)) {
      Map<String, ConsumedEvent<CustomerRegistered>> read = readAll(audit, "audit", produced);
      for (int i = 0; i < produced; i++) {
        ConsumedEvent<CustomerRegistered> e = read.get("c-" + i);
        if (i == 3) {
          assertThat(e.value().email()).isNull();
          assertThat(e.value().phone()).isNull();
          assertThat(e.value().country()).isEqualTo("DE");
          assertThat(e.withheldFields()).containsExactly("email", "phone");
        } else {
          assertThat(e.value().email()).isEqualTo("c" + i + "@example.com");
          assertThat(e.withheldFields()).isEmpty();
        }
      }
      assertThat(read.get("c-2").value().phone()).isEqualTo("+49-2"); // wrapped by the old key
      System.out.printf(
          "fault run, crypto-shredding: produced=%d handled=%d shredded-subject records=1"
              + " readable=%d lost=%d%n",
          produced, read.size(), read.size() - 1, produced - read.size());
    }

    // a consumer without field encryption reads every record, its encrypted fields empty
    try (Mesh analytics = mesh("analytics", null)) {
      Map<String, ConsumedEvent<CustomerRegistered>> read =
          readAll(analytics, "analytics", produced);
      assertThat(read.values())
          .allSatisfy(
              e -> {
                assertThat(e.value().email()).isNull();
                assertThat(e.withheldFields()).containsExactly("email", "phone");
                assertThat(e.value().country()).isIn("DE", "FR");
              });
    }
  }

  @Test
  void productKeysRollOverWhileProducingAndEveryRecordReadsBack() throws Exception {
    LocalKeyManagementService kek = LocalKeyManagementService.generate();
    int produced = 12;
    // a lifetime of a millisecond: nearly every record gets a key of its own
    try (Mesh pay =
        mesh("pay", FieldEncryption.of(kek, keys).productKeyLifetime(Duration.ofMillis(1)))) {
      MeshProducer<CardAdded> producer = pay.producer(CardAdded.class);
      for (int i = 0; i < produced; i++) {
        // each send waits for the broker's acknowledgement: longer than the key's lifetime
        producer.send(new CardAdded("card-" + i, "4111-0000-0000-" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    int keysCreated = keys.size();
    assertThat(keysCreated).as("product keys created").isGreaterThan(1);
    // another process, the same KEK and store, reads every record with every key
    Map<String, CardAdded> read = new ConcurrentHashMap<>();
    try (Mesh audit = mesh("audit", FieldEncryption.of(kek, keys));
        MeshConsumer<CardAdded> consumer =
            audit
                .consumer(CardAdded.class)
                .group("audit")
                .startFrom(StartPosition.earliest())
                .handle(e -> read.put(e.value().cardId(), e.value()))
                .start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == produced);
    }
    for (int i = 0; i < produced; i++) {
      assertThat(read.get("card-" + i).pan()).isEqualTo("4111-0000-0000-" + i);
    }
    System.out.printf(
        "fault run, product-key roll-over: produced=%d handled=%d keys=%d lost=%d%n",
        produced, read.size(), keysCreated, produced - read.size());
  }
}
