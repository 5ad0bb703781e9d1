package io.meshsdk.contract;

import io.meshsdk.schema.Compatibility;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a Java record or class as a data product: a named, owned, versioned stream.
 *
 * <pre>{@code
 * @DataProduct(domain = "orders", name = "order-placed", version = "1.0",
 *              owner = "team-orders", description = "An order accepted from a customer.")
 * public record OrderPlaced(@Key String orderId, long amountCents) {}
 * }</pre>
 *
 * <p>The product's identity is {@code domain.name}; its topic is {@code {domain}.{name}.v{major}}
 * unless {@link #topic()} overrides it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DataProduct {
  /**
   * The owning domain, kebab-case (for example {@code orders}).
   *
   * @return the domain
   */
  String domain();

  /**
   * The product's name inside its domain, kebab-case (for example {@code order-placed}).
   *
   * @return the name
   */
  String name();

  /**
   * The semantic version {@code major.minor}. A minor version changes the schema compatibly inside
   * the same topic; a major version is a new topic.
   *
   * @return the version, for example {@code "2.1"}
   */
  String version();

  /**
   * The owning team, where consumers go with questions.
   *
   * @return the owner
   */
  String owner();

  /**
   * What one record of this product means, in a sentence.
   *
   * @return the description
   */
  String description();

  /**
   * Append-only events or latest state per key.
   *
   * @return the kind, {@link ProductKind#EVENTS} by default
   */
  ProductKind kind() default ProductKind.EVENTS;

  /**
   * The schema compatibility the owner promises between versions of the same major. The default,
   * {@code BACKWARD_TRANSITIVE}, lets a consumer on the newest schema replay the product's whole
   * history.
   *
   * @return the compatibility mode
   */
  Compatibility compatibility() default Compatibility.BACKWARD_TRANSITIVE;

  /**
   * The freshness objective as an ISO-8601 duration (for example {@code "PT5M"}): how old a record
   * may be when it reaches a consumer. Empty for none.
   *
   * @return the freshness objective
   */
  String freshness() default "";

  /**
   * Partitions of the product's topic; {@code 0} leaves it to the provisioning default.
   *
   * @return the partition count
   */
  int partitions() default 0;

  /**
   * Retention of the product's topic as an ISO-8601 duration (for example {@code "P30D"}); empty
   * for the broker default.
   *
   * @return the retention
   */
  String retention() default "";

  /**
   * Free-form tags for catalogues (for example {@code "tier-1"}).
   *
   * @return the tags
   */
  String[] tags() default {};

  /**
   * Pins the Avro full name of the product's record (for example {@code
   * "com.acme.orders.OrderPlaced"}); empty for the Java package and class name. Avro readers and
   * registries treat a renamed record as a breaking change, so pinning the name lets the class be
   * moved or renamed safely.
   *
   * @return the full name
   */
  String schemaName() default "";

  /**
   * Overrides the topic name; empty for {@code {domain}.{name}.v{major}}.
   *
   * @return the topic
   */
  String topic() default "";
}
