package io.meshsdk.contract;

import io.meshsdk.schema.Compatibility;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Product metadata declared in code, for classes that cannot carry annotations (Avro-generated
 * {@code SpecificRecord}s) or whose annotations should be replaced.
 *
 * <pre>{@code
 * ProductDescriptor descriptor = ProductDescriptor.builder("orders", "order-placed", "1.0")
 *     .owner("team-orders")
 *     .description("An order accepted from a customer.")
 *     .key("orderId")
 *     .field("customerEmail", f -> f.pii(PiiLevel.PERSONAL).constraints(Constraint.email()))
 *     .build();
 * ProductContract<OrderAvro> contract = ProductContract.of(OrderAvro.class, descriptor);
 * }</pre>
 *
 * <p>Thread-safety: the descriptor is immutable; its builder is not thread-safe.
 */
public final class ProductDescriptor {
  private final String domain;
  private final String name;
  private final String version;
  private final String owner;
  private final String description;
  private final ProductKind kind;
  private final Compatibility compatibility;
  private final @Nullable Duration freshness;
  private final int partitions;
  private final @Nullable Duration retention;
  private final Set<String> tags;
  private final @Nullable String topic;
  private final @Nullable String key;
  private final Map<String, FieldDescriptor> fields;
  private final @Nullable ProductSunset sunset;

  private ProductDescriptor(Builder b) {
    this.domain = b.domain;
    this.name = b.name;
    this.version = b.version;
    this.owner = b.owner;
    this.description = b.description;
    this.kind = b.kind;
    this.compatibility = b.compatibility;
    this.freshness = b.freshness;
    this.partitions = b.partitions;
    this.retention = b.retention;
    this.tags = Set.copyOf(b.tags);
    this.topic = b.topic;
    this.key = b.key;
    Map<String, FieldDescriptor> copy = new LinkedHashMap<>();
    b.fields.forEach((path, f) -> copy.put(path, f.build()));
    this.fields = java.util.Collections.unmodifiableMap(copy);
    this.sunset = b.sunset;
  }

  /**
   * Starts a descriptor with the product's identity.
   *
   * @param domain the owning domain, kebab-case
   * @param name the product name, kebab-case
   * @param version the version {@code major.minor}
   * @return a builder
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(String domain, String name, String version) {
    return new Builder(domain, name, version);
  }

  /**
   * The domain.
   *
   * @return the domain
   */
  public String domain() {
    return domain;
  }

  /**
   * The name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The version text.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * The owner.
   *
   * @return the owner, possibly blank
   */
  public String owner() {
    return owner;
  }

  /**
   * The description.
   *
   * @return the description, possibly blank
   */
  public String description() {
    return description;
  }

  /**
   * The kind.
   *
   * @return the kind
   */
  public ProductKind kind() {
    return kind;
  }

  /**
   * The compatibility mode.
   *
   * @return the mode
   */
  public Compatibility compatibility() {
    return compatibility;
  }

  /**
   * The freshness objective.
   *
   * @return the objective, empty when none
   */
  public Optional<Duration> freshness() {
    return Optional.ofNullable(freshness);
  }

  /**
   * The partition count.
   *
   * @return the count, {@code 0} for the default
   */
  public int partitions() {
    return partitions;
  }

  /**
   * The retention.
   *
   * @return the retention, empty for the broker default
   */
  public Optional<Duration> retention() {
    return Optional.ofNullable(retention);
  }

  /**
   * The tags.
   *
   * @return an immutable set
   */
  public Set<String> tags() {
    return tags;
  }

  /**
   * The topic override.
   *
   * @return the topic, empty for the default name
   */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /**
   * The key field.
   *
   * @return the field name, empty when none
   */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /**
   * Field metadata by field path ({@code customerEmail}, or {@code items.quantity} for a field of a
   * nested record).
   *
   * @return an immutable map
   */
  public Map<String, FieldDescriptor> fields() {
    return fields;
  }

  /**
   * The sunset of this major, when it is deprecated (what {@link Sunset} declares on an annotated
   * class).
   *
   * @return the sunset, or empty
   */
  public Optional<ProductSunset> sunset() {
    return Optional.ofNullable(sunset);
  }

  /**
   * Metadata of one field, made by {@link FieldBuilder}.
   *
   * <p>Thread-safety: immutable.
   */
  public static final class FieldDescriptor {
    private final @Nullable String doc;
    private final @Nullable PiiLevel pii;
    private final @Nullable String since;
    private final List<Constraint> constraints;

    private FieldDescriptor(
        @Nullable String doc,
        @Nullable PiiLevel pii,
        @Nullable String since,
        List<Constraint> constraints) {
      this.doc = doc;
      this.pii = pii;
      this.since = since;
      this.constraints = List.copyOf(constraints);
    }

    /**
     * The documentation.
     *
     * @return the text, empty for none
     */
    public Optional<String> doc() {
      return Optional.ofNullable(doc);
    }

    /**
     * The personal-data classification.
     *
     * @return the level, empty when not personal data
     */
    public Optional<PiiLevel> pii() {
      return Optional.ofNullable(pii);
    }

    /**
     * The version that added the field.
     *
     * @return {@code major.minor}, empty when the field was there from the start
     */
    public Optional<String> since() {
      return Optional.ofNullable(since);
    }

    /**
     * The data-quality rules.
     *
     * @return an immutable list
     */
    public List<Constraint> constraints() {
      return constraints;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof FieldDescriptor f
          && Objects.equals(doc, f.doc)
          && pii == f.pii
          && Objects.equals(since, f.since)
          && constraints.equals(f.constraints);
    }

