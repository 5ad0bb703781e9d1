package io.meshsdk.registry;

import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityReport;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A schema registry with the semantics of Confluent's: subjects hold versions 1..n of a schema;
 * each distinct schema has one global id shared by every subject it is registered under;
 * registration is idempotent and refused when the schema breaks the subject's compatibility mode.
 *
 * <p>This is the SDK's service-provider interface: {@link InMemorySchemaRegistry} implements it for
 * tests and demos, and a REST client implements it for real registries.
 *
 * <p>Evolution policy: methods added to this interface after its first release always come with a
 * default implementation, documented as such ("Added after the first version of this SPI"), so an
 * implementation written against an earlier version keeps compiling and running; the default is the
 * conservative answer (empty, or an {@link UnsupportedOperationException} naming the
 * implementation), never a silent success. The abstract methods below are the contract every
 * implementation fulfils and are not changed within a major version of Mesh SDK. Types passed in
 * and out ({@link RegisteredSchema}, {@link SchemaRegistryException}) grow by new accessors and
 * factory overloads only. Implementations should extend nothing else of the SDK; {@code
 * docs/api.md} has the policy for every public type.
 *
 * <p>Thread-safety: implementations must be thread-safe. A registry passed to the SDK is not closed
 * by it; {@link #close()} is for whoever created it.
 */
public interface SchemaRegistry extends AutoCloseable {

  /**
   * Registers a schema under a subject, or returns its existing registration.
   *
   * @param subject the subject
   * @param schema the schema
   * @return the registration
   * @throws IncompatibleSchemaException if the subject's compatibility mode refuses it
   * @throws SchemaRegistryException if the registry fails
   */
  RegisteredSchema register(String subject, Schema schema);

  /**
   * Looks up a schema's registration under a subject without registering.
   *
   * @param subject the subject
   * @param schema the schema
   * @return the registration, empty when the schema is not registered there
   * @throws SchemaRegistryException if the registry fails
   */
  Optional<RegisteredSchema> lookup(String subject, Schema schema);

  /**
   * The schema with a global id.
   *
   * @param id the schema id
   * @return the schema
   * @throws SchemaRegistryException of kind {@code SCHEMA_NOT_FOUND} if no schema has the id
   */
  Schema schemaById(int id);

  /**
   * The schema with a GUID: Confluent's schema-id header in its GUID form names schemas so
   * (Confluent Platform 8 registries give every schema one, {@code GET /schemas/guids/{guid}}).
   *
   * @param guid the GUID
   * @return the schema
   * @throws SchemaRegistryException of kind {@code SCHEMA_NOT_FOUND} if no schema has the GUID, or
   *     the registry does not name schemas by GUID (the default)
   */
  default Schema schemaByGuid(java.util.UUID guid) {
    throw new SchemaRegistryException(
        SchemaRegistryException.Kind.SCHEMA_NOT_FOUND,
        "no schema with GUID " + guid + ": this registry does not name schemas by GUID");
  }

  /**
   * The schema with an Apicurio global id (a version of an artifact): Apicurio's serializers name
   * schemas so in their headers and their legacy 8-byte prefix.
   *
   * @param globalId the global id
   * @return the schema
   * @throws SchemaRegistryException of kind {@code SCHEMA_NOT_FOUND} if no schema has the id, or
   *     the registry has no global ids (the default)
   */
  default Schema schemaByGlobalId(long globalId) {
    throw new SchemaRegistryException(
        SchemaRegistryException.Kind.SCHEMA_NOT_FOUND,
        "no schema with global id " + globalId + ": this registry has no Apicurio global ids");
  }

  /**
   * The schema with an Apicurio content id. Apicurio's Confluent-compatible API numbers schemas by
   * content id, so the default asks {@link #schemaById}.
   *
   * @param contentId the content id
   * @return the schema
   * @throws SchemaRegistryException of kind {@code SCHEMA_NOT_FOUND} if no schema has the id
   */
  default Schema schemaByContentId(long contentId) {
    if (contentId < 0 || contentId > Integer.MAX_VALUE) {
      throw new SchemaRegistryException(
          SchemaRegistryException.Kind.SCHEMA_NOT_FOUND, "no schema with content id " + contentId);
    }
    return schemaById((int) contentId);
  }

  /**
   * The latest version under a subject.
   *
   * @param subject the subject
   * @return the latest registration
   * @throws SchemaRegistryException of kind {@code SUBJECT_NOT_FOUND} if the subject is unknown
   */
  RegisteredSchema latest(String subject);

  /**
   * One version under a subject.
   *
   * @param subject the subject
   * @param version the version, from 1
   * @return the registration
   * @throws SchemaRegistryException of kind {@code SUBJECT_NOT_FOUND} or {@code VERSION_NOT_FOUND}
   */
  RegisteredSchema version(String subject, int version);

  /**
   * The versions under a subject, oldest first.
   *
   * @param subject the subject
   * @return the versions
   * @throws SchemaRegistryException of kind {@code SUBJECT_NOT_FOUND} if the subject is unknown
   */
  List<Integer> versions(String subject);

  /**
   * Every subject.
   *
   * @return the subjects, sorted
   */
  List<String> subjects();

  /**
   * Tests a schema against a subject's versions under its compatibility mode, without registering.
   *
   * @param subject the subject
   * @param schema the candidate
   * @return the report; compatible when the subject does not exist yet
   */
  CompatibilityReport testCompatibility(String subject, Schema schema);

  /**
   * The compatibility mode in force for a subject: its own, or else the global one.
   *
   * @param subject the subject
   * @return the mode
   */
  Compatibility compatibility(String subject);

  /**
   * The compatibility mode set on the subject itself, without falling back to the global one: a
   * subject whose own mode is {@code NONE} reports {@code NONE} even under a stricter global mode,
   * and a subject without its own mode reports empty.
   *
   * <p>Added after the first version of this SPI: the default says "not known" (empty), so that a
   * producer in {@code AUTO_REGISTER} mode sets the declared mode on the subject, which can only
   * make it stricter. Implementations should answer from the registry.
   *
   * @param subject the subject
   * @return the subject's own mode, or empty when it has none
   * @throws SchemaRegistryException if the registry fails
   */
  default Optional<Compatibility> subjectCompatibility(String subject) {
    return Optional.empty();
  }

  /**
   * Sets a subject's own compatibility mode.
   *
   * @param subject the subject
   * @param mode the mode
   */
  void setCompatibility(String subject, Compatibility mode);

  /**
   * The global compatibility mode, used by subjects without their own.
   *
   * @return the mode
   */
  Compatibility globalCompatibility();

  /**
   * Sets the global compatibility mode.
   *
   * @param mode the mode
   */
  void setGlobalCompatibility(Compatibility mode);

  /**
   * Where the schema with an id can be fetched, for the {@code ce_dataschema} header: for a
   * Confluent-compatible registry, {@code {url}/schemas/ids/{id}} (a JSON object whose {@code
   * schema} field is the schema).
   *
   * <p>Added after the first version of this SPI: the default has no URL, and the SDK then writes
   * {@code urn:mesh:schema:{id}}.
   *
   * @param id the schema id
   * @return the URL, or empty when the registry has none (an in-memory one)
   */
  default Optional<String> schemaUrl(int id) {
    return Optional.empty();
  }

  /**
   * Soft-deletes a subject, as Confluent's registry does: its versions disappear from {@link
   * #subjects()}, {@link #versions(String)}, {@link #latest(String)} and {@link #lookup}, their ids
   * stay resolvable (records already written remain readable), their version numbers are never
   * reused (registering a schema again starts a new version), and the subject's own compatibility
   * mode is kept. Deleting a soft-deleted subject again fails with {@code SUBJECT_SOFT_DELETED}.
   *
   * @param subject the subject
   * @return the versions deleted
   * @throws SchemaRegistryException of kind {@code SUBJECT_NOT_FOUND} if the subject is unknown,
   *     {@code SUBJECT_SOFT_DELETED} if it is soft-deleted already
   */
  List<Integer> deleteSubject(String subject);

  /**
   * Deletes a soft-deleted subject for good (Confluent's {@code ?permanent=true}): its versions and
   * its own compatibility mode are gone; ids no other subject uses are gone too.
   *
   * <p>Added after the first version of this SPI: the default refuses, naming the implementation.
   *
   * @param subject the subject, soft-deleted before
   * @return the versions deleted
   * @throws SchemaRegistryException of kind {@code SUBJECT_NOT_SOFT_DELETED} if it was not
   *     soft-deleted first, {@code SUBJECT_NOT_FOUND} if it is unknown
   * @throws UnsupportedOperationException if the implementation cannot delete permanently
   */
  default List<Integer> deleteSubjectPermanently(String subject) {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not support deleting subjects permanently");
  }

  /** Releases resources (connections, caches). The default does nothing. */
  @Override
  default void close() {}
}
