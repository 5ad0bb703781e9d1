package io.meshsdk.registry.internal;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.RegisteredSchema;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityReport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry that answers what a {@link ContractLock} holds without asking the registry behind it:
 * the ids, versions and schemas of locked subjects and their compatibility modes. Registry ids and
 * versions never change, and {@link #start} compared the lock with the registry when it could be
 * reached, so these answers are the registry's own. Everything else (unlocked subjects, schemas the
 * lock does not know, administration) goes to the registry.
 *
 * <p>Thread-safety: thread-safe when the registry behind it is. Closing it closes that registry.
 */
public final class LockedSchemaRegistry implements SchemaRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(LockedSchemaRegistry.class);

  private final SchemaRegistry delegate;
  private final ContractLock lock;

  private LockedSchemaRegistry(SchemaRegistry delegate, ContractLock lock) {
    this.delegate = delegate;
    this.lock = lock;
  }

  /**
   * Checks a lock against a registry and wraps the registry. When the registry is reachable, every
   * mismatch fails start-up; when it is unreachable (a retriable failure), the mesh starts on the
   * lock and says so once.
   *
   * @param registry the registry
   * @param lock the lock
   * @return the registry answering locked subjects from the lock
   * @throws MeshConfigurationException listing the mismatches between lock and registry
   * @throws SchemaRegistryException if the registry refuses the check for another reason
   *     (authorisation)
   */
  public static LockedSchemaRegistry start(SchemaRegistry registry, ContractLock lock) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(lock, "lock");
    try {
      List<String> mismatches = lock.mismatches(registry);
      if (!mismatches.isEmpty()) {
        throw new MeshConfigurationException(
            "the contract lock does not match the schema registry; write the lock again against"
                + " this registry (mesh:lock) or deploy to the registry it was written for",
            mismatches);
      }
      LOG.info(
          "contract lock verified against the schema registry: {} subject(s)",
          lock.subjects().size());
    } catch (SchemaRegistryException e) {
      if (!e.isRetriable()) {
        throw e;
      }
      LOG.warn(
          "the schema registry is unreachable ({}); starting from the contract lock: the {} locked"
              + " subject(s) work without it, other schemas wait for it",
          e.getMessage(),
          lock.subjects().size());
    }
    return new LockedSchemaRegistry(registry, lock);
  }

  /**
   * The lock this registry answers from.
   *
   * @return the lock
   */
  public ContractLock lock() {
    return lock;
  }

  @Override
  public RegisteredSchema register(String subject, Schema schema) {
    Optional<RegisteredSchema> locked = lock.find(subject, schema);
    return locked.isPresent() ? locked.get() : delegate.register(subject, schema);
  }

  @Override
  public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
    Optional<RegisteredSchema> locked = lock.find(subject, schema);
    return locked.isPresent() ? locked : delegate.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    Optional<Schema> locked = lock.schemaById(id);
    return locked.isPresent() ? locked.get() : delegate.schemaById(id);
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return delegate.latest(subject);
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    for (RegisteredSchema r : lock.versions(subject)) {
      if (r.version() == version) {
        return r;
      }
    }
    return delegate.version(subject, version);
  }

  @Override
  public List<Integer> versions(String subject) {
    return delegate.versions(subject);
  }

  @Override
  public List<String> subjects() {
    return delegate.subjects();
  }

  @Override
  public CompatibilityReport testCompatibility(String subject, Schema schema) {
    return delegate.testCompatibility(subject, schema);
  }

  @Override
  public Compatibility compatibility(String subject) {
    Optional<Compatibility> locked = lock.compatibility(subject);
    return locked.isPresent() ? locked.get() : delegate.compatibility(subject);
  }

  @Override
  public Optional<Compatibility> subjectCompatibility(String subject) {
    return lock.compatibility(subject).isPresent()
        ? lock.ownCompatibility(subject)
        : delegate.subjectCompatibility(subject);
  }

  @Override
  public void setCompatibility(String subject, Compatibility mode) {
    delegate.setCompatibility(subject, mode);
  }

  @Override
  public Compatibility globalCompatibility() {
    return delegate.globalCompatibility();
  }

  @Override
  public void setGlobalCompatibility(Compatibility mode) {
    delegate.setGlobalCompatibility(mode);
  }

  @Override
  public Optional<String> schemaUrl(int id) {
    return delegate.schemaUrl(id);
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    return delegate.deleteSubject(subject);
  }

  @Override
  public List<Integer> deleteSubjectPermanently(String subject) {
    return delegate.deleteSubjectPermanently(subject);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "LockedSchemaRegistry[" + delegate + ", " + lock + "]";
  }
}
