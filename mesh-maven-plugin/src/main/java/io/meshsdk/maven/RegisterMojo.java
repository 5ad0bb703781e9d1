package io.meshsdk.maven;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.IncompatibleSchemaException;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.serde.MeshSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Registers the schemas of the project's products, as a producer in {@code AUTO_REGISTER} mode
 * would: a subject without its own compatibility mode gets the product's declared one first, a
 * subject whose mode is weaker than declared is refused, and the registry's compatibility check
 * decides. Run it in CI ({@code mvn mesh:register}), so that production runs with {@code
 * mesh.registration=VERIFY}.
 *
 * <p>Thread-safety: a goal runs on one thread; Maven creates a new instance per execution.
 */
@Mojo(name = "register", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class RegisterMojo extends AbstractRegistryMojo {
  /** Public: Maven creates the goal. */
  public RegisterMojo() {}

  @Override
  void run(List<ProductContract<?>> contracts, List<ProductContract<?>> received)
      throws MojoExecutionException, MojoFailureException {
    List<String> problems = new ArrayList<>();
    try (SchemaRegistry registry = registry("register", true)) {
      for (ProductContract<?> c : contracts) {
        register(Objects.requireNonNull(registry), c, problems);
      }
    }
    failOn("mesh:register: " + problems.size() + " product(s) not registered", problems);
  }

  private <T> void register(SchemaRegistry registry, ProductContract<T> c, List<String> problems)
      throws MojoExecutionException {
    String topic = prefix() + c.topic();
    String subject = ContractLock.subjectOf(c, prefix());
    try {
      int id = MeshSerializer.of(c, registry).schemaId(topic);
      String version =
          registry.lookup(subject, c.schema()).map(r -> "version " + r.version() + ", ").orElse("");
      getLog()
          .info(
              "mesh: "
                  + c.id()
                  + " "
                  + c.version()
                  + " registered under subject '"
                  + subject
                  + "': "
                  + version
                  + "id "
                  + id);
    } catch (IncompatibleSchemaException | MeshConfigurationException e) {
      problems.add(c.id() + " " + c.version() + ": " + e.getMessage());
    } catch (SchemaRegistryException e) {
      if (!e.isRetriable()) { // refused: unauthorised, an invalid schema
        problems.add(c.id() + " " + c.version() + ": the registry refused it: " + e.getMessage());
        return;
      }
      throw new MojoExecutionException(
          "mesh:register cannot reach the registry for subject '"
              + subject
              + "': "
              + e.getMessage(),
          e);
    }
  }
}
