package io.meshsdk.contract;

import io.meshsdk.errors.MeshConfigurationException;
import java.util.Objects;

/**
 * A product's semantic version {@code major.minor}. The major names the topic; the minor counts
 * compatible changes inside it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param major the major version, at least 1
 * @param minor the minor version, at least 0
 */
public record ProductVersion(int major, int minor) implements Comparable<ProductVersion> {

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if {@code major < 1} or {@code minor < 0}
   */
  public ProductVersion {
    if (major < 1 || minor < 0) {
      throw new IllegalArgumentException(
          "a product version needs major >= 1 and minor >= 0, got " + major + "." + minor);
    }
  }

  /**
   * Parses {@code "major.minor"}, for example {@code "2.1"}.
   *
   * @param text the version text
   * @return the version
   * @throws MeshConfigurationException if the text is not {@code major.minor} with {@code major >=
   *     1}
   */
  public static ProductVersion parse(String text) {
    Objects.requireNonNull(text, "text");
    int dot = text.indexOf('.');
    if (dot > 0 && dot < text.length() - 1 && text.indexOf('.', dot + 1) < 0) {
      try {
        int major = Integer.parseInt(text.substring(0, dot));
        int minor = Integer.parseInt(text.substring(dot + 1));
        if (major >= 1 && minor >= 0 && Character.isDigit(text.charAt(0))) {
          return new ProductVersion(major, minor);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new MeshConfigurationException(
        "version '" + text + "' is not 'major.minor' with major >= 1 (for example '2.1')");
  }

  @Override
  public int compareTo(ProductVersion other) {
    int c = Integer.compare(major, other.major);
    return c != 0 ? c : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
