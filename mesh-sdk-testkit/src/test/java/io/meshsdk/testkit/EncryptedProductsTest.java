package io.meshsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.DataSubject;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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

  @Test
  void sampleEventsSayTheyDoNotSupportEncryptedFieldsYet() {
    assertThatThrownBy(() -> SampleEvents.of(MemberJoined.class))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("tk.member-joined has encrypted fields [email]");
  }
}
