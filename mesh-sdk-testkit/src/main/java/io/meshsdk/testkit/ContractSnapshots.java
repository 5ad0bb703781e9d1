package io.meshsdk.testkit;

import static java.util.stream.Collectors.joining;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductVersion;
import io.meshsdk.migration.Migrations;
import io.meshsdk.schema.CompatibilityReport;
import io.meshsdk.serde.ProductCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.jspecify.annotations.Nullable;

/**
 * Contract snapshots for the build: the derived schema of every product version is kept in the
 * repository, and a change that breaks the product's compatibility promise fails the build in the
 * pull request instead of in production.
 *
 * <pre>{@code
 * @Test
 * void contractsAreCompatibleWithTheirHistory() {
 *   ContractSnapshots.inProject().verify(OrderPlaced.class, ShipmentRequested.class);
 * }
 * }</pre>
 *
 * <p>Snapshots live in {@code
 * src/test/resources/contracts/{domain}.{name}/v{major}/{major}.{minor}.avsc}:
 *
 * <ul>
 *   <li>no snapshot for the product's major: the current schema is written (a new product, or a new
 *       major version, which starts a new line);
 *   <li>the current version has a snapshot: the schema must still match it. A change to the data
 *       (fields, types, defaults, symbols) fails, and so does a change of a field's PII
 *       classification: both need a version bump. A change of the owner, the documentation or
 *       another property fails too, listing each change, until it is accepted with {@code
 *       -Dmesh.snapshots.acceptMetadata=true} or {@link #acceptingMetadataChanges()}, which
 *       rewrites the snapshot;
 *   <li>the current version is newer than every snapshot (a minor bump): the schema must be
 *       compatible with the earlier snapshots of its major under the product's compatibility mode;
 *       then it is appended; otherwise the build fails with the compatibility report and a diff;
 *   <li>the current version is older than the newest snapshot: fails (a version went backwards).
 * </ul>
 *
 * <p>Reports name products with their version ({@code orders.order-paid product version 1.1}) and
 * places in a schema by field, both sides of each change shown: {@code field amountCents: type int
 * -> string}, {@code field email: PII PERSONAL -> none}.
 *
 * <p>Every product given to {@link #verify(Class...)} is verified even when others fail, and the
 * failures are reported together. Nothing is written for a product that fails, and files are
 * written whole (a temporary file moved into place), so a failure never leaves half a snapshot.
 * Golden payloads are generated with {@link SampleEvents}; give fields it cannot generate values
 * with {@link #samples(Class, SampleValues)}.
 *
 * <p>Commit the files the first run writes. Thread-safety: immutable (each setting returns a new
 * instance); verifying reads and writes files, so verify one directory from one test at a time.
 */
public final class ContractSnapshots {
  private final Path directory;
  private final Map<Class<?>, SampleValues> samples;
  private final boolean acceptMetadataChanges;

  private ContractSnapshots(
      Path directory, Map<Class<?>, SampleValues> samples, boolean acceptMetadataChanges) {
    this.directory = directory;
    this.samples = samples;
    this.acceptMetadataChanges = acceptMetadataChanges;
  }

  /**
   * Snapshots in the module's {@code src/test/resources/contracts} (tests run in the module's
   * directory under Maven and Gradle).
   *
   * @return the snapshots
   */
  public static ContractSnapshots inProject() {
    return in(Path.of("src", "test", "resources", "contracts"));
  }

  /**
   * Snapshots in a directory of your choice.
   *
   * @param directory the directory, created when missing
   * @return the snapshots
   * @throws NullPointerException if {@code directory} is null
   */
  public static ContractSnapshots in(Path directory) {
    return new ContractSnapshots(
        Objects.requireNonNull(directory, "directory"),
        Map.of(),
        Boolean.getBoolean(ACCEPT_METADATA_PROPERTY));
  }

