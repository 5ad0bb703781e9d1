package io.meshsdk.maven;

import io.meshsdk.catalog.ContractDocuments;
import io.meshsdk.contract.ProductContract;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.SchemaFormatter;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.jspecify.annotations.Nullable;

/**
 * Writes the documents of the project's products into {@code target/mesh}: per product version its
 * ODCS contract, its Avro schema and its Confluent rule set (for example {@code
 * orders.order-placed-1.0.odcs.json}, {@code .avsc} and {@code .rules.json}); and one AsyncAPI
 * document for the application ({@code orders-service.asyncapi.json}) that sends the project's
 * products and receives those named in {@code <receives>}.
 *
 * <p>Thread-safety: a goal runs on one thread; Maven creates a new instance per execution.
 */
@Mojo(
    name = "export",
    defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class ExportMojo extends AbstractMeshMojo {
  /** Where the documents go. */
  @Parameter(property = "mesh.outputDirectory", defaultValue = "${project.build.directory}/mesh")
  @Nullable File outputDirectory;

  /**
   * The Kafka bootstrap servers the documents name as the products' server (required: catalogs show
   * consumers where the data is).
   */
  @Parameter(property = "mesh.bootstrapServers")
  @Nullable String bootstrapServers;

  /** The application the AsyncAPI document describes. */
  @Parameter(property = "mesh.application", defaultValue = "${project.artifactId}")
  @Nullable String application;

  /** The application's version in the AsyncAPI document. */
  @Parameter(property = "mesh.applicationVersion", defaultValue = "${project.version}")
  @Nullable String applicationVersion;

  /** Public: Maven creates the goal. */
  public ExportMojo() {}

  @Override
  void run(List<ProductContract<?>> contracts, List<ProductContract<?>> received)
      throws MojoExecutionException {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new MojoExecutionException(
          "mesh:export needs the Kafka bootstrap servers the documents name: set"
              + " <bootstrapServers>broker-1:9092</bootstrapServers> or -Dmesh.bootstrapServers");
    }
    Path out = Path.of(String.valueOf(outputDirectory));
    for (ProductContract<?> c : contracts) {
      String base = c.id() + "-" + c.version();
      write(out.resolve(base + ".odcs.json"), ContractDocuments.odcs(c, bootstrapServers));
      write(
          out.resolve(base + ".avsc"),
          SchemaFormatter.getInstance("json/pretty").format(c.schema()) + "\n");
      write(out.resolve(base + ".rules.json"), ContractDocuments.confluentRuleSet(c));
    }
    String app = application == null ? project().getArtifactId() : application;
    write(
        out.resolve(app + ".asyncapi.json"),
        ContractDocuments.asyncApi(
            app,
            applicationVersion == null ? project().getVersion() : applicationVersion,
            bootstrapServers,
            contracts,
            received));
    getLog()
        .info(
            "mesh: wrote the documents of "
                + contracts.size()
                + " product(s) and the AsyncAPI document of "
                + app
                + " to "
                + out);
  }

  private static void write(Path file, String text) throws MojoExecutionException {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("mesh: cannot write " + file + ": " + e, e);
    }
  }
}
