package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM users import and the user {@code pom.xml} in docs/setup.md name the versions this build
 * compiles and tests with: a version bumped in the build and not in them fails here.
 */
class BomAlignmentTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theBomManagesTheBuildsVersions() throws Exception {
    Document build = parse(Files.readAllBytes(ROOT.resolve("pom.xml")));
    Document bom = parse(Files.readAllBytes(ROOT.resolve("mesh-sdk-bom/pom.xml")));

    assertThat(child(bom.getDocumentElement(), "version"))
        .isEqualTo(child(build.getDocumentElement(), "version"));
    assertThat(child(bom.getDocumentElement(), "parent"))
        .as("no parent: imports bring nothing else")
        .isNull();
    for (String property : List.of("kafka.version", "avro.version", "jackson.version")) {
      assertThat(property(bom, property)).as(property).isEqualTo(property(build, property));
    }
    assertThat(managed(bom))
        .containsExactlyInAnyOrder(
            "io.meshsdk:mesh-sdk:${project.version}",
            "io.meshsdk:mesh-sdk-testkit:${project.version}",
            "io.meshsdk:mesh-sdk-testkit-broker:${project.version}",
            "io.meshsdk:mesh-sdk-testkit-memory:${project.version}",
            "io.meshsdk:mesh-spring-boot-starter:${project.version}",
            "io.meshsdk:mesh-streams:${project.version}",
            "io.meshsdk:mesh-connect:${project.version}",
            "org.apache.kafka:kafka-clients:${kafka.version}",
            "org.apache.avro:avro:${avro.version}",
            "com.fasterxml.jackson:jackson-bom:${jackson.version}:import");
  }

  @Test
  void theUserPomInTheDocsMatchesTheBuild() throws Exception {
    Document build = parse(Files.readAllBytes(ROOT.resolve("pom.xml")));
    String guide = Files.readString(ROOT.resolve("docs/setup.md"));
    Matcher xml = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(guide);
    assertThat(xml.find()).as("docs/setup.md has a pom.xml").isTrue();
    Document user = parse(xml.group(1).getBytes(StandardCharsets.UTF_8));

    assertThat(property(user, "mesh-sdk.version"))
        .isEqualTo(child(build.getDocumentElement(), "version"));
    assertThat(managed(user))
        .contains(
            "io.meshsdk:mesh-sdk-bom:${mesh-sdk.version}:import",
            "org.junit:junit-bom:" + property(build, "junit.version") + ":import");
    List<String> dependencies = dependencies(user);
    assertThat(dependencies)
        .contains(
            "io.meshsdk:mesh-sdk",
            "org.slf4j:slf4j-simple:" + property(build, "slf4j.version"),
            "io.meshsdk:mesh-sdk-testkit::test",
            "org.junit.jupiter:junit-jupiter::test");
    String surefire = pluginVersion(build, "maven-surefire-plugin");
    assertThat(surefire).startsWith("3.");
    assertThat(pluginVersion(user, "maven-surefire-plugin")).isEqualTo(surefire);
    assertThat(pluginVersion(user, "maven-failsafe-plugin"))
        .isEqualTo(pluginVersion(build, "maven-failsafe-plugin"));
    assertThat(pluginVersion(user, "maven-compiler-plugin"))
        .isEqualTo(pluginVersion(build, "maven-compiler-plugin"));
  }

  private static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }

  private static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }

  private static Element element(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static String property(Document pom, String name) {
    return child(element(pom.getDocumentElement(), "properties"), name);
  }

  private static String coordinates(Element dependency) {
    String id = child(dependency, "groupId") + ":" + child(dependency, "artifactId");
    String version = child(dependency, "version");
    String scope = child(dependency, "scope");
    return id
        + (version != null || scope != null ? ":" + (version == null ? "" : version) : "")
        + (scope != null ? ":" + scope : "");
  }

  private static List<String> managed(Document pom) {
    Element management = element(pom.getDocumentElement(), "dependencyManagement");
    return list(element(management, "dependencies"));
  }

  private static List<String> dependencies(Document pom) {
    return list(element(pom.getDocumentElement(), "dependencies"));
  }

  private static List<String> list(Element dependencies) {
    List<String> all = new ArrayList<>();
    NodeList nodes = dependencies.getElementsByTagName("dependency");
    for (int i = 0; i < nodes.getLength(); i++) {
      all.add(coordinates((Element) nodes.item(i)));
    }
    return all;
  }

  private static String pluginVersion(Document pom, String artifactId) {
    NodeList plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (artifactId.equals(child(plugin, "artifactId")) && child(plugin, "version") != null) {
        return child(plugin, "version");
      }
    }
    return null;
  }
}
