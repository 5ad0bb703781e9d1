package io.meshsdk.testkit;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductVersion;
import io.meshsdk.migration.Migrations;
import io.meshsdk.schema.CompatibilityReport;
import io.meshsdk.serde.ProductCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;

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
 *   <li>the current version has a snapshot: the schema must still match it; documentation and
 *       property changes are written back, a change to the data (fields, types, symbols) fails, and
 *       the message says to bump the version;
 *   <li>the current version is newer than every snapshot (a minor bump): the schema must be
 *       compatible with the earlier snapshots of its major under the product's compatibility mode;
 *       then it is appended; otherwise the build fails with the compatibility report and a diff;
 *   <li>the current version is older than the newest snapshot: fails (a version went backwards).
 * </ul>
 *
 * <p>Commit the files the first run writes. Thread-safety: not thread-safe; use from one test.
 */
public final class ContractSnapshots {
  private final Path directory;

  private ContractSnapshots(Path directory) {
    this.directory = directory;
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
   */
  public static ContractSnapshots in(Path directory) {
    return new ContractSnapshots(Objects.requireNonNull(directory, "directory"));
  }

  /** What verifying one product did. */
  public enum Outcome {
    /** No snapshot existed for the major: written. */
    CREATED,
    /** The schema matches the snapshot of its version. */
    UNCHANGED,
    /** Only documentation or properties changed: the snapshot was rewritten. */
    UPDATED,
    /** A compatible new minor version: appended. */
    APPENDED
  }

  /**
   * Verifies products against their snapshots, writing new ones where due.
   *
   * @param products the product classes
   * @return the outcome per product, in order
   * @throws AssertionError listing every product whose change breaks its promise
   */
  public List<Outcome> verify(Class<?>... products) {
    List<Outcome> outcomes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Class<?> product : products) {
      try {
        outcomes.add(verify(ProductContract.of(product)));
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n\n", failures));
    }
    return outcomes;
  }

  /**
   * Verifies one contract.
   *
   * @param contract the contract
   * @return what was done
   * @throws AssertionError when the change breaks the product's promise
   */
  public Outcome verify(ProductContract<?> contract) {
    Objects.requireNonNull(contract, "contract");
    Outcome outcome = verifySchema(contract);
    verifyPayloads(contract);
    return outcome;
  }

  private Outcome verifySchema(ProductContract<?> contract) {
    ProductVersion version = contract.version();
    Path line = directory.resolve(contract.id()).resolve("v" + version.major());
    TreeMap<Integer, Path> byMinor = snapshots(line, version.major());
    Schema current = contract.schema();
    String label = contract.id() + " " + version;
    if (byMinor.isEmpty()) {
      write(line.resolve(fileName(version)), current);
      return Outcome.CREATED;
    }
    int newest = byMinor.lastKey();
    if (version.minor() < newest) {
      Path own = byMinor.get(version.minor());
      if (own != null
          && SchemaNormalization.parsingFingerprint64(read(own))
              == SchemaNormalization.parsingFingerprint64(current)) {
        return Outcome.UNCHANGED; // an older writer class, still as its snapshot
      }
      throw new AssertionError(
          label
              + ": the version went backwards; the newest snapshot is "
              + version.major()
              + "."
              + newest
              + " ("
              + byMinor.lastEntry().getValue()
              + ")");
    }
    if (version.minor() == newest) {
      Schema stored = read(byMinor.get(newest));
      if (SchemaNormalization.parsingFingerprint64(stored)
          != SchemaNormalization.parsingFingerprint64(current)) {
        throw new AssertionError(
            label
                + ": the schema changed but the version did not; bump the minor version for a compatible change or the major for a breaking one\n"
                + diff(stored, current));
      }
      if (pretty(stored).equals(pretty(current))) {
        return Outcome.UNCHANGED;
      }
      write(byMinor.get(newest), current);
      return Outcome.UPDATED;
    }
    List<Schema> previous = new ArrayList<>();
    for (Path p : byMinor.values()) {
      previous.add(read(p));
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
              + report
              + "\n"
              + diff(read(byMinor.lastEntry().getValue()), current));
    }
    write(line.resolve(fileName(version)), current);
    return Outcome.APPENDED;
  }

