package io.meshsdk.maven;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.jspecify.annotations.Nullable;

/**
 * Writes the contract lock: for the project's products and those named in {@code <receives>}, every
 * version of their subjects with ids and schemas, and the subjects' compatibility modes, read from
 * the registry. By default it goes into the classes ({@code META-INF/mesh/contracts.lock.json}), so
 * the jar bundles it and a mesh finds it at start-up. Each product's current schema must be
 * registered already ({@code mesh:register} before it).
 *
 * <p>Thread-safety: a goal runs on one thread; Maven creates a new instance per execution.
 */
@Mojo(
    name = "lock",
    defaultPhase = LifecyclePhase.PREPARE_PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class LockMojo extends AbstractRegistryMojo {
  /** The lock file. */
  @Parameter(
      property = "mesh.lockFile",
      defaultValue = "${project.build.outputDirectory}/" + ContractLock.RESOURCE)
  @Nullable File lockFile;

  /** Public: Maven creates the goal. */
  public LockMojo() {}

  @Override
  void run(List<ProductContract<?>> contracts, List<ProductContract<?>> received)
      throws MojoExecutionException, MojoFailureException {
    List<ProductContract<?>> all = new ArrayList<>(contracts);
    all.addAll(received);
    File file = Objects.requireNonNull(lockFile, "lockFile");
    try (SchemaRegistry registry = registry("lock", true)) {
      ContractLock lock =
          ContractLock.create(
              Objects.requireNonNull(registry), String.valueOf(registryUrl), prefix(), all);
      lock.write(file.toPath());
      getLog()
          .info(
              "mesh: locked "
                  + lock.products().size()
                  + " product(s) in "
                  + lock.subjects().size()
                  + " subject(s): "
                  + file);
    } catch (MeshConfigurationException e) {
      throw new MojoFailureException("mesh:lock: " + e.getMessage(), e);
    } catch (SchemaRegistryException e) {
      throw new MojoExecutionException("mesh:lock cannot read the registry: " + e.getMessage(), e);
    }
  }
}
