package io.graphloop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code graphloop config}: prints the configuration the other commands would use (the file, overridden by
 * environment variables and system properties; see {@link CliConfig}) as one JSON line, or with {@code --keys} each
 * key with its environment variable and system property.
 *
 * <p>Runs on the CLI's main thread.
 */
@Command(name = "config", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the effective configuration: conf/graphloop.json, .yaml or .yml (or --conf FILE), overridden by "
        + "GRAPHLOOP_* environment variables, overridden by -Dgraphloop.* system properties.",
        "Exit status: 0 done, 2 bad configuration."})
final class ConfigCommand implements Callable<Integer> {

  @Option(names = "--conf", paramLabel = "FILE",
      description = "the configuration file, JSON or YAML (*.yaml, *.yml); default: conf/graphloop.json, .yaml or .yml when one exists")
  Path conf;

  @Option(names = "--keys", description = "list the keys, their environment variables and system properties")
  boolean keys;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (keys) {
      for (String key : CliConfig.keys()) {
        out.println(key + " " + CliConfig.envName(key) + " -D" + CliConfig.propertyName(key));
      }
      return Cli.OK;
    }
    try {
      io.vertx.core.json.JsonObject config = CliConfig.load(conf);
      out.println(new io.vertx.core.json.JsonObject().put("runtime", CliConfig.runtimeOptions(config, conf).toJson())
          .put("ops", CliConfig.opsOptions(config, conf).toJson()).encode());
      return Cli.OK;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return Cli.USAGE;
    }
  }
}
