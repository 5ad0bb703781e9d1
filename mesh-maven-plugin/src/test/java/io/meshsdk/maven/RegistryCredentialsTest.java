package io.meshsdk.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** Where the registry's credentials come from, and that none is ever shown. */
class RegistryCredentialsTest {
  @Test
  void aServerWithUserAndPasswordIsBasicAuthAndAPasswordAloneIsABearerToken() throws Exception {
    RegistryCredentials basic = RegistryCredentials.fromServer("registry", "ci", "s3cret");
    assertThat(basic.userInfo()).isEqualTo("ci:s3cret");
    assertThat(basic.bearerToken()).isNull();
    assertThat(basic).hasToString("basic auth");

    RegistryCredentials bearer = RegistryCredentials.fromServer("registry", " ", "t0ken");
    assertThat(bearer.bearerToken()).isEqualTo("t0ken");
    assertThat(bearer.userInfo()).isNull();
    assertThat(bearer).hasToString("bearer token");

    assertThatThrownBy(() -> RegistryCredentials.fromServer("registry", "ci", null))
        .isInstanceOf(MojoExecutionException.class)
        .hasMessageContaining("<server> 'registry' in settings.xml has no password");
  }

  @Test
  void theEnvironmentGivesOneKindOrNoneAndBothAreRefused() throws Exception {
    assertThat(RegistryCredentials.fromEnvironment(Map.of())).hasToString("none");
    assertThat(
            RegistryCredentials.fromEnvironment(Map.of("MESH_REGISTRY_USER_INFO", "ci:s3cret"))
                .userInfo())
        .isEqualTo("ci:s3cret");
    assertThat(
            RegistryCredentials.fromEnvironment(Map.of("MESH_REGISTRY_BEARER_TOKEN", "t0ken"))
                .bearerToken())
        .isEqualTo("t0ken");
    assertThatThrownBy(
            () ->
                RegistryCredentials.fromEnvironment(
                    Map.of(
                        "MESH_REGISTRY_USER_INFO", "ci:s3cret", "MESH_REGISTRY_BEARER_TOKEN", "t")))
        .isInstanceOf(MojoExecutionException.class)
        .hasMessageContaining("choose one")
        .hasMessageNotContaining("s3cret");
  }
}
