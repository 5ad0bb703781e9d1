package io.meshsdk.maven;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.ContractLock;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.schema.Compatibility;
import io.meshsdk.schema.CompatibilityReport;
import io.meshsdk.testkit.ContractSnapshots;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.jspecify.annotations.Nullable;

/**
 * Checks every product against its contract snapshots (the same check as {@code
 * ContractSnapshots.verify} in the tests: a changed schema without a version bump, a minor version
 * that breaks its major's compatibility promise, a changed PII classification, golden payloads that
 * no longer decode) and, when a registry is configured, against the registry: the subject's mode
 * must be at least the declared compatibility and the schema must pass it. Every product is
 * checked; the build fails once, with every report.
 *
 * <p>Snapshots of new versions are written, as the test does; commit them.
 *
 * <p>Thread-safety: a goal runs on one thread; Maven creates a new instance per execution.
 */
@Mojo(
    name = "verify",
    defaultPhase = LifecyclePhase.VERIFY,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class VerifyMojo extends AbstractRegistryMojo {
  /** The snapshot directory. */
  @Parameter(
      property = "mesh.snapshots",
      defaultValue = "${project.basedir}/src/test/resources/contracts")
  @Nullable File snapshots;

  /** Accepts owner and documentation changes once, rewriting their snapshots. */
  @Parameter(property = ContractSnapshots.ACCEPT_METADATA_PROPERTY, defaultValue = "false")
  boolean acceptMetadata;

  /** Public: Maven creates the goal. */
  public VerifyMojo() {}

  @Override
  void run(List<ProductContract<?>> contracts, List<ProductContract<?>> received)
      throws MojoExecutionException, MojoFailureException {
    ContractSnapshots check = ContractSnapshots.in(new File(String.valueOf(snapshots)).toPath());
    if (acceptMetadata) {
      check = check.acceptingMetadataChanges();
    }
    List<String> problems = new ArrayList<>();
    for (ProductContract<?> c : contracts) {
      try {
        ContractSnapshots.Outcome outcome = check.verify(c);
        getLog().info("mesh: " + c.id() + " " + c.version() + ": snapshot " + outcome);
      } catch (AssertionError | RuntimeException e) {
        problems.add(e.getMessage());
      }
    }
    try (SchemaRegistry registry = registry("verify", false)) {
      if (registry != null) {
        for (ProductContract<?> c : contracts) {
          checkRegistry(registry, c, problems);
        }
      }
    }
    failOn("mesh:verify: " + problems.size() + " problem(s)", problems);
  }

  private void checkRegistry(SchemaRegistry registry, ProductContract<?> c, List<String> problems)
      throws MojoExecutionException {
    String subject = ContractLock.subjectOf(c, prefix());
    Compatibility declared = c.compatibility();
    try {
      Compatibility mode = registry.compatibility(subject);
      if (!mode.isAtLeast(declared)) {
        problems.add(
            c.id()
                + " "
                + c.version()
                + " declares compatibility "
                + declared
                + " but subject '"
                + subject
                + "' is held to "
                + mode
                + " by the registry; raise the subject's mode before registering");
      }
      CompatibilityReport report = registry.testCompatibility(subject, c.schema());
      if (!report.isCompatible()) {
        problems.add(
            c.id()
                + " "
                + c.version()
                + " cannot be registered under subject '"
                + subject
                + "': "
                + report);
      } else {
        getLog()
            .info(
                "mesh: "
                    + c.id()
                    + " "
                    + c.version()
                    + ": compatible with subject '"
                    + subject
                    + "' under "
                    + report.mode());
      }
    } catch (SchemaRegistryException e) {
      throw new MojoExecutionException(
          "mesh:verify cannot ask the registry about subject '" + subject + "': " + e.getMessage(),
          e);
    }
  }
}
