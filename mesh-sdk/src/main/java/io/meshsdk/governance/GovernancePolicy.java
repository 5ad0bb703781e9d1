package io.meshsdk.governance;

import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.PiiLevel;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.schema.Compatibility;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The federated rules every data product must pass. {@link #standard()} holds the platform's rules:
 *
 * <ul>
 *   <li>{@code naming}: domain and name are kebab-case ({@code orders}, {@code order-placed}).
 *   <li>{@code owner}, {@code description}: present and not blank.
 *   <li>{@code compatibility-floor}: the product's compatibility is at least the floor ({@code
 *       BACKWARD} by default; see {@link Compatibility#isAtLeast(Compatibility)}).
 *   <li>{@code pii-classified}: fields whose names look like personal data (e-mail, phone, SSN,
 *       IBAN, IP address, address, birth date, a person's name) are {@code @Pii}; boolean fields
 *       (flags such as {@code emailVerified}) are exempt.
 *   <li>{@code state-key}: {@code STATE} products declare a key.
 *   <li>{@code field-docs} (warning): every field has a doc.
 * </ul>
 *
 * <p>Thread-safety: immutable and thread-safe; its builder is not.
 */
public final class GovernancePolicy {
  /** The default pattern of field names that look like personal data, over snake_case tokens. */
  public static final Pattern DEFAULT_PII_NAMES =
      Pattern.compile(
          "(^|_)(e_?mail|email_address|phone|phone_number|mobile|ssn|social_security_number|iban"
              + "|ip|ip_address|address|street|postcode|postal_code|birth_?date|date_of_birth|dob"
              + "|birthday|surname|(first|last|full|middle|given|family|customer|user|person"
              + "|contact|maiden)_name)(_|$)");

  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final Map<String, GovernanceRule> rules;

  private GovernancePolicy(Map<String, GovernanceRule> rules) {
    this.rules = Map.copyOf(rules);
    this.order = List.copyOf(rules.keySet());
  }

  private final List<String> order;

  /**
   * The standard policy with a {@code BACKWARD} compatibility floor.
   *
   * @return the policy
   */
  public static GovernancePolicy standard() {
    return builder().build();
  }

  /**
   * A builder starting from the standard rules.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The names of the rules, in evaluation order.
   *
   * @return an immutable list
   */
  public List<String> ruleNames() {
    return order;
  }

  /**
   * Evaluates every rule.
   *
   * @param contract the product contract
   * @return the report with every finding
   * @throws NullPointerException if {@code contract} is null
   */
  public GovernanceReport evaluate(ProductContract<?> contract) {
    Objects.requireNonNull(contract, "contract");
    List<GovernanceViolation> all = new ArrayList<>();
    for (String name : order) {
      // order holds the keys of rules
      all.addAll(Objects.requireNonNull(rules.get(name), name).evaluate(contract));
    }
    return new GovernanceReport(contract.id() + " " + contract.version(), all);
  }

  /**
   * Evaluates every rule and throws when any error is found.
   *
   * @param contract the product contract
   * @return the report, which may hold warnings
   * @throws GovernanceException listing every error
   * @throws NullPointerException if {@code contract} is null
   */
  public GovernanceReport enforce(ProductContract<?> contract) {
    GovernanceReport report = evaluate(contract);
    if (!report.passed()) {
      throw new GovernanceException(report);
    }
    return report;
  }

  /** Builds a {@link GovernancePolicy}. Not thread-safe. */
  public static final class Builder {
    private Compatibility floor = Compatibility.BACKWARD;
    private Pattern piiNames = DEFAULT_PII_NAMES;
    private final Map<String, GovernanceRule> extra = new LinkedHashMap<>();
    private @Nullable Set<PiiLevel> encryptedLevels;
    private final List<String> removed = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the weakest compatibility a product may declare.
     *
     * @param floor the floor, {@code BACKWARD} by default
     * @return this builder
     */
    public Builder compatibilityFloor(Compatibility floor) {
      this.floor = Objects.requireNonNull(floor, "floor");
      return this;
    }

    /**
     * Sets the pattern of field names that look like personal data, matched against the field name
     * in lower snake_case ({@code customerEmail} → {@code customer_email}).
     *
     * @param pattern the pattern, found anywhere in the name
     * @return this builder
     */
    public Builder piiFieldNames(Pattern pattern) {
      this.piiNames = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /**
     * Requires encryption ({@code @Pii(encrypted = true)}) of every field classified at one of the
     * given levels: the rule {@code pii-encrypted}, an error. Not in the standard policy; a
     * platform team that keeps such data off the brokers in clear adds it, for example {@code
     * requireEncryption(PiiLevel.SENSITIVE)}.
     *
     * @param levels the PII levels whose fields must be encrypted
     * @return this builder
     * @throws IllegalArgumentException if no level is given
     */
    public Builder requireEncryption(PiiLevel... levels) {
      if (levels.length == 0) {
        throw new IllegalArgumentException("name at least one PII level to encrypt");
      }
      this.encryptedLevels = Set.copyOf(java.util.Arrays.asList(levels));
      return this;
    }

    /**
     * Adds a rule, replacing a rule of the same name.
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder rule(GovernanceRule rule) {
      Objects.requireNonNull(rule, "rule");
      extra.put(Objects.requireNonNull(rule.name(), "rule.name()"), rule);
      return this;
    }

    /**
     * Removes a standard or added rule.
     *
     * @param name the rule name
     * @return this builder
     */
    public Builder without(String name) {
      removed.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public GovernancePolicy build() {
      Map<String, GovernanceRule> rules = new LinkedHashMap<>();
      Compatibility f = floor;
      Pattern pii = piiNames;
      rules.put(
          "naming",
          GovernanceRule.of(
              "naming",
              Severity.ERROR,
              c -> KEBAB.matcher(c.domain()).matches() && KEBAB.matcher(c.name()).matches(),
              c ->
                  c.id()
                      + ": domain and name must be kebab-case (for example orders.order-placed)"));
      rules.put(
          "owner",
          GovernanceRule.of(
              "owner",
              Severity.ERROR,
              c -> !c.owner().isBlank(),
              c -> c.id() + ": declare the owning team (owner)"));
      rules.put(
          "description",
          GovernanceRule.of(
              "description",
              Severity.ERROR,
              c -> !c.description().isBlank(),
              c -> c.id() + ": describe what one record means (description)"));
      rules.put(
          "compatibility-floor",
          GovernanceRule.of(
              "compatibility-floor",
              Severity.ERROR,
              c -> c.compatibility().isAtLeast(f),
              c ->
                  c.id()
                      + ": compatibility "
                      + c.compatibility()
                      + " is weaker than the policy floor "
                      + f));
      rules.put(
          "pii-classified",
          new FieldRule("pii-classified", Severity.ERROR) {
            @Override
            void check(
                ProductContract<?> c,
                ContractField field,
                List<GovernanceViolation> out,
                boolean underPii) {
              if (!underPii
                  && !field.isPii()
                  && field.schema().getType() != Schema.Type.BOOLEAN
                  && pii.matcher(snake(field.name())).find()) {
                out.add(
                    new GovernanceViolation(
                        name(),
                        severity,
                        c.id()
                            + ": field "
                            + field.path()
                            + " looks like personal data; annotate it @Pii"));
              }
            }
          });
      rules.put(
          "state-key",
          GovernanceRule.of(
              "state-key",
              Severity.ERROR,
              c -> c.kind() != ProductKind.STATE || c.keyField().isPresent(),
              c -> c.id() + ": a STATE product must declare a @Key field"));
      rules.put(
          "field-docs",
          new FieldRule("field-docs", Severity.WARNING) {
            @Override
            void check(
                ProductContract<?> c,
                ContractField field,
                List<GovernanceViolation> out,
                boolean underPii) {
              if (field.doc().filter(d -> !d.isBlank()).isEmpty()) {
                out.add(
                    new GovernanceViolation(
                        name(), severity, c.id() + ": field " + field.path() + " has no @Doc"));
              }
            }
          });
      Set<PiiLevel> mustEncrypt = encryptedLevels;
      if (mustEncrypt != null) {
        rules.put(
            "pii-encrypted",
            new FieldRule("pii-encrypted", Severity.ERROR) {
              @Override
              void check(
                  ProductContract<?> c,
                  ContractField field,
                  List<GovernanceViolation> out,
                  boolean underPii) {
                Optional<PiiLevel> level = field.pii();
                String top = field.path().split("[.\\[]", 2)[0];
                if (level.isPresent()
                    && mustEncrypt.contains(level.get())
                    && !c.encryptedFields().contains(top)) {
                  out.add(
                      new GovernanceViolation(
                          name(),
                          severity,
                          c.id()
                              + ": field "
                              + field.path()
                              + " is "
                              + level.get()
                              + " personal data and must be encrypted: @Pii(value = "
                              + level.get()
                              + ", encrypted = true)"
                              + (field.path().equals(field.name())
                                  ? ""
                                  : " on a top-level field (only those can be)")));
                }
              }
            });
      }
      rules.putAll(extra);
      for (String name : removed) {
        rules.remove(name);
      }
      return new GovernancePolicy(rules);
    }
  }

  /** A rule applied to every field, nested ones included. */
  private abstract static class FieldRule implements GovernanceRule {
    private final String name;
    final Severity severity;

    FieldRule(String name, Severity severity) {
      this.name = name;
      this.severity = severity;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<GovernanceViolation> evaluate(ProductContract<?> contract) {
      List<GovernanceViolation> out = new ArrayList<>();
      walk(contract, contract.fields(), out, false);
      return out;
    }

    private void walk(
        ProductContract<?> c,
        List<ContractField> fields,
        List<GovernanceViolation> out,
        boolean underPii) {
      for (ContractField f : fields) {
        check(c, f, out, underPii);
        walk(c, f.fields(), out, underPii || f.isPii());
      }
    }

    abstract void check(
        ProductContract<?> c, ContractField field, List<GovernanceViolation> out, boolean underPii);
  }

  static String snake(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toLowerCase(Locale.ROOT);
  }
}
