package io.meshsdk.contract.internal;

import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.ProductDescriptor;
import io.meshsdk.contract.ProductDescriptor.FieldDescriptor;
import io.meshsdk.contract.ProductKind;
import io.meshsdk.contract.ProductSunset;
import io.meshsdk.contract.ProductVersion;
import io.meshsdk.contract.Sunset;
import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.RecordNode;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.schema.Compatibility;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link ProductContract}s: reads the metadata, the class model, derives the schema and
 * compiles the checks, reporting every problem at once. Contracts of annotated classes are cached
 * per class.
 */
public final class ContractCompiler {
  /** Schema property names of the contract metadata. */
  static final String PROP_DOMAIN = "mesh.domain";

  static final String PROP_NAME = "mesh.name";
  static final String PROP_VERSION = "mesh.version";
  static final String PROP_OWNER = "mesh.owner";
  static final String PROP_KIND = "mesh.kind";
  static final String PROP_COMPATIBILITY = "mesh.compatibility";
  static final String PROP_KEY = "mesh.key";
  static final String PROP_FRESHNESS = "mesh.freshness";
  static final String PROP_TAGS = "mesh.tags";
  static final String PROP_SUNSET = "mesh.sunset";
  static final String PROP_SUCCESSOR = "mesh.successor";

  private static final Pattern TOPIC_CHARS = Pattern.compile("[A-Za-z0-9._-]+");

  /**
   * Contracts of annotated classes, held by the classes themselves: a class loader that is dropped
   * (a redeployed application, a test framework's loader) is not kept alive by this cache.
   */
  private static final ClassValue<ProductContract<?>> CACHE =
      new ClassValue<>() {
        @Override
        protected ProductContract<?> computeValue(Class<?> type) {
          return build(type, null);
        }
      };

  private ContractCompiler() {}

  /** Product-level metadata, from the annotation or a descriptor. */
  record Meta(
      String domain,
      String name,
      String version,
      String owner,
      String description,
      ProductKind kind,
      Compatibility compatibility,
      @Nullable Duration freshness,
      int partitions,
      @Nullable Duration retention,
      Set<String> tags,
      @Nullable String topic,
      @Nullable String key,
      Map<String, FieldDescriptor> fields,
      @Nullable String schemaName,
      @Nullable ProductSunset sunset) {}

  /** The cached contract of an annotated class. */
  @SuppressWarnings("unchecked")
  public static <T> ProductContract<T> contractOf(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return (ProductContract<T>) CACHE.get(type);
  }

