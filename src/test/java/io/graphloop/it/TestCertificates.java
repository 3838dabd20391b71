package io.graphloop.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates for the event-bus TLS tests, made at test time with the JDK's {@code keytool} in a
 * directory under {@code target/} (never committed): a cluster CA, member certificates it signs (for 127.0.0.1,
 * usable as TLS server and client), and self-signed "rogue" certificates no member trusts. Every store gets a random
 * password of its own. Also writes a certificate's key and chain as PEM files (with the JDK's KeyStore API).
 *
 * <p>Used from the JUnit thread; runs {@code keytool} processes and waits for them (bounded).
 */
public final class TestCertificates {

  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final Path dir;
  private final String password = UUID.randomUUID().toString();

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A new CA in {@code dir} ({@code ca.p12}, and its certificate as {@code ca.pem} and trust store {@code trust.p12}). */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestCertificates certs = new TestCertificates(dir);
    certs.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=graphloop-test-ca", "-ext", "bc:c", "-keystore", "ca.p12");
    certs.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
    certs.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
    return certs;
  }

  /** The password of every store made here. */
  public String password() {
    return password;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  /** A member key store {@code <name>.p12} whose certificate (for 127.0.0.1) the CA signed, with the CA in its chain. */
  public Path member(String name) throws IOException, InterruptedException {
    String store = name + ".p12";
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=" + name, "-keystore", store);
    keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
    keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr", "-outfile", name + ".crt",
        "-validity", "2", "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth,clientAuth");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
    keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store);
    return file(store);
  }

  /** A self-signed key store {@code <name>.p12} (for 127.0.0.1) that no member trusts. */
  public Path rogue(String name) throws IOException, InterruptedException {
    String store = name + ".p12";
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=" + name, "-ext", "san=ip:127.0.0.1", "-keystore", store);
    return file(store);
  }

  /** Writes {@code alias}'s private key (PKCS8) and certificate chain of key store {@code store} as PEM files. */
  public Path[] pem(Path store, String alias) throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password.toCharArray());
    }
    Key key = keys.getKey(alias, password.toCharArray());
    Path keyFile = file(alias + "-key.pem");
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    List<String> chain = new ArrayList<>();
    for (Certificate certificate : keys.getCertificateChain(alias)) {
      chain.add(pem("CERTIFICATE", certificate.getEncoded()));
    }
    Path certFile = file(alias + "-cert.pem");
    Files.writeString(certFile, String.join("", chain));
    return new Path[] {certFile, keyFile};
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
    if (List.of(args).contains("-genkeypair")) {
      command.addAll(List.of("-keypass", password));
    }
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", args) + " failed: "
          + new String(output, StandardCharsets.UTF_8));
    }
  }
}
