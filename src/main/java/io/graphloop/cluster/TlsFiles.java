package io.graphloop.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

/**
 * Checks the files of {@link EventBusTls} before Vert.x reads them, so that a mistake is reported as what it is
 * (which field, which file, what is wrong with it, what would be right) instead of as a TLS handshake failure or a
 * stack trace from deep in the event bus's start: a missing or unreadable file, a key store whose password is wrong
 * or that is not of the named type, a key store without a private key, a trust store without certificates, a PEM
 * file without the block it needs.
 *
 * <p>Stateless; blocking file I/O: call it from a plain thread, never an event loop.
 */
final class TlsFiles {

  private static final String WHERE = "event-bus TLS options";

  private TlsFiles() {
  }

  /** The path of {@code field}, which must name a readable regular file. */
  static Path readable(String field, String path) {
    if (path.isBlank()) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + " must not be blank.");
    }
    Path file = Path.of(path);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + " names " + file.toAbsolutePath()
          + ", which is not a file (paths are relative to the working directory).");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + " names " + file.toAbsolutePath()
          + ", which this process may not read: give the member's user read permission on it.");
    }
    return file;
  }

  /**
   * Opens key store {@code field} of {@code type} with {@code password} and checks that it holds a private key (a key
   * store) or at least one certificate (a trust store).
   */
  static void checkStore(String field, String path, String type, String password, boolean needsPrivateKey) {
    Path file = readable(field, path);
    if (password == null) {
      throw new IllegalArgumentException("Field '" + field + "Password' of " + WHERE + " is missing: " + field + " "
          + file + " needs the password it was written with.");
    }
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + " names " + file.toAbsolutePath()
          + ", which this process may not read.", e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IllegalArgumentException("Field '" + field + "Password' of " + WHERE + " does not open " + field
            + " " + file + ": the password is wrong.", e);
      }
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + " names " + file + ", which is not a "
          + type + " key store (" + e.getMessage() + "); set " + field + "Type to the store's type (PKCS12 or JKS), "
          + "or use PEM files.", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + ": cannot read " + file + " as a "
          + type + " key store: " + e.getMessage(), e);
    }
    try {
      boolean found = false;
      for (String alias : Collections.list(store.aliases())) {
        found |= needsPrivateKey ? store.isKeyEntry(alias) : store.getCertificate(alias) != null;
      }
      if (!found) {
        throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + " names " + file + ", which holds "
            + (needsPrivateKey ? "no private key: it must hold this member's certificate and its private key."
                : "no certificate: it must hold the certificates this member trusts (the cluster's CA)."));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + ": cannot list " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** Checks that PEM file {@code field} is readable and holds a block whose type ends with {@code blockType}. */
  static void checkPem(String field, String path, String blockType, String what) {
    Path file = readable(field, path);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + ": cannot read " + file + " ("
          + e.getMessage() + "); it must be a PEM file holding " + what + ".", e);
    }
    if (!text.matches("(?s).*-----BEGIN ([A-Z0-9 ]+ )?" + blockType + "-----.*")) {
      throw new IllegalArgumentException("Field '" + field + "' of " + WHERE + " names " + file + ", which holds no "
          + "'-----BEGIN ..." + blockType + "-----' block; it must be a PEM file holding " + what + ".");
    }
  }
}
