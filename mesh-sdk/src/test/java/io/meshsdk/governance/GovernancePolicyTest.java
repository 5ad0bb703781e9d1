package io.meshsdk.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Pii;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.schema.Compatibility;
import java.util.List;
import org.junit.jupiter.api.Test;

class GovernancePolicyTest {

  @Test
  void aWellFormedProductPasses() {
    GovernanceReport report =
        GovernancePolicy.standard().evaluate(ProductContract.of(OrderPlaced.class));
    assertThat(report.passed()).isTrue();
    assertThat(report.violations()).isEmpty();
  }

  record Address(@Doc("street") String street) {}

  @DataProduct(
      domain = "Sales_Orders",
      name = "orderPlaced",
      version = "1.0",
      owner = " ",
      description = "",
      compatibility = Compatibility.NONE)
  record Sloppy(
      String customerEmail,
      String phoneNumber,
      String firstName,
      String productName,
      boolean emailVerified,
      String ipAddress,
      Address billingAddress,
      @Pii Address homeAddress) {}

  @Test
  void reportsEveryStandardRuleBroken() {
    GovernanceReport report =
        GovernancePolicy.standard().evaluate(ProductContract.of(Sloppy.class));

    assertThat(report.passed()).isFalse();
    assertThat(report.errors())
        .extracting(GovernanceViolation::rule)
        .containsExactly(
            "naming",
            "owner",
            "description",
            "compatibility-floor",
            "pii-classified",
            "pii-classified",
            "pii-classified",
            "pii-classified",
            "pii-classified",
            "pii-classified");
    assertThat(report.errors())
        .extracting(GovernanceViolation::message)
        .filteredOn(m -> m.contains("personal data"))
        .allSatisfy(
            m ->
                assertThat(m)
                    .containsAnyOf(
                        "customerEmail", "phoneNumber", "firstName", "ipAddress", "billingAddress"))
        .anySatisfy(m -> assertThat(m).contains("field billingAddress.street"))
        .noneSatisfy(m -> assertThat(m).contains("homeAddress"))
        .noneSatisfy(m -> assertThat(m).contains("productName"))
        .noneSatisfy(m -> assertThat(m).contains("emailVerified"));
    assertThat(report.warnings()).extracting(GovernanceViolation::rule).containsOnly("field-docs");
  }

  @Test
  void enforceThrowsWithEveryError() {
    assertThatThrownBy(() -> GovernancePolicy.standard().enforce(ProductContract.of(Sloppy.class)))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> {
              assertThat(e.problems()).hasSize(10);
              assertThat(e.report().warnings()).isNotEmpty();
            })
        .hasMessageContaining("fails the governance policy");
  }

  @Test
  void organisationsAddRemoveAndTuneRules() {
    GovernancePolicy policy =
        GovernancePolicy.builder()
            .compatibilityFloor(Compatibility.FULL_TRANSITIVE)
            .rule(
                GovernanceRule.of(
                    "tier-tag",
                    Severity.ERROR,
                    c -> c.tags().contains("tier-1"),
                    c -> c.id() + ": needs a tier tag"))
            .without("field-docs")
            .build();

    assertThat(policy.ruleNames()).contains("tier-tag").doesNotContain("field-docs");
    assertThat(policy.evaluate(ProductContract.of(OrderPlaced.class)).passed()).isTrue();

    GovernancePolicy stricter =
        GovernancePolicy.builder()
            .rule(
                GovernanceRule.of(
                    "owner-prefix",
                    Severity.ERROR,
                    c -> c.owner().startsWith("domain-"),
                    c -> "owner must start with domain-"))
            .build();
    assertThat(stricter.evaluate(ProductContract.of(OrderPlaced.class)).errors())
        .extracting(GovernanceViolation::rule)
        .containsExactly("owner-prefix");
  }

  @Test
  void compatibilityFloorComparesDirectionsAndTransitivity() {
    assertThat(Compatibility.FULL_TRANSITIVE.isAtLeast(Compatibility.BACKWARD)).isTrue();
    assertThat(Compatibility.FORWARD.isAtLeast(Compatibility.BACKWARD)).isFalse();
    assertThat(Compatibility.BACKWARD.isAtLeast(Compatibility.BACKWARD_TRANSITIVE)).isFalse();
    assertThat(Compatibility.NONE.isAtLeast(Compatibility.NONE)).isTrue();
    assertThat(List.of(Compatibility.values()))
        .allSatisfy(c -> assertThat(c.isAtLeast(Compatibility.NONE)).isTrue());
  }
}
