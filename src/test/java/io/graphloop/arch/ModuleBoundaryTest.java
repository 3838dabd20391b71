package io.graphloop.arch;

import io.graphloop.client.GraphClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module descriptor (src/main/java/module-info.java) as compiled, read the way the module path reads it: it
 * exports exactly the API packages ({@link ApiPackages}), every package of the library is classified, nothing is
 * opened to everyone, the optional dependencies of the pom are {@code requires static}, and its services match the
 * class path's META-INF/services registrations. The tests run on the class path (see the pom's surefire
 * configuration); the modular consumer build (src/it/modular) proves the descriptor on a real module path.
 */
class ModuleBoundaryTest {

  private static ModuleDescriptor module;

  @BeforeAll
  static void readDescriptor() throws Exception {
    // target/classes, where the library's classes (and module-info.class) are
    Path classes = Path.of(GraphClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<ModuleReference> found = ModuleFinder.of(classes).findAll();
    assertEquals(1, found.size(), "one module in " + classes);
    module = found.iterator().next().descriptor();
  }

  @Test
  void theModuleIsIoGraphloopWithADescriptorOfItsOwn() {
    assertEquals("io.graphloop", module.name());
    assertFalse(module.isAutomatic(), "module-info.class is compiled");
    assertFalse(module.isOpen(), "an open module would open every package to everyone");
  }

  @Test
  void itExportsExactlyTheApiPackagesToEveryone() {
    Set<String> exported = new TreeSet<>();
    for (ModuleDescriptor.Exports export : module.exports()) {
      assertFalse(export.isQualified(), "a qualified export is not API: " + export);
      exported.add(export.source());
    }
    Set<String> notApi = new TreeSet<>(exported);
    notApi.removeAll(ApiPackages.API);
    assertTrue(notApi.isEmpty(), "exported but not API: " + notApi);
    Set<String> missing = new TreeSet<>(ApiPackages.API);
    missing.removeAll(exported);
    assertTrue(missing.isEmpty(), "API but not exported: " + missing);
  }

  @Test
  void everyPackageIsEitherApiOrNot() {
    Set<String> unclassified = module.packages().stream()
        .filter(pkg -> !ApiPackages.isApi(pkg) && !ApiPackages.isNotApi(pkg))
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(unclassified.isEmpty(), "packages neither API nor internal (put each in ApiPackages and, when API, "
        + "export it in module-info.java and list it in the README): " + unclassified);
    for (String api : ApiPackages.API) {
      assertTrue(module.packages().contains(api), "API package without classes: " + api);
    }
  }

  @Test
  void onlyInternalPackagesAreOpenedAndOnlyToTheirReaders() {
    // exported packages need no opens: Jackson calls only the public @JsonValue methods of their public types
    // the studio's resource packages (no classes) are opened to everyone: a class loader reads them for vertx-web
    Map<String, Set<String>> allowed = Map.of("io.graphloop.cli", Set.of("info.picocli"),
        "io.graphloop.examples", Set.of("com.fasterxml.jackson.databind"),
        "io.graphloop.studio.web", Set.of(), "io.graphloop.studio.web.vendor", Set.of());
    for (ModuleDescriptor.Opens opens : module.opens()) {
      assertEquals(allowed.get(opens.source()), opens.targets(), "opens " + opens);
      assertFalse(ApiPackages.isApi(opens.source()), "an API package needs no opens: " + opens);
    }
  }

  @Test
  void theServicesAreTheClassPathsRegistrations() throws Exception {
    assertEquals(Set.of("io.graphloop.cluster.GraphProvider", "io.graphloop.server.ServerExtension"), module.uses());
    Map<String, List<String>> provides = new TreeMap<>();
    module.provides().forEach(p -> provides.put(p.service(), p.providers()));
    // the library registers no graphs (an application's "seed" must not clash with the example graph "seed")
    assertEquals(Set.of("io.graphloop.server.ServerExtension"), provides.keySet());
    List<String> registered = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("src/main/resources/META-INF/services/"
        + "io.graphloop.server.ServerExtension"))) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        registered.add(line.strip());
      }
    }
    assertEquals(new TreeSet<>(registered), new TreeSet<>(provides.get("io.graphloop.server.ServerExtension")));
  }

  @Test
  void thePomsOptionalDependenciesAreRequiredStatic() throws Exception {
    Map<String, String> modules = new TreeMap<>(); // module name -> groupId:artifactId, optional ones only
    Set<String> requiredModules = new TreeSet<>();
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"))
        .getDocumentElement();
    Element dependencies = child(project, "dependencies");
    NodeList list = dependencies.getElementsByTagName("dependency");
    int optional = 0;
    for (int i = 0; i < list.getLength(); i++) {
      Element dependency = (Element) list.item(i);
      if (dependency.getParentNode() != dependencies) {
        continue;
      }
      String scope = text(dependency, "scope");
      if (scope != null && !scope.equals("compile")) {
        continue;
      }
      String coordinates = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
      String name = moduleOf(text(dependency, "groupId"), text(dependency, "artifactId"));
      if ("true".equals(text(dependency, "optional"))) {
        optional++;
        modules.put(name, coordinates);
      } else {
        requiredModules.add(name);
      }
    }
    assertTrue(optional >= 5, "optional dependencies found in pom.xml: " + modules);
    for (ModuleDescriptor.Requires requires : module.requires()) {
      boolean isStatic = requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
      if (modules.containsKey(requires.name())) {
        assertTrue(isStatic, "the optional " + modules.get(requires.name()) + " must be `requires static "
            + requires.name() + "`: an application without it could not start");
      }
      if (requiredModules.contains(requires.name())) {
        assertFalse(isStatic, "a required dependency is `requires static`: " + requires.name());
      }
    }
    // the optional ones the code links against are there (hazelcast, the store drivers, picocli)
    Set<String> statics = module.requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    for (String expected : List.of("io.vertx.clustermanager.hazelcast", "io.vertx.sql.client.pg",
        "org.xerial.sqlitejdbc", "info.picocli", "io.vertx.config")) {
      assertTrue(statics.contains(expected), "requires static " + expected + " in " + statics);
    }
  }

  /** The module name of the jar of {@code group:artifact} on the test class path. */
  private static String moduleOf(String group, String artifact) {
    String marker = File.separator + group.replace('.', File.separatorChar) + File.separator + artifact
        + File.separator;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains(marker) && entry.endsWith(".jar")) {
        return ModuleFinder.of(Path.of(entry)).findAll().iterator().next().descriptor().name();
      }
    }
    throw new AssertionError(group + ":" + artifact + " is not on the test class path");
  }

  private static Element child(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
  }

  private static String text(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element element && element.getTagName().equals(name)) {
        return element.getTextContent().strip();
      }
    }
    return null;
  }
}
