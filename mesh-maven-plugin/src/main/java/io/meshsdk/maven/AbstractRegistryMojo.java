package io.meshsdk.maven;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.registry.SchemaRegistry;
import java.time.Duration;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.jspecify.annotations.Nullable;

/**
 * A goal that talks to the schema registry: its URL, credentials and time-out.
 *
 * <p>Thread-safety: a goal runs on one thread; Maven creates a new instance per execution.
 */
abstract class AbstractRegistryMojo extends AbstractMeshMojo {
  /** The registry: comma-separated http(s) URLs of a Confluent-compatible registry. */
  @Parameter(property = "mesh.registry.url")
  @Nullable String registryUrl;

  /**
   * The {@code <server>} of {@code settings.xml} holding the registry's credentials (its password
   * may be encrypted): username and password for basic auth, or a password alone as a bearer token.
   * Without it, the environment variables {@code MESH_REGISTRY_USER_INFO} ({@code user:password})
   * or {@code MESH_REGISTRY_BEARER_TOKEN} are read. Credentials are never plugin parameters, so
   * that {@code mvn -X} cannot print them.
   */
  @Parameter(property = "mesh.registry.serverId")
  @Nullable String registryServerId;

  /** Maven's settings, for {@link #registryServerId}. */
  @Parameter(defaultValue = "${settings}", readonly = true)
  @Nullable Settings settings;

  /** Decrypts passwords of {@code settings.xml}. */
  @Component @Nullable SettingsDecrypter decrypter;

  /** How long one registry call may take in all, retries included, in milliseconds. */
  @Parameter(property = "mesh.registry.timeoutMs", defaultValue = "30000")
  int registryTimeoutMs = 30_000;

  private RegistryCredentials credentials() throws MojoExecutionException {
    if (registryServerId == null || registryServerId.isBlank()) {
      return RegistryCredentials.fromEnvironment(System.getenv());
    }
    Server server = settings == null ? null : settings.getServer(registryServerId);
    if (server == null) {
      throw new MojoExecutionException(
          "mesh: no <server> with id '"
              + registryServerId
              + "' in settings.xml for the registry's credentials");
    }
    if (decrypter != null) {
      SettingsDecryptionResult result =
          decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      if (!result.getProblems().isEmpty()) {
        throw new MojoExecutionException(
            "mesh: cannot decrypt the password of <server> '"
                + registryServerId
                + "': "
                + result.getProblems().get(0).getMessage());
      }
      server = result.getServer();
    }
    return RegistryCredentials.fromServer(
        registryServerId, server.getUsername(), server.getPassword());
  }

  /**
   * The registry configured, or null.
   *
   * @param goal the goal, for the message when it needs one
   * @param required whether the goal cannot run without one
   * @return the registry, to be closed by the caller; null when none is configured and not required
   * @throws MojoExecutionException when one is required and none is configured
   */
  final @Nullable SchemaRegistry registry(String goal, boolean required)
      throws MojoExecutionException {
    if (registryUrl == null || registryUrl.isBlank()) {
      if (required) {
        throw new MojoExecutionException(
            "mesh:"
                + goal
                + " needs a schema registry: set <registryUrl> in the plugin's configuration or"
                + " -Dmesh.registry.url=https://registry:8081");
      }
      return null;
    }
    if (registryUrl.contains("@")) {
      throw new MojoExecutionException(
          "mesh: <registryUrl> must not carry credentials (user-info), since Maven may print"
              + " parameters (mvn -X); use <registryServerId> or MESH_REGISTRY_USER_INFO");
    }
    try {
      RestSchemaRegistry.Builder b =
          RestSchemaRegistry.builder(registryUrl.split(","))
              .callTimeout(Duration.ofMillis(registryTimeoutMs));
      RegistryCredentials credentials = credentials();
      if (credentials.userInfo() != null) {
        b.basicAuthUserInfo(credentials.userInfo());
      }
      if (credentials.bearerToken() != null) {
        b.bearerToken(credentials.bearerToken());
      }
      return b.build();
    } catch (IllegalArgumentException | MeshConfigurationException e) {
      // the builder's messages mask credentials
      throw new MojoExecutionException("mesh: invalid registry settings: " + e.getMessage(), e);
    }
  }
}
