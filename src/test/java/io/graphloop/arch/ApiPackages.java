package io.graphloop.arch;

import java.util.List;

/**
 * The library's packages, each either API (exported by module-info.java, programmed against by applications, listed
 * in the README's "Use it in your Vert.x app") or not. One list for {@link ArchitectureTest} and
 * {@link ModuleBoundaryTest}: a new package fails the boundary test until it is put in one of the two.
 */
final class ApiPackages {

  /** Exported: what an application programs against. */
  static final List<String> API = List.of("io.graphloop.agents", "io.graphloop.cache", "io.graphloop.checkpoint",
      "io.graphloop.client", "io.graphloop.cluster", "io.graphloop.errors", "io.graphloop.func", "io.graphloop.graph",
      "io.graphloop.ops", "io.graphloop.run", "io.graphloop.runtime", "io.graphloop.server", "io.graphloop.state",
      "io.graphloop.store");

  /**
   * Not exported: the engine and bus plumbing, the wire types, the command line, the studio page (a
   * ServerExtension service) and the command line's example graphs. Prefixes end with a dot.
   */
  static final List<String> NOT_API = List.of("io.graphloop.internal.", "io.graphloop.protocol",
      "io.graphloop.cli", "io.graphloop.studio", "io.graphloop.studio.", "io.graphloop.examples");

  private ApiPackages() {
  }

  static boolean isApi(String pkg) {
    return API.contains(pkg);
  }

  static boolean isNotApi(String pkg) {
    for (String name : NOT_API) {
      if (name.endsWith(".") ? pkg.startsWith(name) : pkg.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
