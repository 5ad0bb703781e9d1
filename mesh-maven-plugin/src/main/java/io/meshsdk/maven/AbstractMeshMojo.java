package io.meshsdk.maven;

import io.meshsdk.contract.ProductContract;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.jspecify.annotations.Nullable;

/**
 * What every goal shares: the project's products (found in its compiled classes, or named), the
 * topic prefix, and the registry.
 *
 * <p>Thread-safety: a goal runs on one thread; Maven creates a new instance per execution.
 */
abstract class AbstractMeshMojo extends AbstractMojo {
  /** The project. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  @Nullable MavenProject project;

  /**
   * The product classes, by binary name. Default: every class of the project's own compiled classes
   * annotated with {@code @DataProduct}.
   */
  @Parameter(property = "mesh.products")
  @Nullable List<String> products;

  /**
   * Products the application consumes that are defined elsewhere (another team's jar on the
   * project's class path), by binary class name: received operations in the AsyncAPI document, and
   * locked by {@code mesh:lock}.
   */
  @Parameter(property = "mesh.receives")
  @Nullable List<String> receives;

  /** The mesh's topic prefix ({@code mesh.topic.prefix}), for topic and subject names. */
  @Parameter(property = "mesh.topicPrefix")
  @Nullable String topicPrefix;

  /** The plugin, for its version. */
  @Parameter(defaultValue = "${plugin}", readonly = true)
  @Nullable PluginDescriptor plugin;

  /** Skips the goal. */
  @Parameter(property = "mesh.skip", defaultValue = "false")
  boolean skip;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("mesh: skipped");
      return;
    }
    MavenProject p = project();
    requireSameMeshVersion(p);
    try (URLClassLoader loader = projectClassLoader(p)) {
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        List<ProductContract<?>> contracts =
            ProductScanner.contracts(
                loader,
                Path.of(p.getBuild().getOutputDirectory()),
                products == null ? List.of() : products);
        List<ProductContract<?>> received =
            receives == null || receives.isEmpty()
                ? List.of()
                : ProductScanner.contracts(
                    loader, Path.of(p.getBuild().getOutputDirectory()), receives);
        if (contracts.isEmpty() && received.isEmpty()) {
          getLog()
              .warn(
                  "mesh: no @DataProduct class in "
                      + p.getBuild().getOutputDirectory()
                      + " and none named in <products>; nothing to do");
          return;
        }
        run(contracts, received);
      } finally {
        thread.setContextClassLoader(previous);
      }
    } catch (IOException e) {
      throw new MojoExecutionException("mesh: cannot close the project's class loader", e);
    }
  }

  /**
   * Runs the goal.
   *
   * @param contracts the project's own products, in name order
   * @param received the products it consumes from elsewhere ({@code <receives>})
   * @throws MojoExecutionException for a configuration or environment problem
   * @throws MojoFailureException when the products fail the goal's check
   */
  abstract void run(List<ProductContract<?>> contracts, List<ProductContract<?>> received)
      throws MojoExecutionException, MojoFailureException;

  /**
   * The project's classes are loaded over the plugin's Mesh SDK: another version of {@code
   * mesh-sdk} in the project could derive other schemas than its application will at run time.
   */
  private void requireSameMeshVersion(MavenProject p) throws MojoExecutionException {
    if (plugin == null) {
      return;
    }
    for (Artifact a : p.getArtifacts()) {
      if (a.getGroupId().equals("io.meshsdk")
          && a.getArtifactId().equals("mesh-sdk")
          && !a.getBaseVersion().equals(plugin.getVersion())) {
        throw new MojoExecutionException(
            "mesh: the project uses mesh-sdk "
                + a.getBaseVersion()
                + " but mesh-maven-plugin "
                + plugin.getVersion()
                + "; use the same version for both (the mesh-sdk-bom's version), so that the"
                + " plugin derives the schemas the application will");
      }
    }
  }

  /**
   * Fails the build once with every problem, each as its own paragraph.
   *
   * @param heading the first line
   * @param problems the reports; nothing happens when empty
   * @throws MojoFailureException when there are problems
   */
  static void failOn(String heading, List<String> problems) throws MojoFailureException {
    if (!problems.isEmpty()) {
      throw new MojoFailureException(heading + "\n\n" + String.join("\n\n", problems) + "\n");
    }
  }

  final MavenProject project() {
    if (project == null) {
      throw new IllegalStateException("Maven did not inject the project");
    }
    return project;
  }

  final String prefix() {
    return topicPrefix == null ? "" : topicPrefix.trim();
  }

  /** The project's runtime class path over the plugin's own class loader (Mesh SDK's classes). */
  private URLClassLoader projectClassLoader(MavenProject p) throws MojoExecutionException {
    List<URL> urls = new ArrayList<>();
    try {
      for (String element : p.getRuntimeClasspathElements()) {
        urls.add(Path.of(element).toUri().toURL());
      }
    } catch (DependencyResolutionRequiredException | MalformedURLException e) {
      throw new MojoExecutionException("mesh: cannot build the project's class path: " + e, e);
    }
    return new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader());
  }
}
