package io.meshsdk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.meshsdk.annotation.InternalApi;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package boundaries of STYLE.md: internals stay internal and are marked so, features
 * (and the root package) have no cycles, public signatures never name an internal type.
 *
 * <p>That only Mesh SDK's own modules use internal packages is checked where user code is: {@code
 * DomainBoundariesTest} in the examples.
 */
class ArchitectureTest {
  private static final JavaClasses SDK =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.meshsdk");

  /**
   * Every class of the SDK is in a slice: the root package (with its own internal package) is one,
   * each feature (with its internal package) another.
   */
  static final SliceAssignment FEATURES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String pkg = c.getPackageName();
          if (pkg.equals("io.meshsdk") || pkg.startsWith("io.meshsdk.internal")) {
            return SliceIdentifier.of("(root)");
          }
          if (pkg.startsWith("io.meshsdk.")) {
            return SliceIdentifier.of(pkg.substring("io.meshsdk.".length()).split("\\.")[0]);
          }
          return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the root package and each feature package of io.meshsdk";
        }
      };

  @Test
  void featurePackagesAndTheRootHaveNoCycles() {
    slices().assignedFrom(FEATURES).should().beFreeOfCycles().check(SDK);
  }

  @Test
  void everyClassIsInASlice() {
    // the hole this closes: a pattern like io.meshsdk.(*).. leaves the root package out
    List<String> outside =
        SDK.stream()
            .filter(c -> c.getPackageName().startsWith("io.meshsdk"))
            .filter(c -> FEATURES.getIdentifierOf(c).equals(SliceIdentifier.ignore()))
            .map(JavaClass::getName)
            .toList();
    org.assertj.core.api.Assertions.assertThat(outside).isEmpty();
    org.assertj.core.api.Assertions.assertThat(
            SDK.stream().map(FEATURES::getIdentifierOf).distinct().count())
        .isGreaterThan(10);
  }

  @Test
  void publicSignaturesDoNotExposeInternalTypes() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass c : SDK) {
      if (isInternal(c) || !isVisible(c.getModifiers())) {
        continue;
      }
      Stream.concat(Stream.of(c.getRawSuperclass().orElse(null)), c.getRawInterfaces().stream())
          .filter(t -> t != null && isInternal(t))
          .forEach(t -> leaks.add(c.getName() + " extends or implements " + t.getName()));
      for (JavaMember m : c.getMembers()) {
        if (!isVisible(m.getModifiers()) || m.getModifiers().contains(JavaModifier.SYNTHETIC)) {
          continue;
        }
        List<JavaType> types = new ArrayList<>();
        if (m instanceof JavaCodeUnit u) {
          types.add(u.getReturnType());
          types.addAll(u.getParameterTypes());
          u.getThrowsClause().forEach(t -> types.add(t.getRawType()));
        } else if (m instanceof JavaField f) {
          types.add(f.getType());
        }
        types.stream()
            .flatMap(t -> t.getAllInvolvedRawTypes().stream())
            .filter(ArchitectureTest::isInternal)
            .forEach(t -> leaks.add(m.getFullName() + " exposes " + t.getName()));
      }
    }
    org.assertj.core.api.Assertions.assertThat(leaks).isEmpty();
  }

  @Test
  void internalPackagesAreMarkedAsNotApi() {
    classes()
        .that()
        .resideInAPackage("io.meshsdk..internal..")
        .and()
        .haveSimpleName("package-info")
        .should()
        .beAnnotatedWith(InternalApi.class)
        .check(SDK);
    List<String> unmarked =
        SDK.stream()
            .filter(ArchitectureTest::isInternal)
            .map(JavaClass::getPackageName)
            .distinct()
            .filter(
                p ->
                    !SDK.containPackage(p) || !SDK.getPackage(p).isAnnotatedWith(InternalApi.class))
            .toList();
    org.assertj.core.api.Assertions.assertThat(unmarked).isEmpty();
  }

  @Test
  void noPublicExceptionLivesInAnInternalPackage() {
    // users' error handlers see the SDK's exceptions: each must be API
    noClasses()
        .that()
        .resideInAPackage("io.meshsdk..internal..")
        .and()
        .arePublic()
        .should()
        .beAssignableTo(Throwable.class)
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

  static boolean isInternal(JavaClass c) {
    return c.getPackageName().startsWith("io.meshsdk")
        && (c.getPackageName() + ".").contains(".internal.");
  }

  private static boolean isVisible(java.util.Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }
}
