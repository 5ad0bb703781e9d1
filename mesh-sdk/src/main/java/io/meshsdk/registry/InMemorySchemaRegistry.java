package io.meshsdk.registry;

import io.meshsdk.registry.SchemaRegistryException.Kind;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;

/**
 * A schema registry in memory, with Confluent's semantics: versions 1..n per subject (numbers are
 * not reused after a delete), global ids from 1 shared by identical schemas across subjects,
 * idempotent registration, registration refused when incompatible under the subject's mode, and a
 * global default mode of {@code BACKWARD}. Two schemas are identical when their normalized JSON is
 * (so docs and properties count, as in Confluent's registry); compatibility uses Avro's own
 * checker.
 *
 * <p>{@link #requestCount()} counts every call, so tests can prove that a hot path makes none.
 *
 * <p>Thread-safety: thread-safe; reads of schemas by id take no lock.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Subject> subjects = new TreeMap<>();
  private final Map<String, Compatibility> subjectModes = new HashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile Compatibility globalMode = Compatibility.BACKWARD;
  private int nextId = 1;

  private static final class Subject {
    final TreeMap<Integer, RegisteredSchema> versions = new TreeMap<>();
    final TreeMap<Integer, RegisteredSchema> deleted = new TreeMap<>();
    int lastVersion;

    /** Soft-deleted: no live versions, some deleted ones; numbers go on from lastVersion. */
    boolean softDeleted() {
      return versions.isEmpty() && !deleted.isEmpty();
    }
  }

  private static final Map<String, InMemorySchemaRegistry> NAMED = new ConcurrentHashMap<>();

  /** Creates an empty registry with global compatibility {@code BACKWARD}. */
  public InMemorySchemaRegistry() {}

  /**
   * The registry of this name in this JVM, created empty on first use: what the configuration value
   * {@code schema.registry.url=mock://name} names, so that a mesh, a serializer configured by class
   * name and a test can share one registry. Nobody owns it; {@link #close()} does nothing.
   *
   * @param name the name
   * @return the registry
   * @throws NullPointerException if the name is null
   */
  public static InMemorySchemaRegistry named(String name) {
    return NAMED.computeIfAbsent(
        Objects.requireNonNull(name, "name"), n -> new InMemorySchemaRegistry());
  }

  /**
   * Forgets the registry of this name, as Confluent's {@code MockSchemaRegistry.dropScope} does:
   * the next {@link #named(String)} (or {@code mock://name}) gets a new, empty one. Whoever holds
   * the old one keeps it. {@code @MeshTest} does this after each test for the names the test
   * created, so that tests do not see each other's schemas.
   *
   * @param name the name
   * @return whether a registry of that name existed
   */
  public static boolean dropNamed(String name) {
    return NAMED.remove(Objects.requireNonNull(name, "name")) != null;
  }

  /**
   * The names of the named registries that exist now.
   *
   * @return the names, sorted
   */
  public static java.util.SortedSet<String> names() {
    return new java.util.TreeSet<>(NAMED.keySet());
  }

  /**
   * Forgets every named registry (see {@link #dropNamed(String)}).
   *
   * @return the names that were dropped, sorted
   */
  public static java.util.List<String> dropAllNamed() {
    java.util.List<String> names = new java.util.ArrayList<>(NAMED.keySet());
    names.forEach(NAMED::remove);
    java.util.Collections.sort(names);
    return names;
  }

  /**
   * How many calls this registry has served.
   *
   * @return the count
   */
  public long requestCount() {
    return requests.get();
  }

  @Override
  public synchronized RegisteredSchema register(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    requests.incrementAndGet();
    String canonical = canonical(schema);
    Subject s = subjects.get(subject);
    if (s != null) {
      for (RegisteredSchema r : s.versions.values()) {
        if (canonical(r.schema()).equals(canonical)) {
          return r;
        }
      }
      // soft-deleted versions are not checked against: a subject re-registered after a soft
      // delete starts anew (with new version numbers)
      CompatibilityReport report = check(subject, s, schema);
      if (!report.isCompatible()) {
        throw new IncompatibleSchemaException(subject, report);
      }
    } else {
      s = new Subject();
      subjects.put(subject, s);
    }
    Integer id = idsByCanonical.get(canonical);
    Schema stored;
    if (id == null) {
      id = nextId++;
      stored = new Schema.Parser().parse(canonical);
      idsByCanonical.put(canonical, id);
      schemasById.put(id, stored);
    } else {
      // every id in idsByCanonical has its schema
      stored = Objects.requireNonNull(schemasById.get(id));
    }
    int version = ++s.lastVersion;
    RegisteredSchema registered = RegisteredSchema.of(subject, version, id, stored);
    s.versions.put(version, registered);
    return registered;
  }

  @Override
  public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    requests.incrementAndGet();
    Subject s = subjects.get(subject);
    if (s == null || s.versions.isEmpty()) {
      return Optional.empty();
    }
    String canonical = canonical(schema);
    for (RegisteredSchema r : s.versions.values()) {
      if (canonical(r.schema()).equals(canonical)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public Schema schemaById(int id) {
    requests.incrementAndGet();
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(Kind.SCHEMA_NOT_FOUND, "no schema with id " + id);
    }
    return schema;
  }

  /**
   * The GUID of the schema with an id: name-based on the id, so stable for this registry's life
   * (Confluent Platform 8 registries give each schema a GUID; this one derives it).
   *
   * @param id the schema id
   * @return the GUID
   * @throws SchemaRegistryException of kind {@code SCHEMA_NOT_FOUND} if no schema has the id
   */
  public java.util.UUID guid(int id) {
    schemaById(id);
    return guidOf(id);
  }

  private static java.util.UUID guidOf(int id) {
    return java.util.UUID.nameUUIDFromBytes(
        ("mesh-sdk in-memory schema " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Looks the GUID up among the ids given out ({@link #guid}). */
  @Override
  public Schema schemaByGuid(java.util.UUID guid) {
    Objects.requireNonNull(guid, "guid");
    for (Integer id : schemasById.keySet()) {
      if (guidOf(id).equals(guid)) {
        return schemaById(id);
      }
    }
    requests.incrementAndGet();
    throw new SchemaRegistryException(Kind.SCHEMA_NOT_FOUND, "no schema with GUID " + guid);
  }

  /** A global id is a schema id here: one id space, as in Confluent's registry. */
  @Override
  public Schema schemaByGlobalId(long globalId) {
    if (globalId < 0 || globalId > Integer.MAX_VALUE) {
      throw new SchemaRegistryException(
          Kind.SCHEMA_NOT_FOUND, "no schema with global id " + globalId);
    }
    return schemaById((int) globalId);
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    requests.incrementAndGet();
    return subject(subject).versions.lastEntry().getValue();
  }

  @Override
  public synchronized RegisteredSchema version(String subject, int version) {
    requests.incrementAndGet();
    RegisteredSchema r = subject(subject).versions.get(version);
    if (r == null) {
      throw new SchemaRegistryException(
          Kind.VERSION_NOT_FOUND, "subject '" + subject + "' has no version " + version);
    }
    return r;
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    requests.incrementAndGet();
    return List.copyOf(subject(subject).versions.keySet());
  }

  @Override
  public synchronized List<String> subjects() {
    requests.incrementAndGet();
    List<String> live = new ArrayList<>();
    for (Map.Entry<String, Subject> e : subjects.entrySet()) {
      if (!e.getValue().versions.isEmpty()) {
        live.add(e.getKey());
      }
    }
    return live;
  }

  @Override
  public synchronized CompatibilityReport testCompatibility(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    requests.incrementAndGet();
    Subject s = subjects.get(subject);
    if (s == null || s.versions.isEmpty()) {
      return CompatibilityReport.compatible(compatibilityOf(subject));
    }
    return check(subject, s, schema);
  }

  private CompatibilityReport check(String subject, Subject s, Schema schema) {
    List<Schema> previous = new ArrayList<>();
    for (RegisteredSchema r : s.versions.values()) {
      previous.add(r.schema());
    }
    return compatibilityOf(subject).check(schema, previous);
  }

  @Override
  public synchronized Compatibility compatibility(String subject) {
    requireSubject(subject);
    requests.incrementAndGet();
    return compatibilityOf(subject);
  }

  @Override
  public synchronized Optional<Compatibility> subjectCompatibility(String subject) {
    requireSubject(subject);
    requests.incrementAndGet();
    return Optional.ofNullable(subjectModes.get(subject));
  }

  private Compatibility compatibilityOf(String subject) {
    return subjectModes.getOrDefault(subject, globalMode);
  }

  @Override
  public synchronized void setCompatibility(String subject, Compatibility mode) {
    requireSubject(subject);
    Objects.requireNonNull(mode, "mode");
    requests.incrementAndGet();
    subjectModes.put(subject, mode);
  }

  @Override
  public Compatibility globalCompatibility() {
    requests.incrementAndGet();
    return globalMode;
  }

  @Override
  public void setGlobalCompatibility(Compatibility mode) {
    Objects.requireNonNull(mode, "mode");
    requests.incrementAndGet();
    globalMode = mode;
  }

  @Override
  public synchronized List<Integer> deleteSubject(String subject) {
    requireSubject(subject);
    requests.incrementAndGet();
    Subject s = subjects.get(subject);
    if (s != null && s.softDeleted()) {
      throw new SchemaRegistryException(
          Kind.SUBJECT_SOFT_DELETED,
          "subject '" + subject + "' was soft-deleted already; delete it permanently instead");
    }
    s = subject(subject);
    List<Integer> versions = List.copyOf(s.versions.keySet());
    s.deleted.putAll(s.versions);
    s.versions.clear();
    return versions;
  }

  @Override
  public synchronized List<Integer> deleteSubjectPermanently(String subject) {
    requireSubject(subject);
    requests.incrementAndGet();
    Subject s = subjects.get(subject);
    if (s == null) {
      throw new SchemaRegistryException(
          Kind.SUBJECT_NOT_FOUND, "subject '" + subject + "' not found");
    }
    if (!s.versions.isEmpty()) {
      throw new SchemaRegistryException(
          Kind.SUBJECT_NOT_SOFT_DELETED,
          "subject '" + subject + "' must be soft-deleted before it is deleted permanently");
    }
    subjects.remove(subject);
    subjectModes.remove(subject);
    for (RegisteredSchema r : s.deleted.values()) {
      if (!usedElsewhere(r.id())) {
        schemasById.remove(r.id());
        idsByCanonical.values().remove(r.id());
      }
    }
    return List.copyOf(s.deleted.keySet());
  }

  private boolean usedElsewhere(int id) {
    for (Subject other : subjects.values()) {
      for (RegisteredSchema r : other.versions.values()) {
        if (r.id() == id) {
          return true;
        }
      }
      for (RegisteredSchema r : other.deleted.values()) {
        if (r.id() == id) {
          return true;
        }
      }
    }
    return false;
  }

  private Subject subject(String subject) {
    requireSubject(subject);
    Subject s = subjects.get(subject);
    if (s == null || s.versions.isEmpty()) {
      throw new SchemaRegistryException(
          Kind.SUBJECT_NOT_FOUND, "subject '" + subject + "' not found");
    }
    return s;
  }

  private static void requireSubject(String subject) {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
  }

  private static String canonical(Schema schema) {
    return new Schema.Parser().parse(schema.toString()).toString();
  }

  @Override
  public String toString() {
    return "InMemorySchemaRegistry[subjects="
        + subjects.size()
        + ", schemas="
        + schemasById.size()
        + "]";
  }
}
