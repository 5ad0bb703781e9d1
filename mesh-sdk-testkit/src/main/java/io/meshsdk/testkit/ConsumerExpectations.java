package io.meshsdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.jspecify.annotations.Nullable;

/**
 * Consumer-driven contracts, kept as files. A consumer team records what its reader class needs;
 * the producer team keeps those files in its repository, and its build verifies that the product
 * still satisfies every one of them.
 *
 * <pre>{@code
 * // in the consumer's build: write (or refresh) the expectation, then send it to the producer team
 * ConsumerExpectations.record("shipping", OrderView.class).to(Path.of("build/expectations"));
 *
 * // in the producer's build
 * ConsumerExpectations.inProject().verify(OrderPlaced.class);
 * }</pre>
 *
 * <p>File format: {@code {directory}/{domain}.{name}/{consumer}.json}, one JSON object:
 *
 * <pre>{@code
 * {
 *   "consumer": "shipping",                // who reads
 *   "product": "orders.order-placed",      // the product's id
 *   "version": "1.2",                      // the version the reader class was written against
 *   "fields": ["orderId", "items.sku"],    // the field paths the reader reads, for people
 *   "schema": { ... }                      // the reader's Avro schema, what is checked
 * }
 * }</pre>
 *
 * <p>Verification: for every file of the product's id and major, Avro's own compatibility check
 * with the consumer's schema as reader and the product's schema as writer must pass (the reader's
 * record name may differ from the product's), and every listed field must still exist. Files of
 * another major are skipped: a major version is a new product line that consumers move to. A
 * product with no expectation of its major fails the verification, since a check of nothing would
 * pass unnoticed (a path typo, files not copied); {@link #allowMissing()} accepts that for products
 * no consumer has recorded yet. Failures name the product with its version ({@code
 * orders.order-placed product version 1.3 breaks consumer shipping (written against product version
 * 1.1)}) and the field ({@code field lines: READER_FIELD_MISSING_DEFAULT_VALUE (lines)}).
 *
 * <p>Thread-safety: immutable ({@link #allowMissing()} returns a new instance); verification only
 * reads files. {@link Recording#to(Path)} writes one file.
 */
public final class ConsumerExpectations {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;
  private final boolean allowMissing;

  private ConsumerExpectations(Path directory, boolean allowMissing) {
    this.directory = directory;
    this.allowMissing = allowMissing;
  }

  /**
   * Expectations in the module's {@code src/test/resources/expectations}.
   *
   * @return the expectations
   */
  public static ConsumerExpectations inProject() {
    return in(Path.of("src", "test", "resources", "expectations"));
  }

  /**
   * Expectations in a directory.
   *
   * @param directory the directory
   * @return the expectations
   */
  public static ConsumerExpectations in(Path directory) {
    return new ConsumerExpectations(Objects.requireNonNull(directory, "directory"), false);
  }

  /**
   * Lets {@link #verify(Class...)} pass for a product that has no expectation of its major, which
   * otherwise fails: for a product no consumer has recorded yet.
   *
   * @return a new instance that allows products without expectations
   */
  public ConsumerExpectations allowMissing() {
    return new ConsumerExpectations(directory, true);
  }

