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

  /** The examples' main and test code: what users write. */
  private static final JavaClasses USER_CODE =
      new ClassFileImporter().importPackages("io.meshsdk.examples");

  /**
   * Internal packages are for Mesh SDK's own modules only ({@code @InternalApi}): user code, main
   * or test, never reaches them, not even through a type argument or an annotation.
   */
  @Test
  void userCodeNeverUsesMeshSdkInternals() {
    noClasses()
        .that()
        .resideInAnyPackage("io.meshsdk.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.meshsdk..internal..")
        .orShould()
        .dependOnClassesThat()
        .areAnnotatedWith(io.meshsdk.annotation.InternalApi.class)
        .check(USER_CODE);
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
