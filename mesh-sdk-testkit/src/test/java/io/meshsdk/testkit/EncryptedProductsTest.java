package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DataSubject;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import io.meshsdk.crypto.FieldEncryption;
import io.meshsdk.crypto.InMemoryDataKeyStore;
import io.meshsdk.crypto.LocalKeyManagementService;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Products with encrypted fields in the testkit: a test mesh encrypts with a throwaway key. */
@MeshTest
class EncryptedProductsTest {
  @DataProduct(
      domain = "tk",
      name = "member-joined",
      version = "1.0",
      owner = "team-tk",
      description = "A member joined.")
  public record MemberJoined(
      @Key @DataSubject @Doc("Member") String memberId,
      @Pii(encrypted = true) @Doc("Email") String email) {}

  @Test
  void aTestMeshEncryptsReadsBackAndShreds(TestMesh mesh) {
    mesh.producer(MemberJoined.class).send(new MemberJoined("m-1", "ada@example.com")).join();
    mesh.producer(MemberJoined.class).send(new MemberJoined("m-2", "alan@example.com")).join();

    assertThat(mesh.records(mesh.topicOf(MemberJoined.class)))
        .allSatisfy(
            r ->
                assertThat(new String(r.value(), StandardCharsets.ISO_8859_1))
                    .doesNotContain("example.com"));
    assertThat(mesh.published(MemberJoined.class).now())
        .extracting(e -> e.value().email())
        .containsExactly("ada@example.com", "alan@example.com");

    assertThat(mesh.forgetSubject(MemberJoined.class, "m-1")).isTrue();
    assertThat(mesh.published(MemberJoined.class).now())
        .extracting(e -> e.value().email())
        .containsExactly(null, "alan@example.com");
  }

  @DataProduct(
      domain = "tk",
      name = "member-profile",
      version = "1.0",
      owner = "team-tk",
      description = "A member's profile.",
      schemaName = "tk.MemberProfile")
  public record ProfileV10(
      @Key @DataSubject @Doc("Member") String memberId,
      @Pii(encrypted = true) @Email @Doc("Email") String email,
      @Pii(encrypted = true) @Min(1900) @Max(2026) @Doc("Birth year") @Nullable Integer birthYear,
      @Doc("Country") @Size(min = 2, max = 2) String country) {}

  /** The same major with encryption turned off for the e-mail address: a breaking change. */
  @DataProduct(
      domain = "tk",
      name = "member-profile",
      version = "1.1",
      owner = "team-tk",
      description = "A member's profile.",
      schemaName = "tk.MemberProfile")
  public record ProfileV11(
      @Key @DataSubject @Doc("Member") String memberId,
      @Pii @Email @Doc("Email") String email,
      @Pii(encrypted = true) @Min(1900) @Max(2026) @Doc("Birth year") @Nullable Integer birthYear,
      @Doc("Country") @Size(min = 2, max = 2) String country) {}

  @Test
  void sampleEventsOfEncryptedProductsMeetTheContractAndTravelEncrypted(TestMesh mesh) {
    List<ProfileV10> samples = SampleEvents.of(ProfileV10.class).seed(3).take(50);
    assertThat(samples)
        .allSatisfy(
            p -> {
              assertThat(p.email()).contains("@");
              assertThat(p.birthYear())
                  .satisfiesAnyOf(
                      y -> assertThat(y).isNull(), y -> assertThat(y).isBetween(1900, 2026));
            });
    assertThat(samples).anySatisfy(p -> assertThat(p.birthYear()).isNotNull());
    assertThat(SampleEvents.of(ProfileV10.class).seed(3).take(50)).isEqualTo(samples);

    for (ProfileV10 p : samples) {
      mesh.producer(ProfileV10.class).send(p).join();
    }
    assertThat(mesh.published(ProfileV10.class).now())
        .extracting(PublishedEvent::value)
        .containsExactlyElementsOf(samples);
    assertThat(mesh.records(mesh.topicOf(ProfileV10.class)))
        .allSatisfy(
            r -> {
              String raw = new String(r.value(), StandardCharsets.ISO_8859_1);
              assertThat(samples).noneSatisfy(p -> assertThat(raw).contains(p.email()));
            });
  }

  @Test
  void aTestMeshEncryptsWithTheFieldEncryptionItIsGiven() {
    InMemoryDataKeyStore store = new InMemoryDataKeyStore();
    FieldEncryption own = FieldEncryption.of(LocalKeyManagementService.generate(), store);
    try (TestMesh mesh = TestMesh.builder().fieldEncryption(own).build()) {
      mesh.producer(MemberJoined.class).send(new MemberJoined("m-1", "ada@example.com")).join();
      assertThat(store.size()).as("the subject's key, in the store given").isEqualTo(1);
      assertThat(mesh.published(MemberJoined.class).now())
          .extracting(e -> e.value().email())
          .containsExactly("ada@example.com");
    }
  }

  @Test
  void contractSnapshotsKeepGoldenPayloadsOfEncryptedProductsWithoutKeys(@TempDir Path dir)
      throws Exception {
    ContractSnapshots.in(dir).verify(ProfileV10.class);
    Path payloads;
    try (var files = Files.walk(dir)) {
      payloads = files.filter(f -> f.toString().endsWith("1.0.payloads")).findFirst().orElseThrow();
    }
    assertThat(Files.readAllLines(payloads)).isNotEmpty();
    ContractSnapshots.in(dir).verify(ProfileV10.class); // read back, no key anywhere

    assertThatThrownBy(() -> ContractSnapshots.in(dir).verify(ProfileV11.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("MESH_ENCRYPTED_FIELD_CHANGED")
        .hasMessageContaining("'email'");
  }
}
