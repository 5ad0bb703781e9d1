package io.meshsdk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

/** Keeps the package boundaries of STYLE.md: internals stay internal, features have no cycles. */
class ArchitectureTest {
  private static final JavaClasses SDK =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.meshsdk");

  @Test
  void featurePackagesHaveNoCycles() {
    slices().matching("io.meshsdk.(*)..").should().beFreeOfCycles().check(SDK);
  }

  @Test
  void publicSignaturesDoNotExposeInternalTypes() {
    ArchRuleDefinition.methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("..internal..")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(notMentionInternalTypes())
        .check(SDK);
  }

  @Test
  void apiPackagesOnlyReachInternalsOfTheSdk() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.meshsdk..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.meshsdk..internal..")
        .allowEmptyShould(true)
        .check(SDK);
  }

  @Test
  void libraryCodeDoesNotPrint() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(SDK);
  }

  private static ArchCondition<JavaMethod> notMentionInternalTypes() {
    return new ArchCondition<>("not mention internal types in their signature") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        if (method.getModifiers().contains(JavaModifier.SYNTHETIC)) {
          return;
        }
        boolean leaks =
            method.getRawReturnType().getPackageName().contains(".internal")
                || method.getRawParameterTypes().stream()
                    .anyMatch(t -> t.getPackageName().contains(".internal"));
        if (leaks) {
          events.add(
              SimpleConditionEvent.violated(
                  method, method.getFullName() + " exposes an internal type"));
        }
      }
    };
  }
}
