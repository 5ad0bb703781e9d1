package io.meshsdk.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.meshsdk.examples.orders.OrderPlaced;
import org.junit.jupiter.api.Test;

/**
 * The domains use only Mesh SDK's public API, and reach other domains only through their published
 * product classes (as a team would through a contract jar), never their services.
 */
class DomainBoundariesTest {
  private static final JavaClasses EXAMPLES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.meshsdk.examples");

  @Test
  void domainsUseOnlyThePublicApi() {
    noClasses()
        .that()
        .resideInAnyPackage("io.meshsdk.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.meshsdk..internal..")
        .check(EXAMPLES);
  }

  @Test
  void domainsDependOnOtherDomainsOnlyThroughTheirProducts() {
    noClasses()
        .that()
        .resideInAnyPackage("io.meshsdk.examples.shipping..", "io.meshsdk.examples.analytics..")
        .should()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Service")
        .andShould()
        .dependOnClassesThat()
        .resideInAnyPackage("io.meshsdk.examples.demo..")
        .check(EXAMPLES);
    noClasses()
        .that()
        .resideInAPackage("io.meshsdk.examples.analytics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.meshsdk.examples.orders..", "io.meshsdk.examples.shipping..")
        .because(
            "analytics reads orders with its own reader class, not " + OrderPlaced.class.getName())
        .check(EXAMPLES);
  }
}