  /**
   * Starts recording what a consumer's reader class needs.
   *
   * @param consumer the consumer's name (a team or application), letters, digits, '.', '_', '-'
   * @param readerClass the class the consumer decodes the product into
   * @return the recording
   */
  public static Recording record(String consumer, Class<?> readerClass) {
    Objects.requireNonNull(consumer, "consumer");
    if (!consumer.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "consumer name may use only letters, digits, '.', '_' and '-'");
    }
    return new Recording(consumer, ProductContract.of(readerClass));
  }

  /** A consumer's expectation, ready to be written. Thread-safety: immutable. */
  public static final class Recording {
    private final String consumer;
    private final ProductContract<?> reader;

    private Recording(String consumer, ProductContract<?> reader) {
      this.consumer = consumer;
      this.reader = reader;
    }

    /**
     * Writes the expectation file under a directory.
     *
     * @param directory where the producer's expectations live (or a staging directory)
     * @return the file written
     */
    public Path to(Path directory) {
      ObjectNode node = JSON.createObjectNode();
      node.put("consumer", consumer);
      node.put("product", reader.id());
      node.put("version", reader.version().toString());
      ArrayNode fields = node.putArray("fields");
      collect(reader.fields(), fields);
      try {
        node.set("schema", JSON.readTree(reader.schema().toString()));
        Path file = directory.resolve(reader.id()).resolve(consumer + ".json");
        Files.createDirectories(file.getParent());
        Files.write(file, JSON.writeValueAsBytes(node));
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the expectation of " + consumer, e);
      }
    }

    private static void collect(List<ContractField> fields, ArrayNode out) {
      for (ContractField f : fields) {
        if (f.fields().isEmpty()) {
          out.add(f.path());
        } else {
          collect(f.fields(), out);
        }
      }
    }
  }

  /**
   * Verifies that products satisfy every recorded expectation of their major.
   *
   * @param products the product classes
   * @return how many expectations were checked
   * @throws AssertionError naming every consumer whose expectation is broken, and why, and every
   *     product without an expectation of its major (unless {@link #allowMissing()})
   * @throws UncheckedIOException when an expectation file cannot be read
   * @throws NullPointerException if {@code products} or one of them is null
   */
  public int verify(Class<?>... products) {
    Objects.requireNonNull(products, "products");
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (Class<?> product : products) {
      ProductContract<?> contract = ProductContract.of(Objects.requireNonNull(product, "product"));
      Path folder = directory.resolve(contract.id());
      int ofThisMajor = 0;
      List<String> otherMajors = new ArrayList<>();
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
            JsonNode expectation = JSON.readTree(file.toFile());
            ProductVersion expected = ProductVersion.parse(expectation.path("version").asText());
            if (expected.major() != contract.version().major()) {
              otherMajors.add(file.getFileName() + " (" + Reports.version(expected) + ")");
              continue;
            }
            ofThisMajor++;
            String consumer = expectation.path("consumer").asText(file.getFileName().toString());
            failures.addAll(check(contract, consumer, expectation));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the expectations in " + folder, e);
        }
      }
      if (ofThisMajor == 0 && !allowMissing) {
        failures.add(
            Reports.product(contract)
                + ": no consumer expectation of major version "
                + contract.version().major()
                + " in "
                + folder
                + (otherMajors.isEmpty() ? "" : " (only of other majors: " + otherMajors + ")")
                + "; record them with ConsumerExpectations.record(consumer, readerClass), or use"
                + " allowMissing() for a product no consumer has recorded yet");
      }
      checked += ofThisMajor;
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          "consumer expectations are broken:\n  - " + String.join("\n  - ", failures));
    }
    return checked;
  }

  private static List<String> check(
      ProductContract<?> contract, String consumer, JsonNode expectation) {
    List<String> failures = new ArrayList<>();
    String written = expectation.path("version").asText();
    String label =
        Reports.product(contract)
            + " breaks consumer "
            + consumer
            + " (written against "
            + Reports.version(ProductVersion.parse(written))
            + ")";
    for (JsonNode field : expectation.path("fields")) {
      if (!hasPath(contract.schema(), field.asText())) {
        failures.add(label + ": field " + field.asText() + " is gone");
      }
    }
    JsonNode readerJson = expectation.path("schema").deepCopy();
    alias(readerJson, contract.schema());
    Schema reader = new Schema.Parser().parse(readerJson.toString());
    var result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, contract.schema()).getResult();
    for (var incompatibility : result.getIncompatibilities()) {
      failures.add(
          label
              + ": "
              + Reports.incompatibility(
                  reader,
                  incompatibility.getLocation(),
                  incompatibility.getType().name(),
                  incompatibility.getMessage()));
    }
    return failures;
  }

  /**
   * The consumer may name its types freely: each named type the reader defines gets the matching
   * producer type's full name as an alias (matched by position: root, then fields by name through
   * unions, arrays and maps), which Avro's compatibility check honours.
   */
  private static void alias(JsonNode reader, Schema writer) {
    if (reader.isArray()) {
      Schema value = writer;
      if (writer.getType() == Schema.Type.UNION) {
        for (Schema b : writer.getTypes()) {
          if (b.getType() != Schema.Type.NULL) {
            value = b;
          }
        }
      }
      for (JsonNode branch : reader) {
        alias(branch, value);
      }
      return;
    }
    if (!reader.isObject()) {
      return;
    }
    if (writer.getType() == Schema.Type.UNION) {
      for (Schema b : writer.getTypes()) {
        if (b.getType() != Schema.Type.NULL) {
          alias(reader, b);
          return;
        }
      }
      return;
    }
    ObjectNode node = (ObjectNode) reader;
    String type = node.path("type").asText("");
    switch (type) {
      case "record", "enum", "fixed" -> {
        if (writer.getType() == Schema.Type.RECORD
            || writer.getType() == Schema.Type.ENUM
            || writer.getType() == Schema.Type.FIXED) {
          node.withArrayProperty("aliases").add(writer.getFullName());
        }
        if (type.equals("record") && writer.getType() == Schema.Type.RECORD) {
          for (JsonNode field : node.path("fields")) {
            Schema.Field match = writer.getField(field.path("name").asText());
            if (match != null) {
              alias(field.path("type"), match.schema());
            }
          }
        }
      }
      case "array" -> {
        if (writer.getType() == Schema.Type.ARRAY) {
          alias(node.path("items"), writer.getElementType());
        }
      }
      case "map" -> {
        if (writer.getType() == Schema.Type.MAP) {
          alias(node.path("values"), writer.getValueType());
        }
      }
      default -> {}
    }
  }

  private static boolean hasPath(Schema schema, String path) {
    Schema current = schema;
    // -1 keeps a trailing empty part: "a." names no field (it is not "a")
    for (String part : path.split("\\.", -1)) {
      current = recordOf(current);
      if (current == null || current.getField(part) == null) {
        return false;
      }
      current = current.getField(part).schema();
    }
    return true;
  }

  private static @Nullable Schema recordOf(Schema s) {
    switch (s.getType()) {
      case RECORD:
        return s;
      case UNION:
        for (Schema b : s.getTypes()) {
          if (b.getType() != Schema.Type.NULL) {
            return recordOf(b);
          }
        }
        return null;
      case ARRAY:
        return recordOf(s.getElementType());
      case MAP:
        return recordOf(s.getValueType());
      default:
        return null;
    }
  }
}
