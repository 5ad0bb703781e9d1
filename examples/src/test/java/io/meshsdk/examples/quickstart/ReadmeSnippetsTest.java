package io.meshsdk.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every region marked {@code // README: name} ... {@code // README: end} in the examples appears in
 * the README, and every region marked {@code // docs/file.md: name} ... {@code // docs/file.md:
 * end} in that document, so their snippets are code that compiles and runs here.
 */
class ReadmeSnippetsTest {
  private static final Pattern REGION =
      Pattern.compile("// README: (?!end)[\\w-]+\\n(.*?)// README: end", Pattern.DOTALL);
  private static final Pattern DOC_REGION =
      Pattern.compile("// (docs/[\\w-]+\\.md): (?!end)[\\w-]+\\n(.*?)// \\1: end", Pattern.DOTALL);

  @Test
  void everyMarkedRegionIsQuotedInTheReadme() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String readme = normalize(Files.readString(root.resolve("README.md")));
    List<String> regions = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("examples/src"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = REGION.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).isBlank()) {
            regions.add(f.getFileName() + ": " + m.group(1));
          }
        }
      }
    }
    assertThat(regions).hasSizeGreaterThanOrEqualTo(6);
    for (String region : regions) {
      String code = region.substring(region.indexOf(": ") + 2);
      assertThat(readme).as("README quotes the region of %s", region).contains(normalize(code));
    }
  }

  @Test
  void everyMarkedRegionIsQuotedInItsDocument() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    int found = 0;
    try (Stream<Path> files = Files.walk(root.resolve("examples/src"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = DOC_REGION.matcher(Files.readString(f));
        while (m.find()) {
          String doc = normalize(Files.readString(root.resolve(m.group(1))));
          assertThat(doc)
              .as("%s quotes the region of %s", m.group(1), f.getFileName())
              .contains(normalize(m.group(2)));
          found++;
        }
      }
    }
    assertThat(found).isPositive();
  }

  /**
   * Compares code without comments (the README may explain a line), indentation and line breaks
   * inside statements.
   */
  private static String normalize(String text) {
    return text.replaceAll("(?m)(^|\\s)//[^\\n]*$", "")
        .replaceAll("\\s+", " ")
        .replaceAll(" ?([.()]) ?", "$1")
        .trim();
  }
}
