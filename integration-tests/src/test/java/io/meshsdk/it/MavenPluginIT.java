package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesh-maven-plugin} in real Maven builds: the Maven that runs this build builds a sample
 * team project ({@code src/test/resources/maven-it/orders}) with the plugin and Mesh SDK that this
 * build made (the invoker installed them into {@code target/it-repo}; everything else resolves from
 * the user's repository through a file mirror, so the builds need no network), against the real
 * registry server. The project evolves as a team's would: a first version exported and verified,
 * registered and locked into its jar, a compatible minor version, then a breaking one that fails
 * the build with the report.
 */
class MavenPluginIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path settings;

  @TempDir static Path work;

  private final String prefix = "mvn" + System.nanoTime() % 100_000 + ".";
  private final String subject = prefix + "orders.order-placed.v1-value";

  /** The sample builds' settings: every repository mirrored by the user's local one. */
  @BeforeAll
  static void settings() throws IOException {
    Path userRepo = Path.of(System.getProperty("mesh.it.userRepo")).toAbsolutePath();
    settings = work.resolve("settings.xml");
    Files.writeString(
        settings,
        "<settings><mirrors><mirror><id>user-repository</id><mirrorOf>*</mirrorOf><url>"
            + userRepo.toUri()
            + "</url></mirror></mirrors></settings>\n");
  }

  /** A build's outcome: its exit code and its whole log. */
  record Build(int exit, String log) {}

  private static Build mvn(Path project, String... args) throws Exception {
    Path maven = Path.of(System.getProperty("maven.home"), "bin", "mvn");
    List<String> command = new ArrayList<>();
    command.add(maven.toString());
    command.addAll(
        List.of(
            "-B",
            "-ntp",
            "-s",
            settings.toString(),
            "-Dmaven.repo.local=" + System.getProperty("mesh.it.repo")));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(work, "build-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove("MESH_REGISTRY_USER_INFO"); // the builds' credentials: none
    builder.environment().remove("MESH_REGISTRY_BEARER_TOKEN");
    builder.environment().remove("MAVEN_OPTS");
    Process p = builder.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the Maven build did not finish in 5 minutes: " + command);
    }
    Build b = new Build(p.exitValue(), Files.readString(log));
    System.out.printf("mvn %s -> exit %d%n", String.join(" ", args), b.exit());
    return b;
  }

  /** The sample project copied out of the source tree, with this build's version of Mesh SDK. */
  private static Path sampleProject() throws IOException {
    Path source = Path.of("src/test/resources/maven-it/orders");
    Path target = Files.createTempDirectory(work, "orders-");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path pom = target.resolve("pom.xml");
    Files.writeString(
        pom,
        Files.readString(pom).replace("@mesh.version@", System.getProperty("mesh.it.version")));
    return target;
  }

  private static void change(Path project, String version) throws IOException {
    Files.copy(
        Path.of("src/test/resources/maven-it/changes/OrderPlaced-" + version + ".java"),
        project.resolve("src/main/java/com/example/orders/OrderPlaced.java"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private String[] withRegistry(String... goals) {
    List<String> args = new ArrayList<>(List.of(goals));
    args.add("-Dmesh.registry.url=" + ApicurioRegistry.shared().url());
    args.add("-Dmesh.topicPrefix=" + prefix);
    return args.toArray(String[]::new);
  }

  @Test
  void aTeamProjectExportsVerifiesRegistersAndLocksItsProductsAndABreakingChangeFailsTheBuild()
      throws Exception {
    Path project = sampleProject();

    // 1. the first version: documents exported, the snapshot written, no registry yet
    Build first = mvn(project, "verify");
    assertThat(first.exit()).as(first.log()).isZero();
    Path docs = project.resolve("target/mesh");
    JsonNode odcs = JSON.readTree(docs.resolve("orders.order-placed-1.0.odcs.json").toFile());
    assertThat(odcs.path("apiVersion").asText()).isEqualTo("v3.1.0");
    assertThat(odcs.path("id").asText()).isEqualTo("orders.order-placed.v1");
    assertThat(odcs.path("servers").get(0).path("host").asText()).isEqualTo("broker-1:9092");
    Schema avsc = new Schema.Parser().parse(docs.resolve("orders.order-placed-1.0.avsc").toFile());
    assertThat(avsc.getFields()).extracting(Schema.Field::name).contains("orderId", "amountCents");
    assertThat(Files.readString(docs.resolve("orders.order-placed-1.0.rules.json")))
        .contains("amountCents > 0");
    JsonNode asyncApi = JSON.readTree(docs.resolve("orders-service.asyncapi.json").toFile());
    assertThat(asyncApi.path("asyncapi").asText()).isEqualTo("3.0.0");
    assertThat(asyncApi.path("info").path("version").asText()).isEqualTo("1.4.0");
    assertThat(asyncApi.path("operations").fieldNames()).toIterable().isNotEmpty();
    assertThat(project.resolve("src/test/resources/contracts/orders.order-placed/v1/1.0.avsc"))
        .isRegularFile();
    assertThat(first.log()).contains("mesh: orders.order-placed 1.0: snapshot CREATED");

    // 2. CI registers the schema and locks it into the jar
    Build registered =
        mvn(project, withRegistry("compile", "mesh:register", "mesh:lock", "jar:jar"));
    assertThat(registered.exit()).as(registered.log()).isZero();
    assertThat(registered.log())
        .contains("registered under subject '" + subject + "': version 1")
        .contains("mesh: locked 1 product(s) in 1 subject(s)");
    Path lockFile = work.resolve(prefix + "lock.json");
    try (ZipFile jar = new ZipFile(project.resolve("target/orders-service-1.4.0.jar").toFile());
        InputStream in = jar.getInputStream(jar.getEntry(ContractLock.RESOURCE))) {
      Files.write(lockFile, in.readAllBytes());
    }
    ContractLock lock = ContractLock.read(lockFile);
    try (SchemaRegistry registry =
        RestSchemaRegistry.builder(ApicurioRegistry.shared().url()).build()) {
      assertThat(lock.products()).containsEntry("orders.order-placed.v1", subject);
      assertThat(lock.registry())
          .isEqualTo(
              io.meshsdk.registry.internal.Redaction.locations(ApicurioRegistry.shared().url()));
      assertThat(lock.mismatches(registry)).isEmpty();
      assertThat(lock.versions(subject).get(0).id()).isEqualTo(registry.latest(subject).id());
    }

    // 3. a compatible minor version passes against the snapshots and the registry
    change(project, "1.1-compatible");
    Build compatible = mvn(project, withRegistry("verify"));
    assertThat(compatible.exit()).as(compatible.log()).isZero();
    assertThat(compatible.log())
        .contains("mesh: orders.order-placed 1.1: snapshot APPENDED")
        .contains("compatible with subject '" + subject + "' under BACKWARD_TRANSITIVE");

    // 4. a breaking minor version fails the build with both reports
    change(project, "1.2-breaking");
    Build breaking = mvn(project, withRegistry("verify"));
    assertThat(breaking.exit()).isNotZero();
    assertThat(breaking.log())
        .contains("BUILD FAILURE")
        .contains("mesh:verify: 2 problem(s)")
        .contains("orders.order-placed product version 1.2 breaks its BACKWARD_TRANSITIVE promise")
        .contains("field currency")
        .contains("orders.order-placed 1.2 cannot be registered under subject '" + subject + "'");
    assertThat(project.resolve("src/test/resources/contracts/orders.order-placed/v1/1.2.avsc"))
        .doesNotExist();
  }

  @Test
  void missingSettingsAndUnregisteredSchemasStopTheBuildWithTheReason() throws Exception {
    Path project = sampleProject();
    Build noRegistry = mvn(project, "compile", "mesh:register");
    assertThat(noRegistry.exit()).isNotZero();
    assertThat(noRegistry.log())
        .contains("mesh:register needs a schema registry: set <registryUrl>");

    Build credentialsInUrl =
        mvn(
            project,
            "compile",
            "mesh:register",
            "-Dmesh.registry.url=https://ci:s3cret@registry:8081");
    assertThat(credentialsInUrl.exit()).isNotZero();
    assertThat(credentialsInUrl.log())
        .contains("<registryUrl> must not carry credentials")
        .doesNotContain("s3cret");

    Build unregistered = mvn(project, withRegistry("compile", "mesh:lock"));
    assertThat(unregistered.exit()).isNotZero();
    assertThat(unregistered.log())
        .contains("mesh:lock: cannot lock the contracts")
        .contains("its schema is not registered under subject '" + subject + "'");
    assertThat(project.resolve("target/classes/" + ContractLock.RESOURCE)).doesNotExist();

    Build typo = mvn(project, "compile", "mesh:export", "-Dmesh.products=com.example.orders.Order");
    assertThat(typo.exit()).isNotZero();
    assertThat(typo.log())
        .contains("mesh: invalid products:")
        .contains("com.example.orders.Order: cannot be loaded from the project's class path");
  }
}
