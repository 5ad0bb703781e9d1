package io.meshsdk.maven;

import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The registry's credentials: basic auth as {@code user:password}, or a bearer token, or none.
 * {@link #toString()} shows which kind, never the secret.
 *
 * <p>Thread-safety: immutable.
 *
 * @param userInfo {@code user:password}, or null
 * @param bearerToken a bearer token, or null
 */
record RegistryCredentials(@Nullable String userInfo, @Nullable String bearerToken) {
  static final String USER_INFO_ENV = "MESH_REGISTRY_USER_INFO";
  static final String BEARER_TOKEN_ENV = "MESH_REGISTRY_BEARER_TOKEN";

  /**
   * From {@code MESH_REGISTRY_USER_INFO} or {@code MESH_REGISTRY_BEARER_TOKEN}.
   *
   * @param env the environment
   * @return the credentials
   * @throws MojoExecutionException when both are set: the client would have to pick one silently
   */
  static RegistryCredentials fromEnvironment(Map<String, String> env)
      throws MojoExecutionException {
    String userInfo = blankToNull(env.get(USER_INFO_ENV));
    String bearer = blankToNull(env.get(BEARER_TOKEN_ENV));
    if (userInfo != null && bearer != null) {
      throw new MojoExecutionException(
          "mesh: both " + USER_INFO_ENV + " and " + BEARER_TOKEN_ENV + " are set; choose one");
    }
    return new RegistryCredentials(userInfo, bearer);
  }

  /**
   * From a {@code settings.xml} server: username and password for basic auth, a password alone as a
   * bearer token.
   *
   * @param id the server id, for messages
   * @param username the username, or null
   * @param password the decrypted password, or null
   * @return the credentials
   * @throws MojoExecutionException when the server has a username but no password
   */
  static RegistryCredentials fromServer(
      String id, @Nullable String username, @Nullable String password)
      throws MojoExecutionException {
    String user = blankToNull(username);
    String secret = blankToNull(password);
    if (secret == null) {
      throw new MojoExecutionException(
          "mesh: <server> '" + id + "' in settings.xml has no password for the registry");
    }
    return user == null
        ? new RegistryCredentials(null, secret)
        : new RegistryCredentials(user + ":" + secret, null);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    return userInfo != null ? "basic auth" : bearerToken != null ? "bearer token" : "none";
  }
}
