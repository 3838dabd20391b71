package io.graphloop.cluster;

import io.graphloop.it.TestCertificates;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EventBusTls}: complete options turn TLS with required client certificates on, and every configuration
 * mistake is refused before the event bus starts, with a message that names the field, the file and what would be
 * right. Certificates are made at test time by the JDK's keytool ({@link TestCertificates}).
 */
class EventBusTlsTest {

  private static TestCertificates certs;
  private static Path memberStore;
  private static Path[] memberPem;

  @BeforeAll
  static void certificates() throws Exception {
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/tls-unit-" + UUID.randomUUID());
    certs = TestCertificates.create(dir);
    memberStore = certs.member("member");
    memberPem = certs.pem(memberStore, "member");
  }

  private static EventBusTls stores() {
    return new EventBusTls().setKeyStore(memberStore.toString(), certs.password())
        .setTrustStore(certs.file("trust.p12").toString(), certs.password());
  }

  private static String refused(EventBusTls tls) {
    return assertThrows(IllegalArgumentException.class, () -> tls.applyTo(new EventBusOptions())).getMessage();
  }

  @Test
  void keyAndTrustStoresTurnOnTlsWithRequiredClientCertificates() {
    EventBusOptions bus = stores().setHandshakeTimeoutMs(2_500).applyTo(new EventBusOptions());
    assertTrue(bus.isSsl());
    assertEquals(ClientAuth.REQUIRED, bus.getClientAuth());
    assertEquals(false, bus.isTrustAll());
    assertEquals(memberStore.toString(), assertInstanceOf(PfxOptions.class, bus.getKeyCertOptions()).getPath());
    assertEquals(certs.file("trust.p12").toString(),
        assertInstanceOf(PfxOptions.class, bus.getTrustOptions()).getPath());
    assertEquals(2_500, bus.getSslHandshakeTimeout());
  }

  @Test
  void pemFilesWorkToo() {
    EventBusOptions bus = new EventBusTls().setKeyPem(memberPem[0].toString(), memberPem[1].toString())
        .setTrustPem(certs.file("ca.pem").toString()).applyTo(new EventBusOptions());
    assertEquals(memberPem[1].toString(),
        assertInstanceOf(PemKeyCertOptions.class, bus.getKeyCertOptions()).getKeyPath());
    assertEquals(certs.file("ca.pem").toString(),
        assertInstanceOf(PemTrustOptions.class, bus.getTrustOptions()).getCertPaths().get(0));
  }

  @Test
  void theJsonFormRoundTrips() {
    EventBusTls tls = new EventBusTls(stores().setHandshakeTimeoutMs(777).toJson());
    assertEquals(stores().setHandshakeTimeoutMs(777).toJson(), tls.toJson());
    assertEquals(777, tls.getHandshakeTimeoutMs());
    assertTrue(new EventBusTls(tls).applyTo(new EventBusOptions()).isSsl());
  }

  @Test
  void aMissingKeyStoreFileIsNamed() {
    String message = refused(stores().setKeyStore("no/such/member.p12", certs.password()));
    assertTrue(message.contains("'keyStore'") && message.contains("member.p12") && message.contains("not a file")
        && message.contains("relative to the working directory"), message);
  }

  @Test
  void aWrongKeyStorePasswordIsSaidToBeWrong() {
    String message = refused(stores().setKeyStore(memberStore.toString(), "not-the-password"));
    assertTrue(message.contains("'keyStorePassword'") && message.contains("password is wrong"), message);
  }

  @Test
  void aWrongTrustStorePasswordIsSaidToBeWrong() {
    String message = refused(stores().setTrustStore(certs.file("trust.p12").toString(), "nope"));
    assertTrue(message.contains("'trustStorePassword'") && message.contains("password is wrong"), message);
  }

  @Test
  void aMissingPasswordIsNamed() {
    String message = refused(stores().setKeyStore(memberStore.toString(), null));
    assertTrue(message.contains("'keyStorePassword'") && message.contains("missing"), message);
  }

