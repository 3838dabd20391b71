package io.graphloop.cli;

import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads Graphloop's JSON configuration file ({@code conf/graphloop.json}): its {@code runtime} object
 * holds {@link GraphRuntimeOptions}.
 *
 * <p>Stateless; does blocking file I/O, so call it from a plain thread (the CLI's main thread).
 */
final class ConfigFile {

  private ConfigFile() {
  }

  /**
   * @throws IllegalArgumentException saying which file and what is wrong with it
   */
  static GraphRuntimeOptions runtimeOptions(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("Configuration file " + file + " is not a JSON object: " + e.getMessage(), e);
    }
    Object runtime = json.getValue("runtime");
    if (runtime != null && !(runtime instanceof JsonObject)) {
      throw new IllegalArgumentException("Field 'runtime' of " + file + " must be a JSON object of runtime options.");
    }
    try {
      return new GraphRuntimeOptions(runtime == null ? new JsonObject() : (JsonObject) runtime);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("Bad runtime options in " + file + ": " + e.getMessage(), e);
    }
  }
}
