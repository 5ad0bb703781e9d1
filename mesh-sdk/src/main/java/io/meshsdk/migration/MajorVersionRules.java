package io.meshsdk.migration;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductSunset;
import io.meshsdk.governance.GovernanceRule;
import io.meshsdk.governance.GovernanceViolation;
import io.meshsdk.governance.Severity;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityReport;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Governance rules for major versions, added to a policy like any rule:
 *
 * <pre>{@code
 * GovernancePolicy policy = GovernancePolicy.builder()
 *     .rule(MajorVersionRules.migrationFromPrevious(migrations))
 *     .rule(MajorVersionRules.sunsetNotice(90))
 *     .rule(MajorVersionRules.noNeedlessMajor(migrations))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safety: the rules are immutable.
 */
public final class MajorVersionRules {
  private MajorVersionRules() {}

  /**
   * A major after the first must declare a migration from the previous major (so consumers and dual
   * publishing can bridge them).
   *
   * @param migrations the registered migrations
   * @return the rule {@code migration-from-previous}
   */
  public static GovernanceRule migrationFromPrevious(Migrations migrations) {
    Objects.requireNonNull(migrations, "migrations");
    return rule(
        "migration-from-previous",
        contract -> {
          int major = contract.version().major();
          if (major <= 1) {
            return List.of();
          }
          Optional<Migration<?, ?>> step = migrations.step(contract.id(), major - 1);
          if (step.isEmpty()) {
            return List.of(
                violation(
                    "migration-from-previous",
                    Severity.ERROR,
                    contract.id()
                        + " v"
                        + major
                        + " declares no migration from v"
                        + (major - 1)
                        + "; register Migration.of(V"
                        + (major - 1)
                        + ".class, "
                        + contract.type().getSimpleName()
                        + ".class, upcast)"));
          }
          if (step.get().newer().type() != contract.type()) {
            return List.of(
                violation(
                    "migration-from-previous",
                    Severity.ERROR,
                    contract.id()
                        + " v"
                        + major
                        + ": the migration from v"
                        + (major - 1)
                        + " targets "
                        + step.get().newer().type().getName()
                        + ", not "
                        + contract.type().getName()));
          }
          return List.of();
        });
  }

  /**
   * A deprecated major must announce its sunset at least {@code minDays} before the sunset date
   * ({@code @Sunset(announced = ...)}); a sunset without an announcement date is a warning.
   *
   * @param minDays the minimum notice in days, at least 0
   * @return the rule {@code sunset-notice}
   */
  public static GovernanceRule sunsetNotice(int minDays) {
    if (minDays < 0) {
      throw new IllegalArgumentException("minDays must not be negative: " + minDays);
    }
    return rule(
        "sunset-notice",
        contract -> {
          Optional<ProductSunset> s = contract.sunset();
          if (s.isEmpty()) {
            return List.of();
          }
          if (s.get().announced().isEmpty()) {
            return List.of(
                violation(
                    "sunset-notice",
                    Severity.WARNING,
                    contract.id()
                        + " v"
                        + contract.version().major()
                        + " sets a sunset without @Sunset(announced = ...), so its notice of "
                        + minDays
                        + " days cannot be checked"));
          }
          long days = ChronoUnit.DAYS.between(s.get().announced().get(), s.get().date());
          if (days < minDays) {
            return List.of(
                violation(
                    "sunset-notice",
                    Severity.ERROR,
                    contract.id()
                        + " v"
                        + contract.version().major()
                        + " gives "
                        + days
                        + " days of notice before its sunset on "
                        + s.get().date()
                        + "; the policy asks for at least "
                        + minDays));
          }
          return List.of();
        });
  }

  /**
   * A new major must be a breaking change: when its schema is compatible with the previous major's
   * under the product's compatibility mode, it should have been a minor version on the same topic.
   *
   * @param migrations the registered migrations (they name the previous major's class)
   * @return the rule {@code no-needless-major}
   */
  public static GovernanceRule noNeedlessMajor(Migrations migrations) {
    Objects.requireNonNull(migrations, "migrations");
    return rule(
        "no-needless-major",
        contract -> {
          int major = contract.version().major();
          Optional<Class<?>> previous = migrations.classOf(contract.id(), major - 1);
          if (major <= 1 || previous.isEmpty()) {
            return List.of();
          }
          Schema before = ProductContract.of(previous.get()).schema();
          Schema now = renamed(contract.schema(), before);
          Compatibility mode =
              contract.compatibility() == Compatibility.NONE
                  ? Compatibility.BACKWARD
                  : contract.compatibility();
          CompatibilityReport report = mode.check(now, List.of(before));
          if (report.isCompatible()) {
            return List.of(
                violation(
                    "no-needless-major",
                    Severity.ERROR,
                    contract.id()
                        + " v"
                        + major
                        + " is compatible with v"
                        + (major - 1)
                        + " under "
                        + mode
                        + ": publish it as a minor version of v"
                        + (major - 1)
                        + " on the same topic instead of a new major"));
          }
          return List.of();
        });
  }

  /** The candidate under the previous schema's name, so only the fields are compared. */
  private static Schema renamed(Schema candidate, Schema previous) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : candidate.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    return Schema.createRecord(
        previous.getName(), candidate.getDoc(), previous.getNamespace(), false, fields);
  }

  private interface Check {
    List<GovernanceViolation> apply(ProductContract<?> contract);
  }

  private static GovernanceRule rule(String name, Check check) {
    return new GovernanceRule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<GovernanceViolation> evaluate(ProductContract<?> contract) {
        return check.apply(contract);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static GovernanceViolation violation(String rule, Severity severity, String message) {
    return new GovernanceViolation(rule, severity, message);
  }
}
