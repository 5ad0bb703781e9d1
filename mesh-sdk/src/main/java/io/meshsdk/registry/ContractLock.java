package io.meshsdk.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.internal.Redaction;
import io.meshsdk.schema.Compatibility;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The schemas and ids an application relies on, written at build time and bundled in its jar: for
 * each product, the subject its records are written under, every version of that subject with its
 * global id and schema (so consumers can decode records of earlier versions), and the subject's
 * compatibility mode.
 *
 * <p>A mesh that has a lock (by default the resource {@value #RESOURCE} on the class path; see
 * {@code MeshBuilder.contractLock}) checks it against the registry at start-up and fails with a
 * {@link MeshConfigurationException} listing every mismatch; when the registry is unreachable it
 * starts anyway (if the lock was written against the registry the mesh is configured with), and
 * producers and consumers of the locked versions run from the lock, so a registry outage never
 * blocks a deployment of known versions. Records written with a schema the lock does not know still
 * need the registry. {@code docs/catalog.md} describes the file and the Maven goal that writes it.
 *
 * <p>Thread-safety: immutable.
 */
public final class ContractLock {
  /** Where a mesh looks for the lock on the class path: {@value}. */
  public static final String RESOURCE = "META-INF/mesh/contracts.lock.json";

  /** The format version this class writes and reads. */
  private static final int FORMAT = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Subject> subjects;
  private final Map<String, String> products;
  private final List<String> registry;

  /**
   * One locked subject: its versions, oldest first, and its compatibility modes at lock time.
   *
   * @param name the subject
   * @param compatibility the mode in force (the subject's own, else the registry's global one)
   * @param own the subject's own mode, or null when it had none
   * @param versions the versions, oldest first
   */
  private record Subject(
      String name,
      Compatibility compatibility,
      @Nullable Compatibility own,
      List<RegisteredSchema> versions) {

    /** Both locks' versions; one version number or id with different data is a mistake. */
    Subject merge(Subject other, String source) {
      Map<Integer, RegisteredSchema> byVersion = new TreeMap<>();
      for (RegisteredSchema r : versions) {
        byVersion.put(r.version(), r);
      }
      for (RegisteredSchema r : other.versions) {
        RegisteredSchema mine = byVersion.putIfAbsent(r.version(), r);
        if (mine != null
            && (mine.id() != r.id() || !canonical(mine.schema()).equals(canonical(r.schema())))) {
          throw new MeshConfigurationException(
              source
                  + " locks version "
                  + r.version()
                  + " of subject '"
                  + name
                  + "' with id "
                  + r.id()
                  + ", another "
                  + RESOURCE
                  + " with id "
                  + mine.id()
                  + " or another schema; lock the application once, against its registry");
        }
      }
      if (compatibility != other.compatibility || !Objects.equals(own, other.own)) {
        throw new MeshConfigurationException(
            source
                + " locks subject '"
                + name
                + "' under compatibility "
                + other.compatibility
                + ", another "
                + RESOURCE
                + " under "
                + compatibility);
      }
      return new Subject(name, compatibility, own, List.copyOf(byVersion.values()));
    }
  }

  private ContractLock(
      Map<String, Subject> subjects, Map<String, String> products, List<String> registry) {
    this.subjects = Collections.unmodifiableMap(new TreeMap<>(subjects));
    this.products = Collections.unmodifiableMap(new TreeMap<>(products));
    this.registry = List.copyOf(registry);
  }

  /**
   * Locks what a registry holds for products: the value subject of each product's topic ({@code
   * {topicPrefix}{topic}-value}), with all its versions, ids and compatibility modes. Each
   * product's current schema must be registered there already (by the {@code mesh:register} goal,
   * or by a producer in {@code AUTO_REGISTER} mode).
   *
   * @param registry the registry to read
   * @param registryUrl the registry's URL(s), comma-separated, as the applications configure it
   *     ({@code schema.registry.url}); recorded without credentials, so that a mesh started during
   *     an outage uses the lock only against the registry it was written for. {@code ""} when
   *     unknown (an in-memory registry).
   * @param topicPrefix the mesh's topic prefix ({@code ""} for none)
   * @param contracts the products the application produces or consumes
   * @return the lock
   * @throws MeshConfigurationException naming every product whose current schema is not registered
   *     (or is held by the registry in another form, for example normalized)
   * @throws SchemaRegistryException if the registry fails
   * @throws IllegalArgumentException if a registry URL is not an http(s) URL
   */
  public static ContractLock create(
      SchemaRegistry registry,
      String registryUrl,
      String topicPrefix,
      Collection<? extends ProductContract<?>> contracts) {
    Objects.requireNonNull(registry, "registry");
    List<String> locations =
        Redaction.locations(Objects.requireNonNull(registryUrl, "registryUrl"));
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Map<String, Subject> subjects = new LinkedHashMap<>();
    Map<String, String> products = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (ProductContract<?> c : contracts) {
      String subject = subjectOf(c, topicPrefix);
      Optional<RegisteredSchema> current = registry.lookup(subject, c.schema());
      if (current.isEmpty()) {
        problems.add(
            c.id()
                + " version "
                + c.version()
                + ": its schema is not registered under subject '"
                + subject
                + "'; register it first (mesh:register, or a producer in AUTO_REGISTER mode)");
        continue;
      }
      products.put(c.id() + ".v" + c.version().major(), subject);
      if (!subjects.containsKey(subject)) {
        List<RegisteredSchema> versions = new ArrayList<>();
        for (int v : registry.versions(subject)) {
          versions.add(registry.version(subject, v));
        }
        subjects.put(
            subject,
            new Subject(
                subject,
                registry.compatibility(subject),
                registry.subjectCompatibility(subject).orElse(null),
                List.copyOf(versions)));
      }
    }
    ContractLock lock = new ContractLock(subjects, products, locations);
    for (ProductContract<?> c : contracts) {
      String subject = subjectOf(c, topicPrefix);
      if (lock.subjects.containsKey(subject) && lock.find(subject, c.schema()).isEmpty()) {
        problems.add(
            c.id()
                + " version "
                + c.version()
                + ": the registry holds its schema under subject '"
                + subject
                + "' in another form (a normalizing registry?), so the lock could never answer"
                + " for it; register it without normalization");
      }
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException("cannot lock the contracts", problems);
    }
    return lock;
  }

  /**
   * The subject a mesh writes a product's values under.
   *
   * @param contract the product
   * @param topicPrefix the mesh's topic prefix
   * @return {@code {topicPrefix}{topic}-value}
   */
  public static String subjectOf(ProductContract<?> contract, String topicPrefix) {
    return SubjectNameStrategy.TOPIC_NAME.subjectFor(
        topicPrefix + contract.topic(), contract.schema());
  }

  /**
   * Reads a lock file.
   *
   * @param file the file
   * @return the lock
   * @throws MeshConfigurationException if the file cannot be read or is not a lock
   */
  public static ContractLock read(Path file) {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new MeshConfigurationException("cannot read the contract lock " + file + ": " + e, e);
    }
  }

  /**
   * The lock bundled on a class path: every {@value #RESOURCE} resource, merged (a library's lock
   * and the application's). Two resources that give one subject version different ids are a
   * mistake, reported.
   *
   * @param loader the class loader to search
   * @return the merged lock, or empty when there is none
   * @throws MeshConfigurationException if a resource is not a lock, or two resources disagree
   */
  public static Optional<ContractLock> fromClassPath(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    ContractLock merged = null;
    try {
      Enumeration<URL> urls = loader.getResources(RESOURCE);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        ContractLock lock;
        try (InputStream in = url.openStream()) {
          lock = parse(in, url.toString());
        }
        merged = merged == null ? lock : merged.merge(lock, url.toString());
      }
    } catch (IOException e) {
      throw new MeshConfigurationException(
          "cannot read the contract lock " + RESOURCE + ": " + e, e);
    }
    return Optional.ofNullable(merged);
  }

  private static ContractLock parse(InputStream in, String source) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new MeshConfigurationException(
          source + " is not a contract lock: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || root.path("meshContractLock").asInt(-1) != FORMAT) {
      throw new MeshConfigurationException(
          source
              + " is not a contract lock of format "
              + FORMAT
              + " (no \"meshContractLock\": "
              + FORMAT
              + "); write it again with mesh:lock");
    }
    Map<String, Subject> subjects = new LinkedHashMap<>();
    for (JsonNode s : root.path("subjects")) {
      String name = text(s, "subject", source);
      List<RegisteredSchema> versions = new ArrayList<>();
      for (JsonNode v : s.path("versions")) {
        Schema schema;
        try {
          schema = new Schema.Parser().parse(text(v, "schema", source));
        } catch (AvroRuntimeException e) { // a parse error, an invalid default, a duplicate field
          throw new MeshConfigurationException(
              source + ": subject '" + name + "' holds an invalid schema: " + e.getMessage(), e);
        }
        versions.add(
            RegisteredSchema.of(
                name, integer(v, "version", source), integer(v, "id", source), schema));
      }
      JsonNode own = s.path("ownCompatibility");
      subjects.put(
          name,
          new Subject(
              name,
              mode(text(s, "compatibility", source), source),
              own.isTextual() ? mode(own.asText(), source) : null,
              List.copyOf(versions)));
    }
    Map<String, String> products = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("products").properties()) {
      products.put(e.getKey(), e.getValue().asText());
    }
    List<String> registry = new ArrayList<>();
    for (JsonNode r : root.path("registry")) {
      registry.add(r.asText());
    }
    return new ContractLock(subjects, products, registry);
  }

  private static String text(JsonNode node, String field, String source) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new MeshConfigurationException(source + ": an entry lacks the text field " + field);
    }
    return v.asText();
  }

  private static int integer(JsonNode node, String field, String source) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt()) {
      throw new MeshConfigurationException(source + ": an entry lacks the number field " + field);
    }
    return v.asInt();
  }

  private static Compatibility mode(String name, String source) {
    try {
      return Compatibility.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MeshConfigurationException(
          source + ": unknown compatibility mode '" + name + "'", e);
    }
  }

  private ContractLock merge(ContractLock other, String source) {
    Map<String, Subject> all = new LinkedHashMap<>(subjects);
    for (Subject s : other.subjects.values()) {
      Subject mine = all.get(s.name());
      all.put(s.name(), mine == null ? s : mine.merge(s, source));
    }
    Map<String, String> allProducts = new LinkedHashMap<>(products);
    other.products.forEach(
        (product, subject) -> {
          String mine = allProducts.putIfAbsent(product, subject);
          if (mine != null && !mine.equals(subject)) {
            throw new MeshConfigurationException(
                source
                    + " locks product "
                    + product
                    + " under subject '"
                    + subject
                    + "', another "
                    + RESOURCE
                    + " under '"
                    + mine
                    + "'");
          }
        });
    if (!registry.isEmpty()
        && !other.registry.isEmpty()
        && Collections.disjoint(registry, other.registry)) {
      throw new MeshConfigurationException(
          source
              + " was written against the registry "
              + other.registry
              + ", another "
              + RESOURCE
              + " against "
              + registry
              + "; lock the application once, against its registry");
    }
    List<String> allRegistries = new ArrayList<>(registry);
    other.registry.stream().filter(r -> !allRegistries.contains(r)).forEach(allRegistries::add);
    return new ContractLock(all, allProducts, allRegistries);
  }

  /**
   * The lock as JSON: a reviewable text, subjects and versions sorted, schemas as the registry
   * holds them.
   *
   * @return the JSON text
   */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("meshContractLock", FORMAT);
    ArrayNode registries = root.putArray("registry");
    registry.forEach(registries::add);
    ObjectNode products = root.putObject("products");
    this.products.forEach(products::put);
    ArrayNode subjects = root.putArray("subjects");
    for (Subject s : this.subjects.values()) {
      ObjectNode n = subjects.addObject();
      n.put("subject", s.name());
      n.put("compatibility", s.compatibility().name());
      if (s.own() != null) {
        n.put("ownCompatibility", s.own().name());
      }
      ArrayNode versions = n.putArray("versions");
      for (RegisteredSchema r : s.versions()) {
        versions
            .addObject()
            .put("version", r.version())
            .put("id", r.id())
            .put("schema", r.schema().toString());
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the contract lock", e);
    }
  }

  /**
   * Writes the lock whole: a temporary file moved into place, so a lock is never half-written.
   *
   * @param file the file; its directory is created
   * @throws UncheckedIOException if it cannot be written
   */
  public void write(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp); // gone after the move; left only by a failure
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the contract lock " + file, e);
    }
  }

  /**
   * The locked subjects, sorted.
   *
   * @return the subject names
   */
  public List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  /**
   * The products locked, each with its subject.
   *
   * @return {@code {product id}.v{major}} to subject, sorted
   */
  public Map<String, String> products() {
    return products;
  }

  /**
   * The registry the lock was written against: its URLs without credentials.
   *
   * @return the URLs; empty when unknown
   */
  public List<String> registry() {
    return registry;
  }

  /**
   * The locked versions of a subject, oldest first.
   *
   * @param subject the subject
   * @return the versions; empty when the subject is not locked
   */
  public List<RegisteredSchema> versions(String subject) {
    Subject s = subjects.get(subject);
    return s == null ? List.of() : s.versions();
  }

  /**
   * The locked registration of a schema under a subject.
   *
   * @param subject the subject
   * @param schema the schema (compared by its normalized JSON, documentation and properties
   *     included, as a registry compares)
   * @return the registration, or empty
   */
  public Optional<RegisteredSchema> find(String subject, Schema schema) {
    Subject s = subjects.get(subject);
    if (s == null) {
      return Optional.empty();
    }
    String wanted = canonical(schema);
    for (RegisteredSchema r : s.versions()) {
      if (canonical(r.schema()).equals(wanted)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The normalized JSON a registry compares (documentation and properties count). */
  private static String canonical(Schema schema) {
    return new Schema.Parser().parse(schema.toString()).toString();
  }

  /**
   * The locked schema with a global id.
   *
   * @param id the id
   * @return the schema, or empty when no locked version has the id
   */
  public Optional<Schema> schemaById(int id) {
    for (Subject s : subjects.values()) {
      for (RegisteredSchema r : s.versions()) {
        if (r.id() == id) {
          return Optional.of(r.schema());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The compatibility mode in force for a locked subject at lock time.
   *
   * @param subject the subject
   * @return the mode, or empty when the subject is not locked
   */
  public Optional<Compatibility> compatibility(String subject) {
    return Optional.ofNullable(subjects.get(subject)).map(Subject::compatibility);
  }

  /**
   * The subject's own compatibility mode at lock time.
   *
   * @param subject the subject
   * @return the mode, or empty when the subject had none of its own or is not locked
   */
  public Optional<Compatibility> ownCompatibility(String subject) {
    return Optional.ofNullable(subjects.get(subject)).map(Subject::own);
  }

  /**
   * Compares the lock with a registry: every locked version must be registered there under its
   * subject with the same version number and id, and each subject's mode must be the locked one.
   * Stops at the first call the registry cannot answer: it throws that failure when no mismatch was
   * found before it (so an unreachable registry costs one call's time-out), and otherwise returns
   * the mismatches found, with a last line saying the check stopped.
   *
   * @param registry the registry
   * @return one line per mismatch; empty when the registry agrees
   * @throws SchemaRegistryException if the registry cannot be asked before any mismatch is found
   *     (retriable for an outage)
   */
  public List<String> mismatches(SchemaRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    List<String> out = new ArrayList<>();
    try {
      collectMismatches(registry, out);
    } catch (SchemaRegistryException e) {
      if (out.isEmpty()) {
        throw e;
      }
      // what was found stands: a lock shown wrong is not used because the registry then failed
      out.add("the check stopped early, the registry failed: " + e.getMessage());
    }
    return out;
  }

  private void collectMismatches(SchemaRegistry registry, List<String> out) {
    for (Subject s : subjects.values()) {
      for (RegisteredSchema locked : s.versions()) {
        Optional<RegisteredSchema> found = registry.lookup(s.name(), locked.schema());
        if (found.isEmpty()) {
          out.add(
              "subject '"
                  + s.name()
                  + "' version "
                  + locked.version()
                  + " (id "
                  + locked.id()
                  + ") is not in the registry");
        } else if (found.get().id() != locked.id() || found.get().version() != locked.version()) {
          out.add(
              "subject '"
                  + s.name()
                  + "': the lock has version "
                  + locked.version()
                  + " with id "
                  + locked.id()
                  + ", the registry has version "
                  + found.get().version()
                  + " with id "
                  + found.get().id());
        }
      }
      Compatibility now = registry.compatibility(s.name());
      if (now != s.compatibility()) {
        out.add(
            "subject '"
                + s.name()
                + "': the lock was written under compatibility "
                + s.compatibility()
                + ", the registry now holds it to "
                + now);
      }
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ContractLock l
        && l.subjects.equals(subjects)
        && l.products.equals(products);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subjects, products, registry);
  }

  @Override
  public String toString() {
    return "ContractLock" + products.keySet() + " " + subjects.keySet();
  }
}
