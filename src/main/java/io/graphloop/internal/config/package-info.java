/**
 * Configuration files (internal, not API): {@code ConfigFiles} reads the command line's JSON or YAML file through
 * vertx-config. Each class states its thread rules.
 */
package io.graphloop.internal.config;
