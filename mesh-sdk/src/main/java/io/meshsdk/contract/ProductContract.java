package io.meshsdk.contract;

import io.meshsdk.contract.internal.ContractCompiler;
import io.meshsdk.schema.Compatibility;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Everything a consumer may rely on about a data product: identity, version, owner, kind, key,
 * topic, schema, field metadata, data-quality rules, compatibility and freshness.
 *
 * <p>Obtain one with {@link #of(Class)} for an annotated class (read once and cached per class) or
 * {@link #of(Class, ProductDescriptor)} for a class that cannot carry annotations, such as an
 * Avro-generated {@code SpecificRecord}. Building a contract validates the whole class at once: a
 * class that cannot be a product fails with one {@link
 * io.meshsdk.errors.MeshConfigurationException} listing every problem.
 *
 * <p>Thread-safety: immutable and thread-safe; share one instance. {@link #validate(Object)} runs
 * constraints compiled once per class, with no reflection per record. Not meant to be implemented
 * outside the SDK.
 *
 * @param <T> the product's Java type
 */
public interface ProductContract<T> {

  /**
   * The contract of a class annotated with {@link DataProduct}, derived once and cached.
   *
   * @param type the product class: a record, a plain class with a no-arg constructor and setters
   *     (or a constructor taking every field in declaration order)
   * @param <T> the product type
   * @return the contract
   * @throws io.meshsdk.errors.MeshConfigurationException listing every problem when the class
   *     cannot be a data product
   * @throws NullPointerException if {@code type} is null
   */
  static <T> ProductContract<T> of(Class<T> type) {
    return ContractCompiler.contractOf(type);
  }

  /**
   * The contract of a class described in code, for classes that cannot be annotated (Avro-generated
   * {@code SpecificRecord}s) or whose annotations should be overridden.
   *
   * @param type the product class
   * @param descriptor the product metadata
   * @param <T> the product type
   * @return a new contract; not cached, keep the instance
   * @throws io.meshsdk.errors.MeshConfigurationException listing every problem
   * @throws NullPointerException if an argument is null
   */
  static <T> ProductContract<T> of(Class<T> type, ProductDescriptor descriptor) {
    return ContractCompiler.contractOf(type, descriptor);
  }

  /**
   * The product's Java type.
   *
   * @return the class
   */
  Class<T> type();

  /**
   * The product id {@code domain.name}, for example {@code orders.order-placed}.
   *
   * @return the id
   */
  String id();

  /**
   * The owning domain.
   *
   * @return the domain
   */
  String domain();

  /**
   * The product name inside its domain.
   *
   * @return the name
   */
  String name();

  /**
   * The semantic version.
   *
   * @return the version
   */
  ProductVersion version();

  /**
   * The owning team.
   *
   * @return the owner, possibly blank (governance flags it)
   */
  String owner();

  /**
   * What one record means.
   *
   * @return the description, possibly blank (governance flags it)
   */
  String description();

  /**
   * Events or state.
   *
   * @return the kind
   */
  ProductKind kind();

  /**
   * The name of the key field.
   *
   * @return the key field, empty when the product has none
   */
  Optional<String> keyField();

  /**
   * The topic, {@code {domain}.{name}.v{major}} unless overridden.
   *
   * @return the topic
   */
  String topic();

  /**
   * The registry subject under the topic-name strategy, {@code {topic}-value}.
   *
   * @return the subject
   */
  String subject();

  /**
   * The CloudEvents type of the product's records, {@code {domain}.{name}.v{major}}.
   *
   * @return the type
   */
  String eventType();

  /**
   * The derived (or, for generated classes, declared) Avro schema, with the contract metadata as
   * properties ({@code mesh.domain}, {@code mesh.owner}, {@code mesh.pii} per field, ...).
   *
   * @return the schema
   */
  Schema schema();

  /**
   * The top-level fields in schema order.
   *
   * @return an immutable list
   */
  List<ContractField> fields();

  /**
   * The compatibility the owner promises.
   *
   * @return the mode
   */
  Compatibility compatibility();

  /**
   * The freshness objective.
   *
   * @return the objective, empty when none is declared
   */
  Optional<Duration> freshness();

  /**
   * Partitions for the topic.
   *
   * @return the count, {@code 0} for the provisioning default
   */
  int partitions();

  /**
   * Retention for the topic.
   *
   * @return the retention, empty for the broker default
   */
  Optional<Duration> retention();

  /**
   * Catalogue tags.
   *
   * @return an immutable set
   */
  Set<String> tags();

  /**
   * Whether the product names a data subject field ({@link DataSubject}): each subject's encrypted
   * fields then have a key of their own, which {@code Mesh.forgetSubject} deletes.
   *
   * <p>Added after the first version: the default has none.
   *
   * @return whether it names one
   */
  default boolean hasDataSubject() {
    return false;
  }

  /**
   * The fields producers encrypt ({@code @Pii(encrypted = true)}).
   *
   * <p>Added after the first version: the default has none.
   *
   * @return the top-level field names, in field order
   */
  default List<String> encryptedFields() {
    return List.of();
  }

  /**
   * The sunset of this major, when it is deprecated ({@link Sunset}).
   *
   * @return the sunset, or empty
   */
  default Optional<ProductSunset> sunset() {
    return Optional.empty();
  }

  /**
   * Checks a value against every rule of the contract (required fields, declared constraints,
   * decimal precision) and returns every violation.
   *
   * @param value the record to check
   * @return the violations, empty when the value complies
   * @throws NullPointerException if {@code value} is null
   */
  List<ContractViolation> validate(T value);

  /**
   * Like {@link #validate(Object)}, but throws when anything is violated.
   *
   * @param value the record to check
   * @throws ContractViolationException listing every violation
   * @throws NullPointerException if {@code value} is null
   */
  void check(T value);

  /**
   * The record key of a value: the key field as text.
   *
   * @param value the record
   * @return the key, {@code null} when the product declares no key
   * @throws NullPointerException if {@code value} is null
   */
  @Nullable String key(T value);
}