  /**
   * Values for fields of a product that {@link SampleEvents} cannot generate, used for its golden
   * payloads.
   *
   * @param product the product class
   * @param values the values, by field path
   * @return a new instance with these values (added to any given before for the class)
   * @throws NullPointerException if an argument is null
   */
  public ContractSnapshots samples(Class<?> product, SampleValues values) {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(values, "values");
    Map<Class<?>, SampleValues> copy = new HashMap<>(samples);
    copy.merge(product, values, SampleValues::and);
    return new ContractSnapshots(directory, Map.copyOf(copy), acceptMetadataChanges);
  }

  /**
   * The system property that accepts metadata changes for one run without changing code, as other
   * snapshot tools do: {@code mvn test -Dmesh.snapshots.acceptMetadata=true} (surefire passes it to
   * the tests); the same as {@link #acceptingMetadataChanges()}.
   */
  public static final String ACCEPT_METADATA_PROPERTY = "mesh.snapshots.acceptMetadata";

  /**
   * Accepts changes of the owner, the documentation and the other properties of a product whose
   * version did not change: their snapshots are rewritten ({@link Outcome#UPDATED}) instead of
   * failing. Use it once, when you mean the change, and review the rewritten files; or run the
   * tests once with {@code -Dmesh.snapshots.acceptMetadata=true}. A change of a field's PII
   * classification is never accepted this way: it needs a version bump.
   *
   * @return a new instance that accepts such changes
   */
  public ContractSnapshots acceptingMetadataChanges() {
    return new ContractSnapshots(directory, samples, true);
  }

  /** What verifying one product did. */
  public enum Outcome {
    /** No snapshot existed for the major: written. */
    CREATED,
    /** The schema matches the snapshot of its version. */
    UNCHANGED,
    /**
     * Only the owner, documentation or other properties changed, and {@link
     * #acceptingMetadataChanges()} accepted it: the snapshot was rewritten.
     */
    UPDATED,
    /** A compatible new minor version: appended. */
    APPENDED
  }

  /**
   * Verifies products against their snapshots, writing new ones where due. Every product is
   * verified, also after one fails.
   *
   * @param products the product classes
   * @return the outcome per product, in order
   * @throws AssertionError listing every product whose change breaks its promise or that cannot be
   *     verified (a class that is not a product, a field whose sample cannot be generated), each
   *     failure attached as a suppressed exception
   * @throws NullPointerException if {@code products} or one of them is null
   */
  public List<Outcome> verify(Class<?>... products) {
    Objects.requireNonNull(products, "products");
    List<Outcome> outcomes = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (Class<?> product : products) {
      Objects.requireNonNull(product, "product");
      try {
        outcomes.add(verify(ProductContract.of(product)));
      } catch (AssertionError e) {
        failures.add(e);
        messages.add(e.getMessage());
      } catch (RuntimeException e) {
        failures.add(e);
        messages.add(product.getName() + " cannot be verified: " + e);
      }
    }
    if (!failures.isEmpty()) {
      AssertionError error =
          new AssertionError(
              failures.size()
                  + " of "
                  + products.length
                  + " products fail their contract snapshots:\n\n"
                  + String.join("\n\n", messages));
      failures.forEach(error::addSuppressed);
      throw error;
    }
    return outcomes;
  }

  /**
   * Verifies one contract. Nothing is written unless every check passes.
   *
   * @param contract the contract
   * @return what was done
   * @throws AssertionError when the change breaks the product's promise
   * @throws UnsatisfiableFieldException when a golden payload is due and a field cannot be
   *     generated; give it {@link #samples(Class, SampleValues)}
   * @throws UncheckedIOException when a snapshot cannot be read or written
   * @throws NullPointerException if {@code contract} is null
   */
  public Outcome verify(ProductContract<?> contract) {
    return verifyTyped(Objects.requireNonNull(contract, "contract"));
  }

