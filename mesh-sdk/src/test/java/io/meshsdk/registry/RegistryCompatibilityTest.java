package io.meshsdk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.serde.MeshSerializer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The compatibility a product declares is held by the registry too, so that a version written by
 * any client, not only ours, cannot break it. Against the in-memory registry and a stub that
 * answers like Confluent's (error 40408 for a subject without its own mode).
 */
class RegistryCompatibilityTest {
  private static final String TOPIC = "billing.invoice-sent.v1";
  private static final String SUBJECT = TOPIC + "-value";

  @DataProduct(
      domain = "billing",
      name = "invoice-sent",
      version = "1.0",
      owner = "team-billing",
      description = "An invoice.",
      schemaName = "billing.InvoiceSent",
      compatibility = Compatibility.FULL_TRANSITIVE)
  record InvoiceV10(
      @Key @Doc("Id") String id, @Doc("Cents") long cents, @Doc("Note") String note) {}

  /** 1.2 drops a required field: neither backward- nor forward-compatible in FULL_TRANSITIVE. */
  @DataProduct(
      domain = "billing",
      name = "invoice-sent",
      version = "1.2",
      owner = "team-billing",
      description = "An invoice.",
      schemaName = "billing.InvoiceSent",
      compatibility = Compatibility.NONE)
  record InvoiceV12(@Key @Doc("Id") String id, @Doc("Cents") long cents) {}

  @DataProduct(
      domain = "billing",
      name = "invoice-sent",
      version = "1.0",
      owner = "team-billing",
      description = "An invoice.",
      schemaName = "billing.InvoiceSent",
      compatibility = Compatibility.BACKWARD)
  record InvoiceBackward(
      @Key @Doc("Id") String id, @Doc("Cents") long cents, @Doc("Note") String note) {}

  private static int register(SchemaRegistry registry, Class<?> type) {
    return MeshSerializer.of(ProductContract.of(type), registry).schemaId(TOPIC);
  }

  private static int verify(SchemaRegistry registry, Class<?> type) {
    return MeshSerializer.builder(ProductContract.of(type), registry)
        .registration(RegistrationMode.VERIFY)
        .build()
        .schemaId(TOPIC);
  }

  private static void withEach(java.util.function.Consumer<SchemaRegistry> test) {
    test.accept(new InMemorySchemaRegistry());
    try (ConfluentStub stub = new ConfluentStub().start()) {
      test.accept(RestSchemaRegistry.builder(stub.url()).build());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void autoRegisterSetsTheDeclaredModeBeforeTheFirstRegistration() {
    withEach(
        registry -> {
          assertThat(registry.globalCompatibility()).isEqualTo(Compatibility.BACKWARD);
          register(registry, InvoiceV10.class);

          assertThat(registry.subjectCompatibility(SUBJECT))
              .contains(Compatibility.FULL_TRANSITIVE);
          // a later version that removes a required field is refused by the registry itself,
          // whichever client registers it
          assertThatThrownBy(
                  () -> registry.register(SUBJECT, ProductContract.of(InvoiceV12.class).schema()))
              .isInstanceOf(IncompatibleSchemaException.class);
        });
  }

  @Test
  void refusesToRegisterIntoASubjectWhoseOwnModeIsWeaker() {
    withEach(
        registry -> {
          registry.setCompatibility(SUBJECT, Compatibility.BACKWARD);

          assertThatThrownBy(() -> register(registry, InvoiceV10.class))
              .isInstanceOf(MeshConfigurationException.class)
              .hasMessageContaining("declares compatibility FULL_TRANSITIVE")
              .hasMessageContaining("'" + SUBJECT + "' is set to BACKWARD");
          assertThat(registry.subjectCompatibility(SUBJECT)).contains(Compatibility.BACKWARD);
        });
  }

  @Test
  void keepsAStricterOwnMode() {
    withEach(
        registry -> {
          registry.setCompatibility(SUBJECT, Compatibility.FULL_TRANSITIVE);

          register(registry, InvoiceBackward.class);
          assertThat(registry.subjectCompatibility(SUBJECT))
              .contains(Compatibility.FULL_TRANSITIVE);
        });
  }

  @Test
  void verifyFailsFastWhenTheEffectiveModeIsWeaker() {
    withEach(
        registry -> {
          registry.register(SUBJECT, ProductContract.of(InvoiceV10.class).schema());

          // no mode of its own: the global BACKWARD is in force
          assertThatThrownBy(() -> verify(registry, InvoiceV10.class))
              .isInstanceOf(MeshConfigurationException.class)
              .hasMessageContaining("held to BACKWARD by the registry (its global mode)");
          registry.setCompatibility(SUBJECT, Compatibility.FULL_TRANSITIVE);
          assertThat(verify(registry, InvoiceV10.class)).isPositive();
        });
  }

  /** A subject's own NONE is in force even under a stricter global mode. */
  @Test
  void aSubjectsOwnNoneOverridesAStricterGlobalMode() {
    withEach(
        registry -> {
          registry.setGlobalCompatibility(Compatibility.FULL_TRANSITIVE);
          registry.register(SUBJECT, ProductContract.of(InvoiceBackward.class).schema());
          registry.setCompatibility(SUBJECT, Compatibility.NONE);

          assertThat(registry.compatibility(SUBJECT)).isEqualTo(Compatibility.NONE);
          assertThat(registry.subjectCompatibility(SUBJECT)).contains(Compatibility.NONE);
          assertThat(registry.subjectCompatibility("other-value")).isEqualTo(Optional.empty());
          assertThat(registry.compatibility("other-value"))
              .isEqualTo(Compatibility.FULL_TRANSITIVE);
          assertThatThrownBy(() -> verify(registry, InvoiceBackward.class))
              .hasMessageContaining("held to NONE");
        });
  }
}
