package io.meshsdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Maven plugin's interface is what users write in their POMs and on the command line: goals,
 * their default phases, and parameters with their types, user properties and defaults. It is read
 * from the plugin descriptor the build made and compared with {@code api/mesh-maven-plugin.goals},
 * like {@link PublicApiTest} compares the libraries' Java API: a renamed parameter or property
 * breaks users' builds and must be a reviewed change of that file ({@code mvn -B verify
 * -Dmesh.api.update=true}).
 */
class MavenPluginDescriptorTest {
  private static final String MODULE = "mesh-maven-plugin";

  @Test
  void theGoalsAndParametersAreWhatTheCommittedDescriptionSays() throws Exception {
    String actual = describe(PublishedModules.jar(MODULE));
    Path file = PublishedModules.ROOT.resolve("api").resolve(MODULE + ".goals");
    if (Boolean.getBoolean(PublicApiTest.UPDATE)) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file).as("run mvn -B verify -D%s=true and commit it", PublicApiTest.UPDATE).exists();
    assertThat(actual)
        .as(
            "the goals of %s differ from %s; if the change is meant, run mvn -B verify -D%s=true"
                + " and commit the file with it",
            MODULE, file.getFileName(), PublicApiTest.UPDATE)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** One line per goal, then one per editable parameter, sorted as the descriptor lists them. */
  private static String describe(Path jar) throws Exception {
    Element plugin;
    try (ZipFile zip = new ZipFile(jar.toFile());
        InputStream in = zip.getInputStream(zip.getEntry("META-INF/maven/plugin.xml"))) {
      plugin =
          DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
    }
    StringBuilder out = new StringBuilder();
    out.append("goalPrefix ").append(text(plugin, "goalPrefix")).append('\n');
    for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
      out.append('\n')
          .append("goal ")
          .append(text(mojo, "goal"))
          .append("  phase: ")
          .append(text(mojo, "phase").isEmpty() ? "(none)" : text(mojo, "phase"))
          .append("  resolves: ")
          .append(text(mojo, "requiresDependencyResolution"))
          .append('\n');
      Element configuration = child(mojo, "configuration");
      for (Element p : children(child(mojo, "parameters"), "parameter")) {
        if (!text(p, "editable").equals("true")) {
          continue;
        }
        String name = text(p, "name");
        Element c = child(configuration, name);
        out.append("  ")
            .append(name)
            .append(": ")
            .append(text(p, "type"))
            .append(text(p, "required").equals("true") ? " required" : "")
            .append(c.getTextContent().isBlank() ? "" : "  property " + c.getTextContent())
            .append(
                c.hasAttribute("default-value")
                    ? "  default " + c.getAttribute("default-value")
                    : "")
            .append('\n');
      }
    }
    return out.toString();
  }

  private static Element child(Element parent, String name) {
    for (Element e : children(parent, name)) {
      return e;
    }
    throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
  }
}
