package io.meshsdk.examples.setup;

import io.meshsdk.Mesh;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A mesh whose settings come from a properties file and whose meters and tracing come from code.
 */
public final class MeshFromFile {
  private MeshFromFile() {}

  /**
   * Builds the mesh.
   *
   * @param path the properties file
   * @param meterRegistry the application's meter registry
   * @param openTelemetry the application's OpenTelemetry
   * @return the mesh; the caller closes it
   * @throws IOException if the file cannot be read
   * @throws io.meshsdk.errors.MeshConfigurationException naming every problem of the file
   */
  public static Mesh open(Path path, MeterRegistry meterRegistry, OpenTelemetry openTelemetry)
      throws IOException {
    // docs/setup.md: from-properties
    Properties file = new Properties();
    try (Reader in = Files.newBufferedReader(path)) {
      file.load(in);
    }
    Map<String, String> settings = new HashMap<>();
    for (String key : file.stringPropertyNames()) {
      settings.put(key, file.getProperty(key));
    }
    String password = System.getenv("REGISTRY_PASSWORD"); // secrets from the environment
    if (password != null) {
      settings.put("basic.auth.user.info", "checkout:" + password);
    }
    Mesh mesh =
        Mesh.builder()
            .properties(settings)
            .meterRegistry(meterRegistry) // objects cannot come from a file
            .openTelemetry(openTelemetry)
            .build();
    // docs/setup.md: end
    return mesh;
  }
}