  private <T> Outcome verifyTyped(ProductContract<T> contract) {
    ProductVersion version = contract.version();
    Path line = directory.resolve(contract.id()).resolve("v" + version.major());
    TreeMap<Integer, Path> byMinor = snapshots(line, version.major());
    Outcome outcome = verifySchema(contract, line, byMinor);
    boolean writesSchema =
        outcome == Outcome.CREATED || outcome == Outcome.APPENDED || outcome == Outcome.UPDATED;
    boolean newSnapshot = outcome == Outcome.CREATED || outcome == Outcome.APPENDED;

    TreeMap<Integer, Schema> schemas = new TreeMap<>();
    for (var entry : byMinor.entrySet()) {
      schemas.put(entry.getKey(), read(entry.getValue()));
    }
    if (writesSchema) {
      schemas.put(version.minor(), contract.schema());
    }
    // encrypted fields are stored in clear in golden payloads (sample data, no key needed)
    ProductCodec<T> codec = ProductCodec.withEncryptedFieldsInClear(contract);
    Path ownPayloads = line.resolve(version.major() + "." + version.minor() + ".payloads");
    List<String> pending = null;
    if (newSnapshot || !Files.exists(ownPayloads)) {
      pending = new ArrayList<>();
      for (T event :
          sampleEvents(contract).seed(version.major() * 1000L + version.minor()).take(PAYLOADS)) {
        pending.add(Base64.getEncoder().encodeToString(codec.encode(event)));
      }
    }
    verifyPayloads(contract, codec, line, schemas, pending);

    if (pending != null) {
      writeAtomically(ownPayloads, String.join("\n", pending) + "\n");
    }
    if (writesSchema) {
      writeAtomically(line.resolve(fileName(version)), pretty(contract.schema()) + "\n");
    }
    return outcome;
  }

  private <T> SampleEvents<T> sampleEvents(ProductContract<T> contract) {
    SampleEvents<T> events = SampleEvents.of(contract);
    SampleValues values = samples.get(contract.type());
    return values == null ? events : events.with(values);
  }

  /** Decides what the schema's change means; writes nothing. */
  private Outcome verifySchema(
      ProductContract<?> contract, Path line, TreeMap<Integer, Path> byMinor) {
    ProductVersion version = contract.version();
    Schema current = contract.schema();
    String label = Reports.product(contract);
    if (byMinor.isEmpty()) {
      return Outcome.CREATED;
    }
    int newest = byMinor.lastKey();
    if (version.minor() < newest) {
      Path own = byMinor.get(version.minor());
      Schema stored = own == null ? null : read(own);
      if (stored == null || !sameData(stored, current)) {
        throw new AssertionError(
            label
                + ": the version went backwards; the newest snapshot is "
                + Reports.version(version.major(), newest)
                + " ("
                + byMinor.lastEntry().getValue()
                + ")"
                + (stored == null ? "" : "\n" + diff(stored, current)));
      }
      return sameVersion(label, stored, current); // an older writer class, still as its snapshot
    }
    if (version.minor() == newest) {
      Schema stored = read(byMinor.lastEntry().getValue());
      if (!sameData(stored, current)) {
        throw new AssertionError(
            label
                + ": the schema changed but the version did not; bump the minor version for a"
                + " compatible change or the major for a breaking one\n"
                + diff(stored, current));
      }
      return sameVersion(label, stored, current);
    }
    List<Schema> previous = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    for (var entry : byMinor.entrySet()) {
      previous.add(read(entry.getValue()));
      versions.add(Reports.version(version.major(), entry.getKey()));
    }
    CompatibilityReport report = contract.compatibility().check(current, previous);
    if (!report.isCompatible()) {
      throw new AssertionError(
          label
              + " breaks its "
              + contract.compatibility()
              + " promise against the snapshots in "
              + line
              + "; make the change compatible, or bump the major version (a new topic)\n"
              + Reports.compatibility(report, current, previous, versions)
              + "\n"
              + diff(previous.get(previous.size() - 1), current));
    }
    return Outcome.APPENDED;
  }

