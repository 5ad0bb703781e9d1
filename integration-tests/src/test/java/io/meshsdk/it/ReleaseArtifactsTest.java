package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What a release to Maven Central needs, checked on the jars this build made (the published modules
 * are packaged before the integration tests run): sources and Javadoc jars, the licence and notice
 * inside, no internal package in the Javadoc, one timestamp on every entry (reproducible builds),
 * complete POM metadata, and the modules that are not published kept out.
 */
class ReleaseArtifactsTest {
  private static final Path ROOT = PublishedModules.ROOT;

  @ParameterizedTest
  @MethodSource("io.meshsdk.it.PublishedModules#names")
  void aPublishedModuleHasSourcesJavadocAndItsLicence(String module) throws IOException {
    Path jar = PublishedModules.jar(module);
    Path sources = PublishedModules.jar(module, "sources");
    Path javadoc = PublishedModules.jar(module, "javadoc");
    assertThat(List.of(jar, sources, javadoc))
        .as("the build packages %s before the integration tests", module)
        .allMatch(Files::isRegularFile);

    List<String> classes = names(jar);
    assertThat(classes).contains("META-INF/LICENSE", "META-INF/NOTICE");
    assertThat(names(sources)).anyMatch(n -> n.endsWith(".java"));
    assertThat(names(javadoc)).contains("index.html").noneMatch(n -> n.contains("/internal/"));
    for (Path p : List.of(jar, sources, javadoc)) {
      assertThat(times(p))
          .as("entry times of %s (reproducible builds)", p.getFileName())
          .hasSize(1);
    }
  }

  @Test
  void thePomsCarryWhatCentralRequires() throws Exception {
    for (Path pom : List.of(ROOT.resolve("pom.xml"), ROOT.resolve("mesh-sdk-bom/pom.xml"))) {
      Element project = parse(pom).getDocumentElement();
      for (String required :
          List.of("name", "description", "url", "licenses", "developers", "scm")) {
        assertThat(project.getElementsByTagName(required).getLength())
            .as("%s has <%s>", pom, required)
            .isPositive();
      }
      assertThat(project.getElementsByTagName("license").item(0).getTextContent())
          .contains("Apache-2.0");
    }
    assertThat(
            parse(ROOT.resolve("pom.xml"))
                .getElementsByTagName("project.build.outputTimestamp")
                .getLength())
        .as("reproducible builds need a fixed output timestamp")
        .isOne();
    assertThat(Files.readString(ROOT.resolve("LICENSE")))
        .contains("Apache License")
        .contains("Version 2.0, January 2004");
    assertThat(ROOT.resolve("NOTICE")).isRegularFile();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "integration-tests",
        "examples",
        "examples/spring-boot",
        "benchmarks",
        "tools/test-registry"
      })
  void aModuleThatIsNotPublishedSkipsDeploy(String module) throws Exception {
    Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
    assertThat(pom.getElementsByTagName("maven.deploy.skip").item(0).getTextContent())
        .isEqualTo("true");
  }

  private static List<String> names(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream().map(JarEntry::getName).forEach(names::add);
    }
    return names;
  }

  private static Set<Long> times(Path jar) throws IOException {
    Set<Long> times = new HashSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream().forEach(e -> times.add(e.getTime()));
    }
    return times;
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }
}