  @Test
  void aFileThatIsNotAKeyStoreSaysWhatWouldBeRight() throws Exception {
    Path garbage = certs.file("garbage.p12");
    Files.writeString(garbage, "this is not a key store");
    String message = refused(stores().setKeyStore(garbage.toString(), certs.password()));
    assertTrue(message.contains("not a PKCS12 key store") && message.contains("keyStoreType")
        && message.contains("PEM"), message);
  }

  @Test
  void aKeyStoreWithoutAPrivateKeyIsRefused() {
    // the trust store holds only the CA's certificate: usable to trust, not to prove who this member is
    String message = refused(stores().setKeyStore(certs.file("trust.p12").toString(), certs.password()));
    assertTrue(message.contains("no private key") && message.contains("this member's certificate"), message);
  }

  @Test
  void noTrustStoreAtAllIsRefused() {
    String message = refused(new EventBusTls().setKeyStore(memberStore.toString(), certs.password()));
    assertTrue(message.contains("trustStore") && message.contains("trustCert") && message.contains("cluster's CA"),
        message);
  }

  @Test
  void aMissingTrustStoreFileIsNamed() {
    String message = refused(stores().setTrustStore("gone/trust.p12", certs.password()));
    assertTrue(message.contains("'trustStore'") && message.contains("trust.p12") && message.contains("not a file"),
        message);
  }

  @Test
  void bothOrNeitherKeySourceIsRefused() {
    String neither = refused(new EventBusTls().setTrustPem(certs.file("ca.pem").toString()));
    assertTrue(neither.contains("either keyStore") && neither.contains("keyCert and key"), neither);
    String both = refused(stores().setKeyPem(memberPem[0].toString(), memberPem[1].toString()));
    assertTrue(both.contains("not both"), both);
    String half = refused(new EventBusTls().setKeyPem(memberPem[0].toString(), null)
        .setTrustPem(certs.file("ca.pem").toString()));
    assertTrue(half.contains("keyCert but not key"), half);
  }

  @Test
  void aPemFileOfTheWrongKindIsRefused() {
    // the certificate given where the private key belongs
    String message = refused(new EventBusTls().setKeyPem(memberPem[0].toString(), memberPem[0].toString())
        .setTrustPem(certs.file("ca.pem").toString()));
    assertTrue(message.contains("'key'") && message.contains("PRIVATE KEY") && message.contains("private key"),
        message);
    String trust = refused(new EventBusTls().setKeyPem(memberPem[0].toString(), memberPem[1].toString())
        .setTrustPem(memberPem[1].toString()));
    assertTrue(trust.contains("'trustCert'") && trust.contains("CERTIFICATE"), trust);
  }

  @Test
  void badJsonIsRefusedNamingTheField() {
    String unknown = assertThrows(IllegalArgumentException.class,
        () -> new EventBusTls(new JsonObject().put("keystore", "x"))).getMessage();
    assertTrue(unknown.contains("'keystore'") && unknown.contains("keyStore"), unknown);
    String type = assertThrows(IllegalArgumentException.class,
        () -> new EventBusTls(new JsonObject().put("keyStoreType", "PEM"))).getMessage();
    assertTrue(type.contains("PKCS12 or JKS"), type);
    String timeout = assertThrows(IllegalArgumentException.class,
        () -> new EventBusTls(new JsonObject().put("handshakeTimeoutMs", 0))).getMessage();
    assertTrue(timeout.contains("handshakeTimeoutMs"), timeout);
  }

  @Test
  void clusterOptionsCarryTheTlsOptionsThroughJson() {
    ClusterOptions options = new ClusterOptions().setEventBusTls(stores());
    ClusterOptions copy = new ClusterOptions(options.toJson());
    assertEquals(stores().toJson(), copy.getEventBusTls().toJson());
    assertTrue(copy.vertxOptions().getEventBusOptions().isSsl());
    assertEquals(false, new ClusterOptions().vertxOptions().getEventBusOptions().isSsl());
  }
}