  private static boolean sameData(Schema stored, Schema current) {
    return SchemaNormalization.parsingFingerprint64(stored)
            == SchemaNormalization.parsingFingerprint64(current)
        && SchemaDiff.data(stored, current).isEmpty();
  }

  /** The same version and the same data: what changed in the description, if anything. */
  private Outcome sameVersion(String label, Schema stored, Schema current) {
    List<SchemaDiff.Change> changes = SchemaDiff.metadata(stored, current);
    if (changes.isEmpty()) {
      return Outcome.UNCHANGED;
    }
    String list =
        "\n  - " + changes.stream().map(SchemaDiff.Change::text).collect(joining("\n  - "));
    if (changes.stream().anyMatch(SchemaDiff.Change::pii)) {
      throw new AssertionError(
          label
              + ": the PII classification changed but the version did not; bump the version (a"
              + " minor version will do) so that consumers, the registry and the catalogue see"
              + " the new classification"
              + list);
    }
    if (!acceptMetadataChanges) {
      throw new AssertionError(
          label
              + ": the owner, documentation or properties changed; the snapshot keeps the old"
              + " ones until you accept the change once: run the tests with -D"
              + ACCEPT_METADATA_PROPERTY
              + "=true (or use ContractSnapshots.acceptingMetadataChanges()) and review the"
              + " rewritten snapshot"
              + list);
    }
    return Outcome.UPDATED;
  }