  /**
   * Golden payloads: every snapshot version keeps a few encoded sample events next to its schema
   * ({@code {major}.{minor}.payloads}, one base64 Avro body per line, written with the snapshot).
   * The current reader must decode every stored payload of its major; when the product promises
   * forward compatibility, every stored schema must also read events written now.
   */
  private <T> void verifyPayloads(ProductContract<T> contract) {
    ProductVersion version = contract.version();
    Path line = directory.resolve(contract.id()).resolve("v" + version.major());
    ProductCodec<T> codec = ProductCodec.of(contract);
    Path own = line.resolve(version.major() + "." + version.minor() + ".payloads");
    if (!Files.exists(own)) {
      List<String> lines = new ArrayList<>();
      for (T event :
          SampleEvents.of(contract)
              .seed(version.major() * 1000L + version.minor())
              .take(PAYLOADS)) {
        lines.add(Base64.getEncoder().encodeToString(codec.encode(event)));
      }
      try {
        Files.createDirectories(line);
        Files.write(own, lines, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + own, e);
      }
    }
    List<T> current = SampleEvents.of(contract).seed(7).take(PAYLOADS);
    List<String> failures = new ArrayList<>();
    for (var entry : snapshots(line, version.major()).entrySet()) {
      Schema stored = read(entry.getValue());
      Path payloads = line.resolve(version.major() + "." + entry.getKey() + ".payloads");
      if (Files.exists(payloads)) {
        int n = 0;
        for (String encoded : readLines(payloads)) {
          n++;
          try {
            codec.decode(Base64.getDecoder().decode(encoded.strip()), stored);
          } catch (RuntimeException e) {
            failures.add(
                "payload "
                    + n
                    + " of "
                    + version.major()
                    + "."
                    + entry.getKey()
                    + " does not decode: "
                    + e.getMessage());
          }
        }
      }
      if (contract.compatibility().forward() && entry.getKey() < version.minor()) {
        for (T event : current) {
          try {
            decodeGeneric(codec.encode(event), contract.schema(), stored);
          } catch (IOException | RuntimeException e) {
            failures.add(
                "readers on "
                    + version.major()
                    + "."
                    + entry.getKey()
                    + " cannot read events written now: "
                    + e);
            break;
          }
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          contract.id()
              + " "
              + version
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
            "v" + major + " has golden payloads but no class registered in the migrations");
        continue;
      }
      ProductCodec<?> codec = ProductCodec.of(ProductContract.of(olderClass.get()));
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
            path.apply(codec.decode(Base64.getDecoder().decode(encoded.strip()), writer));
            migrated++;
          } catch (RuntimeException e) {
            failures.add(
                "payload " + n + " of " + major + "." + entry.getKey() + ": " + e.getMessage());
          }
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          contract.id()
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

  private static void write(Path file, Schema schema) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, pretty(schema) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the snapshot " + file, e);
    }
  }

  private static String pretty(Schema schema) {
    return SchemaFormatter.format("json/pretty", schema);
  }

  /** The lines only in the snapshot ({@code -}) and only in the current schema ({@code +}). */
  static String diff(Schema before, Schema after) {
    List<String> old = pretty(before).lines().map(String::strip).toList();
    List<String> now = pretty(after).lines().map(String::strip).toList();
    Set<String> oldSet = new HashSet<>(old);
    Set<String> nowSet = new HashSet<>(now);
    StringBuilder sb = new StringBuilder("schema diff (snapshot -, current +):");
    for (String line : old) {
      if (!nowSet.contains(line)) {
        sb.append("\n  - ").append(line);
      }
    }
    for (String line : now) {
      if (!oldSet.contains(line)) {
        sb.append("\n  + ").append(line);
      }
    }
    return sb.toString();
  }
}
