package io.meshsdk.registry.internal;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.RegisteredSchema;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityReport;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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

  /** After the registry was found unreachable, how long modes come from the lock at once. */
  private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Until when (System.nanoTime) modes come from the lock without asking; 0: ask. */
  private volatile long unreachableUntil;

  private LockedSchemaRegistry(SchemaRegistry delegate, ContractLock lock, boolean unreachable) {
    this.delegate = delegate;
    this.lock = lock;
    if (unreachable) {
      markUnreachable();
    }
  }

  private void markUnreachable() {
    unreachableUntil = Math.max(1, System.nanoTime() + RETRY_AFTER_NANOS);
  }

  /**
   * Checks a lock against a registry and wraps the registry. When the registry is reachable, every
   * mismatch fails start-up; when it is unreachable (a retriable failure), the mesh starts on the
   * lock and says so once, provided the lock was written against the registry configured.
   *
   * @param registry the registry
   * @param lock the lock
   * @param configured the URLs of the registry the mesh is configured with ({@link
   *     Redaction#locations}); empty when it was given in code
   * @return the registry answering locked subjects from the lock
   * @throws MeshConfigurationException listing the mismatches between lock and registry; when the
   *     registry refuses the check (authorisation); when it is unreachable and the lock was written
   *     against another registry
   */
  public static LockedSchemaRegistry start(
      SchemaRegistry registry, ContractLock lock, List<String> configured) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(lock, "lock");
    List<String> mismatches;
    try {
      mismatches = lock.mismatches(registry);
    } catch (SchemaRegistryException e) {
      if (!e.isRetriable()) {
        throw new MeshConfigurationException(
            "cannot check the contract lock against the schema registry: "
                + e.getMessage()
                + "; fix the registry's access, or start without the lock ("
                + "mesh.contract.lock=none)",
            e);
      }
      if (!lock.registry().isEmpty()
          && !configured.isEmpty()
          && Collections.disjoint(lock.registry(), configured)) {
        throw new MeshConfigurationException(
            "the schema registry is unreachable ("
                + e.getMessage()
                + ") and the contract lock was written against "
                + lock.registry()
                + ", not this mesh's registry "
                + configured
                + ": its ids cannot be trusted here. Bundle a lock written against this registry"
                + " (mesh:lock with its URL) or start without one (mesh.contract.lock=none)",
            e);
      }
      LOG.warn(
          "the schema registry is unreachable ({}); starting from the contract lock: the {} locked"
              + " subject(s) work without it, other schemas wait for it; the lock is checked at"
              + " the next start with the registry up",
          e.getMessage(),
          lock.subjects().size());
      return new LockedSchemaRegistry(registry, lock, true);
    }
    if (!mismatches.isEmpty()) {
      throw new MeshConfigurationException(
          "the contract lock does not match the schema registry; write the lock again against"
              + " this registry (mesh:lock) or deploy to the registry it was written for",
          mismatches);
    }
    LOG.info(
        "contract lock verified against the schema registry: {} subject(s)",
        lock.subjects().size());
    return new LockedSchemaRegistry(registry, lock, false);
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
  public Schema schemaByGuid(java.util.UUID guid) {
    return delegate.schemaByGuid(guid);
  }

  @Override
  public Schema schemaByGlobalId(long globalId) {
    return delegate.schemaByGlobalId(globalId);
  }

  @Override
  public Schema schemaByContentId(long contentId) {
    return delegate.schemaByContentId(contentId);
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
    if (locked.isEmpty()) {
      return delegate.compatibility(subject);
    }
    return orLocked(() -> delegate.compatibility(subject), locked.get());
  }

  @Override
  public Optional<Compatibility> subjectCompatibility(String subject) {
    if (lock.compatibility(subject).isEmpty()) {
      return delegate.subjectCompatibility(subject);
    }
    return orLocked(() -> delegate.subjectCompatibility(subject), lock.ownCompatibility(subject));
  }

  /** The registry's answer; the lock's while the registry is unreachable. */
  private <V> V orLocked(Supplier<V> ask, V locked) {
    long until = unreachableUntil;
    if (until != 0 && System.nanoTime() - until < 0) {
      return locked;
    }
    try {
      return ask.get();
    } catch (SchemaRegistryException e) {
      if (!e.isRetriable()) {
        throw e;
      }
      markUnreachable();
      LOG.warn(
          "the schema registry is unreachable ({}); answering from the contract lock",
          e.getMessage());
      return locked;
    }
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
