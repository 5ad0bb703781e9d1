package io.meshsdk.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
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
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
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
 * starts anyway, and producers and consumers of the locked versions run from the lock, so a
 * registry outage never blocks a deployment of known versions. Records written with a schema the
 * lock does not know still need the registry. {@code docs/catalog.md} describes the file and the
 * Maven goal that writes it.
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
      List<RegisteredSchema> versions) {}

  private ContractLock(Map<String, Subject> subjects, Map<String, String> products) {
    this.subjects = Collections.unmodifiableMap(new TreeMap<>(subjects));
    this.products = Collections.unmodifiableMap(new TreeMap<>(products));
  }

  /**
   * Locks what a registry holds for products: the value subject of each product's topic ({@code
   * {topicPrefix}{topic}-value}), with all its versions, ids and compatibility modes. Each
   * product's current schema must be registered there already (by the {@code mesh:register} goal,
   * or by a producer in {@code AUTO_REGISTER} mode).
   *
   * @param registry the registry to read
   * @param topicPrefix the mesh's topic prefix ({@code ""} for none)
   * @param contracts the products the application produces or consumes
   * @return the lock
   * @throws MeshConfigurationException naming every product whose current schema is not registered
   * @throws SchemaRegistryException if the registry fails
   */
  public static ContractLock create(
      SchemaRegistry registry,
      String topicPrefix,
      Collection<? extends ProductContract<?>> contracts) {
    Objects.requireNonNull(registry, "registry");
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
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException("cannot lock the contracts", problems);
    }
    return new ContractLock(subjects, products);
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
        } catch (SchemaParseException e) {
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
    return new ContractLock(subjects, products);
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
      Subject mine = all.putIfAbsent(s.name(), s);
      if (mine != null && !mine.equals(s)) {
        throw new MeshConfigurationException(
            source
                + " locks subject '"
                + s.name()
                + "' differently from another "
                + RESOURCE
                + " on the class path; lock the application once, with all its products");
      }
    }
    Map<String, String> allProducts = new LinkedHashMap<>(products);
    allProducts.putAll(other.products);
    return new ContractLock(all, allProducts);
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
      Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
   * Stops at the first call the registry cannot answer and throws its exception, so an unreachable
   * registry costs one call's time-out.
   *
   * @param registry the registry
   * @return one line per mismatch; empty when the registry agrees
   * @throws SchemaRegistryException if the registry cannot be asked (retriable for an outage)
   */
  public List<String> mismatches(SchemaRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    List<String> out = new ArrayList<>();
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
    return out;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ContractLock l
        && l.subjects.equals(subjects)
        && l.products.equals(products);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subjects, products);
  }

  @Override
  public String toString() {
    return "ContractLock" + products.keySet() + " " + subjects.keySet();
  }
}