  /** A new contract of a class described in code. */
  public static <T> ProductContract<T> contractOf(Class<T> type, ProductDescriptor descriptor) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(descriptor, "descriptor");
    return build(type, descriptor);
  }

  private static <T> ProductContract<T> build(
      Class<T> type, @Nullable ProductDescriptor descriptor) {
    String heading = type.getName() + " cannot be a data product";
    List<String> problems = new ArrayList<>();
    Meta meta =
        descriptor != null
            ? fromDescriptor(type, descriptor, problems)
            : fromAnnotation(type, problems);
    if (meta == null) {
      throw new MeshConfigurationException(heading, problems);
    }
    ProductVersion version = null;
    try {
      version = ProductVersion.parse(meta.version());
    } catch (MeshConfigurationException e) {
      problems.add(type.getName() + ": " + e.getMessage());
    }
    checkIdentity(type, meta, problems);
    boolean generated = SpecificRecord.class.isAssignableFrom(type);
    if (generated && descriptor == null) {
      problems.add(
          type.getName()
              + ": Avro-generated classes cannot be annotated; describe them with"
              + " ProductContract.of(type, ProductDescriptor)");
    }
    if (!problems.isEmpty() || version == null) {
      throw new MeshConfigurationException(heading, problems);
    }
    return generated
        ? SpecificRecordContracts.build(type, meta, version, heading, problems)
        : buildFromClass(type, meta, version, heading, problems);
  }

  private static <T> ProductContract<T> buildFromClass(
      Class<T> type, Meta meta, ProductVersion version, String heading, List<String> problems) {
    ModelBuilder builder = new ModelBuilder(version, meta.fields());
    RecordModel model = builder.record(type, "", true);
    problems.addAll(builder.problems());
    PropertyModel key = null;
    for (PropertyModel p : model.properties()) {
      if (p.key() || p.name().equals(meta.key())) {
        if (key != null) {
          problems.add(
              type.getName() + ": more than one key field (" + key.name() + ", " + p.name() + ")");
        }
        key = p;
      }
    }
    if (meta.key() != null && (key == null || !key.name().equals(meta.key()))) {
      problems.add(type.getName() + ": key field '" + meta.key() + "' does not exist");
    }
    if (meta.kind() == ProductKind.STATE
        && key == null
        && !builder.sawKey()
        && meta.key() == null) {
      problems.add(type.getName() + ": a STATE product must declare a @Key field");
    }
    checkOverridePaths(type, meta, model, problems);
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(heading, problems);
    }
    SchemaDeriver deriver = new SchemaDeriver(problems);
    Schema schema =
        deriver.record(
            model, meta.description().isBlank() ? null : meta.description(), meta.schemaName());
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(heading, problems);
    }
    addProductProperties(schema, meta, version, key == null ? null : key.name());
    List<ContractField> fields = fields(model, "");
    CompiledValidator validator = CompiledValidator.compile(model, Clock.systemUTC());
    return new DefaultProductContract<>(
        type,
        meta,
        version,
        key == null ? null : key.name(),
        key == null ? null : key.accessor(),
        schema,
        fields,
        model,
        validator,
        false);
  }

  static void addProductProperties(
      Schema schema, Meta meta, ProductVersion version, @Nullable String key) {
    schema.addProp(PROP_DOMAIN, meta.domain());
    schema.addProp(PROP_NAME, meta.name());
    schema.addProp(PROP_VERSION, version.toString());
    schema.addProp(PROP_OWNER, meta.owner());
    schema.addProp(PROP_KIND, meta.kind().name());
    schema.addProp(PROP_COMPATIBILITY, meta.compatibility().name());
    if (key != null) {
      schema.addProp(PROP_KEY, key);
    }
    if (meta.freshness() != null) {
      schema.addProp(PROP_FRESHNESS, meta.freshness().toString());
    }
    if (!meta.tags().isEmpty()) {
      schema.addProp(PROP_TAGS, new ArrayList<>(meta.tags()));
    }
    if (meta.sunset() != null) {
      schema.addProp(PROP_SUNSET, meta.sunset().date().toString());
      schema.addProp(
          PROP_SUCCESSOR,
          meta.domain() + "." + meta.name() + ".v" + meta.sunset().successorMajor());
    }
  }

  static List<ContractField> fields(RecordModel model, String prefix) {
    List<ContractField> result = new ArrayList<>();
    for (PropertyModel p : model.properties()) {
      String path = prefix.isEmpty() ? p.name() : prefix + "." + p.name();
      RecordModel nested = nestedRecord(p.type());
      result.add(
          ContractField.of(
              p.name(),
              path,
              model.schema().getField(p.name()).schema(),
              p.doc(),
              p.pii(),
              p.since(),
              p.type() instanceof TypeNode.NullableNode,
              p.key(),
              p.constraints(),
              nested == null || nested == model ? List.of() : fields(nested, path)));
    }
    return result;
  }

  private static @Nullable RecordModel nestedRecord(TypeNode node) {
    TypeNode t = node.unwrap();
    if (t instanceof RecordNode r) {
      return r.model();
    } else if (t instanceof ArrayNode a) {
      return nestedRecord(a.element());
    } else if (t instanceof MapNode m) {
      return nestedRecord(m.value());
    }
    return null;
  }

  private static void checkOverridePaths(
      Class<?> type, Meta meta, RecordModel model, List<String> problems) {
    for (String path : meta.fields().keySet()) {
      RecordModel current = model;
      boolean found = false;
      // -1 keeps a trailing empty part: "a." names no field (it is not "a")
      String[] parts = path.split("\\.", -1);
      for (int i = 0; i < parts.length && current != null; i++) {
        PropertyModel match = null;
        for (PropertyModel p : current.properties()) {
          if (p.name().equals(parts[i])) {
            match = p;
          }
        }
        if (match == null) {
          break;
        }
        if (i == parts.length - 1) {
          found = true;
        } else {
          current = nestedRecord(match.type());
        }
      }
      if (!found) {
        problems.add(
            type.getName()
                + ": the descriptor describes field '"
                + path
                + "', which does not exist");
      }
    }
  }

  private static @Nullable Meta fromAnnotation(Class<?> type, List<String> problems) {
    DataProduct dp = type.getAnnotation(DataProduct.class);
    if (dp == null) {
      problems.add(
          type.getName()
              + ": not annotated with @DataProduct (or describe it with ProductContract.of(type,"
              + " ProductDescriptor))");
      return null;
    }
    Duration freshness = duration(type, "freshness", dp.freshness(), problems);
    Duration retention = duration(type, "retention", dp.retention(), problems);
    if (dp.partitions() < 0) {
      problems.add(type.getName() + ": partitions must not be negative");
    }
    return new Meta(
        dp.domain(),
        dp.name(),
        dp.version(),
        dp.owner(),
        dp.description(),
        dp.kind(),
        dp.compatibility(),
        freshness,
        dp.partitions(),
        retention,
        new LinkedHashSet<>(Arrays.asList(dp.tags())),
        dp.topic().isEmpty() ? null : dp.topic(),
        null,
        Map.of(),
        dp.schemaName().isEmpty() ? null : dp.schemaName(),
        sunset(type, dp.version(), problems));
  }

  private static @Nullable ProductSunset sunset(
      Class<?> type, String version, List<String> problems) {
    Sunset s = type.getAnnotation(Sunset.class);
    if (s == null) {
      return null;
    }
    int major;
    try {
      major = ProductVersion.parse(version).major();
    } catch (MeshConfigurationException e) {
      return null; // reported with the version
    }
    try {
      LocalDate date = LocalDate.parse(s.date());
      LocalDate announced = s.announced().isEmpty() ? null : LocalDate.parse(s.announced());
      int successor = s.successor() == 0 ? major + 1 : s.successor();
      if (successor <= major) {
        problems.add(
            type.getName()
                + ": @Sunset successor "
                + successor
                + " must be a later major than "
                + major);
        return null;
      }
      return announced == null
          ? ProductSunset.of(date, successor)
          : ProductSunset.of(date, successor, announced);
    } catch (DateTimeParseException e) {
      problems.add(
          type.getName() + ": @Sunset dates must be ISO-8601 (2027-06-30): " + e.getMessage());
    } catch (IllegalArgumentException e) {
      problems.add(type.getName() + ": @Sunset " + e.getMessage());
    }
    return null;
  }

  private static Meta fromDescriptor(Class<?> type, ProductDescriptor d, List<String> problems) {
    ProductSunset sunset = d.sunset().orElse(null);
    if (sunset != null) {
      try {
        int major = ProductVersion.parse(d.version()).major();
        if (sunset.successorMajor() <= major) {
          problems.add(
              type.getName()
                  + ": sunset successor "
                  + sunset.successorMajor()
                  + " must be a later major than "
                  + major);
          sunset = null;
        }
      } catch (MeshConfigurationException e) {
        sunset = null; // reported with the version
      }
    }
    return new Meta(
        d.domain(),
        d.name(),
        d.version(),
        d.owner(),
        d.description(),
        d.kind(),
        d.compatibility(),
        d.freshness().orElse(null),
        d.partitions(),
        d.retention().orElse(null),
        d.tags(),
        d.topic().orElse(null),
        d.key().orElse(null),
        d.fields(),
        null,
        sunset);
  }

  private static @Nullable Duration duration(
      Class<?> type, String what, String text, List<String> problems) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative() || d.isZero()) {
        problems.add(type.getName() + ": " + what + " must be positive, got " + text);
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(
          type.getName()
              + ": "
              + what
              + " '"
              + text
              + "' is not an ISO-8601 duration such as PT5M");
      return null;
    }
  }

  private static void checkIdentity(Class<?> type, Meta meta, List<String> problems) {
    if (meta.domain().isBlank() || !TOPIC_CHARS.matcher(meta.domain()).matches()) {
      problems.add(
          type.getName()
              + ": domain '"
              + meta.domain()
              + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
    }
    if (meta.name().isBlank() || !TOPIC_CHARS.matcher(meta.name()).matches()) {
      problems.add(
          type.getName()
              + ": name '"
              + meta.name()
              + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
    }
    if (meta.schemaName() != null
        && !meta.schemaName().matches("([A-Za-z_][A-Za-z0-9_]*\\.)*[A-Za-z_][A-Za-z0-9_]*")) {
      problems.add(
          type.getName()
              + ": schemaName '"
              + meta.schemaName()
              + "' is not a valid Avro full name");
    }
    if (meta.topic() != null
        && (!TOPIC_CHARS.matcher(meta.topic()).matches() || meta.topic().length() > 249)) {
      problems.add(
          type.getName() + ": topic '" + meta.topic() + "' is not a valid Kafka topic name");
    }
  }
}
