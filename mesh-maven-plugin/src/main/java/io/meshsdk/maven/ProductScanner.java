package io.meshsdk.maven;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.ProductContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Finds a project's products: the classes named in the configuration, or else every class in its
 * compiled classes annotated with {@code @DataProduct}. A class file is read as bytes first and
 * loaded only when it names the annotation, so scanning runs no static initialiser of other
 * classes.
 *
 * <p>Thread-safety: stateless.
 */
final class ProductScanner {
  private static final byte[] MARKER =
      ("L" + DataProduct.class.getName().replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);

  private ProductScanner() {}

  /**
   * The contracts of the products, ordered by product id and version.
   *
   * @param loader loads the project's classes
   * @param classes the project's compiled classes
   * @param named class names given in the configuration; empty to scan
   * @return the contracts
   * @throws MojoExecutionException for a named class that is missing or not a product, or an
   *     annotated class whose contract is invalid (with the contract's own message)
   */
  static List<ProductContract<?>> contracts(ClassLoader loader, Path classes, List<String> named)
      throws MojoExecutionException {
    boolean scanned = named.isEmpty();
    List<String> names = scanned ? scan(classes) : named;
    List<ProductContract<?>> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String name : names) {
      Class<?> type;
      try {
        type = Class.forName(name.trim(), false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        problems.add(name + ": cannot be loaded from the project's class path (" + e + ")");
        continue;
      }
      if (!type.isAnnotationPresent(DataProduct.class)) {
        if (!scanned) { // a scanned class may name the annotation without wearing it
          problems.add(name + ": not annotated with @DataProduct");
        }
        continue;
      }
      try {
        out.add(ProductContract.of(type));
      } catch (RuntimeException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new MojoExecutionException(
          "mesh: invalid products:\n  - " + String.join("\n  - ", problems));
    }
    out.sort(
        Comparator.comparing((ProductContract<?> c) -> c.id())
            .thenComparing(c -> c.version().toString()));
    return out;
  }

  private static List<String> scan(Path classes) throws MojoExecutionException {
    if (!Files.isDirectory(classes)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(ProductScanner::isClassFile)::iterator) {
        if (contains(Files.readAllBytes(f), MARKER)) {
          String relative = classes.relativize(f).toString().replace('\\', '/');
          names.add(relative.substring(0, relative.length() - ".class".length()).replace('/', '.'));
        }
      }
    } catch (IOException e) {
      throw new MojoExecutionException("mesh: cannot read the classes in " + classes + ": " + e, e);
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  private static boolean isClassFile(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".class")
        && !n.equals("module-info.class")
        && !n.equals("package-info.class");
  }

  private static boolean contains(byte[] data, byte[] marker) {
    outer:
    for (int i = 0; i <= data.length - marker.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (data[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
