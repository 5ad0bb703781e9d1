package io.meshsdk.contract.internal;

import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.ContractViolation;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.contract.ProductSunset;
import io.meshsdk.contract.ProductVersion;
import io.meshsdk.schema.Compatibility;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/** The contract as built by {@link ContractCompiler}. Immutable and thread-safe. */
public final class DefaultProductContract<T> implements ProductContract<T> {
  private final Class<T> type;
  private final String domain;
  private final String name;
  private final ProductVersion version;
  private final String owner;
  private final String description;
  private final ProductKind kind;
  private final @Nullable String keyField;
  private final @Nullable Accessor keyAccessor;
  private final String topic;
  private final Schema schema;
  private final List<ContractField> fields;
  private final Compatibility compatibility;
  private final @Nullable Duration freshness;
  private final int partitions;
  private final @Nullable Duration retention;
  private final Set<String> tags;
  private final RecordModel model;
  private final CompiledValidator validator;
  private final boolean generated;
  private final String label;
  private final @Nullable ProductSunset sunset;

  DefaultProductContract(
      Class<T> type,
      ContractCompiler.Meta meta,
      ProductVersion version,
      @Nullable String keyField,
      @Nullable Accessor keyAccessor,
      Schema schema,
      List<ContractField> fields,
      RecordModel model,
      CompiledValidator validator,
      boolean generated) {
    this.type = type;
    this.domain = meta.domain();
    this.name = meta.name();
    this.version = version;
    this.owner = meta.owner();
    this.description = meta.description();
    this.kind = meta.kind();
    this.keyField = keyField;
    this.keyAccessor = keyAccessor;
    this.topic = meta.topic() != null ? meta.topic() : domain + "." + name + ".v" + version.major();
    this.schema = schema;
    this.fields = List.copyOf(fields);
    this.compatibility = meta.compatibility();
    this.freshness = meta.freshness();
    this.partitions = meta.partitions();
    this.retention = meta.retention();
    this.tags = Set.copyOf(meta.tags());
    this.sunset = meta.sunset();
    this.model = model;
    this.validator = validator;
    this.generated = generated;
    this.label = domain + "." + name + " " + version;
  }

  /** The compiled checks of the contract, which a codec also applies while it encodes. */
  public CompiledValidator validator() {
    return validator;
  }

  /** The class model used by the codec. */
  public RecordModel model() {
    return model;
  }

  /** Whether the type is an Avro-generated {@code SpecificRecord}. */
  public boolean generated() {
    return generated;
  }

  @Override
  public Class<T> type() {
    return type;
  }

  @Override
  public String id() {
    return domain + "." + name;
  }

  @Override
  public String domain() {
    return domain;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProductVersion version() {
    return version;
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public ProductKind kind() {
    return kind;
  }

  @Override
  public Optional<String> keyField() {
    return Optional.ofNullable(keyField);
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String subject() {
    return topic + "-value";
  }

  @Override
  public String eventType() {
    return domain + "." + name + ".v" + version.major();
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public List<ContractField> fields() {
    return fields;
  }

  @Override
  public Compatibility compatibility() {
    return compatibility;
  }

  @Override
  public Optional<Duration> freshness() {
    return Optional.ofNullable(freshness);
  }

  @Override
  public int partitions() {
    return partitions;
  }

  @Override
  public Optional<Duration> retention() {
    return Optional.ofNullable(retention);
  }

  @Override
  public Set<String> tags() {
    return tags;
  }

  @Override
  public boolean hasDataSubject() {
    return model().properties().stream().anyMatch(PropertyModel::subject);
  }

  @Override
  public List<String> encryptedFields() {
    return model().properties().stream()
        .filter(PropertyModel::encrypted)
        .map(PropertyModel::name)
        .toList();
  }

  @Override
  public Optional<ProductSunset> sunset() {
    return Optional.ofNullable(sunset);
  }

  @Override
  public List<ContractViolation> validate(T value) {
    Objects.requireNonNull(value, "value");
    return validator.validate(value);
  }

  @Override
  public void check(T value) {
    List<ContractViolation> violations = validate(value);
    if (!violations.isEmpty()) {
      throw new ContractViolationException(label, violations);
    }
  }

  @Override
  public @Nullable String key(T value) {
    Objects.requireNonNull(value, "value");
    if (keyAccessor == null) {
      return null;
    }
    Object key = keyAccessor.get(value);
    return key == null ? null : key.toString();
  }

  @Override
  public String toString() {
    return "ProductContract[" + label + ", topic=" + topic + ", type=" + type.getName() + "]";
  }
}