  /**
   * Golden payloads: every snapshot version keeps a few encoded sample events next to its schema
   * ({@code {major}.{minor}.payloads}, one base64 Avro body per line, written with the snapshot).
   * The current reader must decode every stored payload of its major; when the product promises
   * forward compatibility, every stored schema must also read events written now.
   *
   * @param schemas the snapshots of the major as they will be once this verification writes
   * @param pending the product version's own payloads about to be written, or null
   */
  private <T> void verifyPayloads(
      ProductContract<T> contract,
      ProductCodec<T> codec,
      Path line,
      TreeMap<Integer, Schema> schemas,
      @Nullable List<String> pending) {
    ProductVersion version = contract.version();
    List<T> current = null;
    List<String> failures = new ArrayList<>();
    for (var entry : schemas.entrySet()) {
      int minor = entry.getKey();
      Schema stored = entry.getValue();
      String storedVersion = Reports.version(version.major(), minor);
      Path payloads = line.resolve(version.major() + "." + minor + ".payloads");
      List<String> encoded =
          minor == version.minor() && pending != null
              ? pending
              : Files.exists(payloads) ? readLines(payloads) : List.of();
      int n = 0;
      for (String body : encoded) {
        n++;
        try {
          codec.decode(Base64.getDecoder().decode(body.strip()), stored);
        } catch (RuntimeException e) {
          failures.add(
              "payload " + n + " of " + storedVersion + " does not decode: " + e.getMessage());
        }
      }
      if (contract.compatibility().forward() && minor < version.minor()) {
        if (current == null) {
          current = sampleEvents(contract).seed(7).take(PAYLOADS);
        }
        for (T event : current) {
          try {
            decodeGeneric(codec.encode(event), contract.schema(), stored);
          } catch (IOException | RuntimeException e) {
            failures.add("readers on " + storedVersion + " cannot read events written now: " + e);
            break;
          }
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          Reports.product(contract)
              + ": golden payloads fail:\n  - "
              + String.join("\n  - ", failures));
    }
  }

  /**
   * Checks that the golden payloads of every older major of a product still reach the current class
   * through the registered migrations: each payload is decoded with the class registered for its
   * major (from its stored writer schema) and migrated step by step to {@code current}.
   *
   * @param current the current major's class
   * @param migrations the registered migrations
   * @return how many payloads were migrated
   * @throws AssertionError listing every payload that fails, and every older major with payloads
   *     but no registered class
   */
  public int verifyMigrations(Class<?> current, Migrations migrations) {
    ProductContract<?> contract = ProductContract.of(current);
    List<String> failures = new ArrayList<>();
    int migrated = 0;
    for (int major = 1; major < contract.version().major(); major++) {
      Path line = directory.resolve(contract.id()).resolve("v" + major);
      TreeMap<Integer, Path> stored = snapshots(line, major);
      if (stored.isEmpty()) {
        continue;
      }
      var olderClass = migrations.classOf(contract.id(), major);
      if (olderClass.isEmpty()) {
        failures.add(
            "major version "
                + major
                + " has golden payloads but no class registered in the migrations");
        continue;
      }
      ProductCodec<?> codec =
          ProductCodec.withEncryptedFieldsInClear(ProductContract.of(olderClass.get()));
      var path = migrations.path(olderClass.get(), current);
      for (var entry : stored.entrySet()) {
        Path payloads = line.resolve(major + "." + entry.getKey() + ".payloads");
        if (!Files.exists(payloads)) {
          continue;
        }
        Schema writer = read(entry.getValue());
        int n = 0;
        for (String encoded : readLines(payloads)) {
          n++;
          try {
            // only whether it migrates counts here
            var unused =
                path.apply(codec.decode(Base64.getDecoder().decode(encoded.strip()), writer));
            migrated++;
          } catch (RuntimeException e) {
            failures.add(
                "payload "
                    + n
                    + " of "
                    + Reports.version(major, entry.getKey())
                    + ": "
                    + e.getMessage());
          }
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          Reports.product(contract)
              + ": golden payloads of older majors do not migrate to "
              + current.getSimpleName()
              + ":\n  - "
              + String.join("\n  - ", failures));
    }
    return migrated;
  }

  private static final int PAYLOADS = 5;

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Object decodeGeneric(byte[] body, Schema writer, Schema reader)
      throws IOException {
    GenericDatumReader<Object> datumReader = new GenericDatumReader<>(writer, reader);
    return datumReader.read(null, DecoderFactory.get().binaryDecoder(body, null));
  }

  private static String fileName(ProductVersion version) {
    return version.major() + "." + version.minor() + ".avsc";
  }

  private static TreeMap<Integer, Path> snapshots(Path line, int major) {
    TreeMap<Integer, Path> result = new TreeMap<>();
    if (!Files.isDirectory(line)) {
      return result;
    }
    String prefix = major + ".";
    try (Stream<Path> files = Files.list(line)) {
      files.forEach(
          p -> {
            String name = p.getFileName().toString();
            if (name.startsWith(prefix) && name.endsWith(".avsc")) {
              try {
                result.put(Integer.parseInt(name.substring(prefix.length(), name.length() - 5)), p);
              } catch (NumberFormatException e) {
                // not a snapshot file
              }
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  private static Schema read(Path file) {
    try {
      return new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the snapshot " + file, e);
    }
  }

  /** Writes a whole file or nothing: a temporary file in the same directory, moved into place. */
  private static void writeAtomically(Path file, String content) {
    Path temporary = null;
    try {
      Files.createDirectories(file.getParent());
      // created like any file (Files.createTempFile would make it readable by its owner only)
      temporary =
          file.resolveSibling(file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
      Files.writeString(
          temporary,
          content,
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new UncheckedIOException("cannot write the snapshot " + file, e);
    }
  }

  private static String pretty(Schema schema) {
    return SchemaFormatter.format("json/pretty", schema);
  }

  /** Every change of the data from the snapshot to the current schema, one field per line. */
  static String diff(Schema before, Schema after) {
    List<String> changes = SchemaDiff.data(before, after);
    return "schema diff (snapshot -> current):\n  - " + String.join("\n  - ", changes);
  }
}
