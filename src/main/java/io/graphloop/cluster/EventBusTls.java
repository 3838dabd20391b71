package io.graphloop.cluster;

import io.graphloop.state.JsonFields;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * TLS with client authentication on the clustered event bus, between members: every connection a member opens to
 * another, and every one it accepts, is TLS, and both ends must present a certificate the other trusts
 * ({@link ClientAuth#REQUIRED}). A JVM without a trusted certificate can neither deliver messages to the members nor
 * receive theirs: its connections fail in the TLS handshake.
 *
 * <p>This member's certificate and key come from a key store ({@code keyStore}: PKCS12 by default, or JKS with
 * {@code keyStoreType}) or from PEM files ({@code keyCert} and {@code key}); the certificates it trusts (usually the
 * cluster's own CA) from a trust store ({@code trustStore}) or a PEM file ({@code trustCert}). Paths are relative to
 * the working directory. JSON form (e.g. {@code conf/bus-tls.json}, read by {@code member --bus-tls FILE}):
 *
 * <pre>{@code
 * {"keyStore": "conf/member.p12", "keyStorePassword": "...", "trustStore": "conf/cluster-ca.p12",
 *  "trustStorePassword": "...", "handshakeTimeoutMs": 10000}
 * }</pre>
 *
 * <p>What this protects and what it does not (Hazelcast's own membership traffic is not covered) is in the README,
 * "Securing a cluster". A data object ({@code DEFAULT_*}, copy constructor, JSON constructor, {@link #toJson()}; the
 * JSON holds the passwords, so keep such files readable by the member's user only). Mutable while being built; not
 * thread-safe. {@link #applyTo} checks that the files exist (blocking file I/O): call it from a plain thread.
 */
public final class EventBusTls {

  public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
  public static final String DEFAULT_KEY_STORE_TYPE = "PKCS12";
  private static final Set<String> STORE_TYPES = Set.of("PKCS12", "JKS");
  private static final Set<String> FIELDS = Set.of("keyStore", "keyStorePassword", "keyStoreType", "keyCert", "key",
      "trustStore", "trustStorePassword", "trustStoreType", "trustCert", "handshakeTimeoutMs");
  private static final String WHERE = "event-bus TLS options";

  private String keyStore;
  private String keyStorePassword;
  private String keyStoreType = DEFAULT_KEY_STORE_TYPE;
  private String keyCert;
  private String key;
  private String trustStore;
  private String trustStorePassword;
  private String trustStoreType = DEFAULT_KEY_STORE_TYPE;
  private String trustCert;
  private long handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;

  public EventBusTls() {
  }

  public EventBusTls(EventBusTls other) {
    this(other.toJson());
  }

  /**
   * Reads options from JSON; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException naming an unknown field or the field whose value is wrong
   */
  public EventBusTls(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("Unknown field '" + field + "' in " + WHERE + "; the fields are "
            + new java.util.TreeSet<>(FIELDS) + ".");
      }
    }
    keyStore = JsonFields.optionalString(json, "keyStore", WHERE);
    keyStorePassword = JsonFields.optionalString(json, "keyStorePassword", WHERE);
    String type = JsonFields.optionalString(json, "keyStoreType", WHERE);
    if (type != null) {
      setKeyStoreType(type);
    }
    keyCert = JsonFields.optionalString(json, "keyCert", WHERE);
    key = JsonFields.optionalString(json, "key", WHERE);
    trustStore = JsonFields.optionalString(json, "trustStore", WHERE);
    trustStorePassword = JsonFields.optionalString(json, "trustStorePassword", WHERE);
    type = JsonFields.optionalString(json, "trustStoreType", WHERE);
    if (type != null) {
      setTrustStoreType(type);
    }
    trustCert = JsonFields.optionalString(json, "trustCert", WHERE);
    setHandshakeTimeoutMs(JsonFields.optionalLong(json, "handshakeTimeoutMs", DEFAULT_HANDSHAKE_TIMEOUT_MS, WHERE));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("keyStoreType", keyStoreType).put("trustStoreType", trustStoreType)
        .put("handshakeTimeoutMs", handshakeTimeoutMs);
    putIfSet(json, "keyStore", keyStore);
    putIfSet(json, "keyStorePassword", keyStorePassword);
    putIfSet(json, "keyCert", keyCert);
    putIfSet(json, "key", key);
    putIfSet(json, "trustStore", trustStore);
    putIfSet(json, "trustStorePassword", trustStorePassword);
    putIfSet(json, "trustCert", trustCert);
    return json;
  }

  /** This member's certificate and key, in a PKCS12 (or JKS) key store. */
  public EventBusTls setKeyStore(String path, String password) {
    this.keyStore = path;
    this.keyStorePassword = password;
    return this;
  }

  /** {@code PKCS12} (the default) or {@code JKS}. */
  public EventBusTls setKeyStoreType(String type) {
    this.keyStoreType = storeType("keyStoreType", type);
    return this;
  }

  /** This member's certificate chain and private key (PKCS8 or PKCS1), as PEM files. */
  public EventBusTls setKeyPem(String certPath, String keyPath) {
    this.keyCert = certPath;
    this.key = keyPath;
    return this;
  }

  /** The certificates this member trusts (the cluster's CA), in a PKCS12 (or JKS) trust store. */
  public EventBusTls setTrustStore(String path, String password) {
    this.trustStore = path;
    this.trustStorePassword = password;
    return this;
  }

  /** {@code PKCS12} (the default) or {@code JKS}. */
  public EventBusTls setTrustStoreType(String type) {
    this.trustStoreType = storeType("trustStoreType", type);
    return this;
  }

  /** The certificates this member trusts (the cluster's CA), as a PEM file. */
  public EventBusTls setTrustPem(String certPath) {
    this.trustCert = certPath;
    return this;
  }

  public long getHandshakeTimeoutMs() {
    return handshakeTimeoutMs;
  }

  /** How long a TLS handshake may take before the connection is dropped (a peer that never answers). */
  public EventBusTls setHandshakeTimeoutMs(long handshakeTimeoutMs) {
    if (handshakeTimeoutMs < 1) {
      throw new IllegalArgumentException("handshakeTimeoutMs must be at least 1, was " + handshakeTimeoutMs);
    }
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    return this;
  }

  /**
   * Turns TLS with required client certificates on in {@code bus}.
   *
   * @throws IllegalArgumentException when the options are incomplete or ambiguous, or a file is missing, unreadable,
   *     of the wrong kind or opened with the wrong password ({@link TlsFiles}), saying which and what would be right
   */
  public EventBusOptions applyTo(EventBusOptions bus) {
    return bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false)
        .setKeyCertOptions(keyCertOptions()).setTrustOptions(trustOptions())
        .setSslHandshakeTimeout(handshakeTimeoutMs).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private KeyCertOptions keyCertOptions() {
    if ((keyStore == null) == (keyCert == null && key == null)) {
      throw new IllegalArgumentException("The " + WHERE + " need this member's certificate and key: either keyStore "
          + "(with keyStorePassword) or keyCert and key (PEM files), not both and not neither.");
    }
    if (keyStore != null) {
      TlsFiles.checkStore("keyStore", keyStore, keyStoreType, keyStorePassword, true);
      return keyStoreType.equals("JKS") ? new JksOptions().setPath(keyStore).setPassword(keyStorePassword)
          : new PfxOptions().setPath(keyStore).setPassword(keyStorePassword);
    }
    if (keyCert == null || key == null) {
      throw new IllegalArgumentException("The " + WHERE + " name " + (keyCert == null ? "key but not keyCert" : "keyCert "
          + "but not key") + ": PEM needs both this member's certificate (keyCert) and its private key (key).");
    }
    TlsFiles.checkPem("keyCert", keyCert, "CERTIFICATE", "this member's certificate chain");
    TlsFiles.checkPem("key", key, "PRIVATE KEY", "this member's private key (PKCS8 or PKCS1)");
    return new PemKeyCertOptions().setCertPath(keyCert).setKeyPath(key);
  }

  private TrustOptions trustOptions() {
    if ((trustStore == null) == (trustCert == null)) {
      throw new IllegalArgumentException("The " + WHERE + " need the certificates this member trusts (the cluster's "
          + "CA): either trustStore (with trustStorePassword) or trustCert (a PEM file), not both and not neither.");
    }
    if (trustStore != null) {
      TlsFiles.checkStore("trustStore", trustStore, trustStoreType, trustStorePassword, false);
      return trustStoreType.equals("JKS") ? new JksOptions().setPath(trustStore).setPassword(trustStorePassword)
          : new PfxOptions().setPath(trustStore).setPassword(trustStorePassword);
    }
    TlsFiles.checkPem("trustCert", trustCert, "CERTIFICATE", "the certificates this member trusts (the cluster's CA)");
    return new PemTrustOptions().addCertPath(trustCert);
  }

  private static String storeType(String field, String type) {
    String upper = type.trim().toUpperCase(Locale.ROOT);
    if (!STORE_TYPES.contains(upper)) {
      throw new IllegalArgumentException(field + " must be PKCS12 or JKS, was '" + type + "'");
    }
    return upper;
  }

  private static void putIfSet(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