    @Override
    public int hashCode() {
      return Objects.hash(doc, pii, since, constraints);
    }

    @Override
    public String toString() {
      return "FieldDescriptor[doc="
          + doc
          + ", pii="
          + pii
          + ", since="
          + since
          + ", constraints="
          + constraints
          + "]";
    }
  }

  /** Builds the metadata of one field. Not thread-safe. */
  public static final class FieldBuilder {
    private @Nullable String doc;
    private @Nullable PiiLevel pii;
    private @Nullable String since;
    private final List<Constraint> constraints = new ArrayList<>();

    private FieldBuilder() {}

    /**
     * Sets the documentation.
     *
     * @param doc the text
     * @return this builder
     */
    public FieldBuilder doc(String doc) {
      this.doc = Objects.requireNonNull(doc, "doc");
      return this;
    }

    /**
     * Classifies the field as personal data.
     *
     * @param level the level
     * @return this builder
     */
    public FieldBuilder pii(PiiLevel level) {
      this.pii = Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * Records the version that added the field.
     *
     * @param version {@code major.minor}
     * @return this builder
     */
    public FieldBuilder since(String version) {
      this.since = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Adds data-quality rules.
     *
     * @param constraints the rules
     * @return this builder
     */
    public FieldBuilder constraints(Constraint... constraints) {
      for (Constraint c : constraints) {
        this.constraints.add(Objects.requireNonNull(c, "constraint"));
      }
      return this;
    }

    private FieldDescriptor build() {
      return new FieldDescriptor(doc, pii, since, constraints);
    }
  }

  /** Builds a {@link ProductDescriptor}. Not thread-safe. */
  public static final class Builder {
    private final String domain;
    private final String name;
    private final String version;
    private String owner = "";
    private String description = "";
    private ProductKind kind = ProductKind.EVENTS;
    private Compatibility compatibility = Compatibility.BACKWARD_TRANSITIVE;
    private @Nullable Duration freshness;
    private int partitions;
    private @Nullable Duration retention;
    private final Set<String> tags = new LinkedHashSet<>();
    private @Nullable String topic;
    private @Nullable String key;
    private final Map<String, FieldBuilder> fields = new LinkedHashMap<>();
    private @Nullable ProductSunset sunset;

    private Builder(String domain, String name, String version) {
      this.domain = Objects.requireNonNull(domain, "domain");
      this.name = Objects.requireNonNull(name, "name");
      this.version = Objects.requireNonNull(version, "version");
    }

    /**
     * Sets the owner.
     *
     * @param owner the owning team
     * @return this builder
     */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /**
     * Sets the description.
     *
     * @param description what one record means
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * Sets the kind.
     *
     * @param kind events or state
     * @return this builder
     */
    public Builder kind(ProductKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * Sets the compatibility mode.
     *
     * @param compatibility the mode
     * @return this builder
     */
    public Builder compatibility(Compatibility compatibility) {
      this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
      return this;
    }

    /**
     * Sets the freshness objective.
     *
     * @param freshness how old a record may be when consumed; positive
     * @return this builder
     */
    public Builder freshness(Duration freshness) {
      Objects.requireNonNull(freshness, "freshness");
      if (freshness.isNegative() || freshness.isZero()) {
        throw new IllegalArgumentException("freshness must be positive, got " + freshness);
      }
      this.freshness = freshness;
      return this;
    }

    /**
     * Sets the partition count of the topic.
     *
     * @param partitions at least 1
     * @return this builder
     */
    public Builder partitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    /**
     * Sets the retention of the topic.
     *
     * @param retention positive
     * @return this builder
     */
    public Builder retention(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention must be positive, got " + retention);
      }
      this.retention = retention;
      return this;
    }

    /**
     * Adds tags.
     *
     * @param tags catalogue tags
     * @return this builder
     */
    public Builder tags(String... tags) {
      for (String t : tags) {
        this.tags.add(Objects.requireNonNull(t, "tag"));
      }
      return this;
    }

    /**
     * Overrides the topic name.
     *
     * @param topic the topic
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * Names the key field (top level).
     *
     * @param field the field name
     * @return this builder
     */
    public Builder key(String field) {
      this.key = Objects.requireNonNull(field, "field");
      return this;
    }

    /**
     * Describes a field; calling it again for the same path adds to the earlier description.
     *
     * @param path the field name, or a dotted path into nested records ({@code items.quantity})
     * @param spec fills in the field's metadata
     * @return this builder
     */
    public Builder field(String path, Consumer<FieldBuilder> spec) {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(spec, "spec");
      spec.accept(fields.computeIfAbsent(path, p -> new FieldBuilder()));
      return this;
    }

    /**
     * Deprecates this major: the same as {@link Sunset} on an annotated class (producers stamp
     * {@code ce_meshsunset}, consumers warn and count, the schema carries {@code mesh.sunset}). The
     * successor must be a later major; that is checked when the contract is built.
     *
     * @param sunset the sunset date, successor major and announcement
     * @return this builder
     */
    public Builder sunset(ProductSunset sunset) {
      this.sunset = Objects.requireNonNull(sunset, "sunset");
      return this;
    }

    /**
     * Builds the descriptor. The contents are validated when the contract is built.
     *
     * @return the descriptor
     */
    public ProductDescriptor build() {
      return new ProductDescriptor(this);
    }
  }
}
