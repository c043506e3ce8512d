package dev.clearance.cli.config;

import dev.clearance.gateway.tls.ConfiguredFile;
import dev.clearance.gateway.tls.ListenerTls;
import dev.clearance.gateway.tls.TlsIdentity;
import dev.clearance.gateway.tls.UpstreamTls;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code tls} sections of {@code clearance.yaml}: a listener's certificate (PEM {@code cert} and
 * {@code key}, or a PKCS#12 {@code keystore} and {@code keystore_password}), the admin listener's
 * {@code client_ca}, and an upstream's {@code ca} and client certificate. Only the shape is checked
 * here; the files are read when serving starts, and every file remembers the position of the setting
 * that named it, so a problem found then (or when it changes on disk) points at that line.
 */
final class TlsSections {
    private static final List<String> IDENTITY_KEYS = List.of("cert", "key", "keystore", "keystore_password");
    static final Set<String> SERVER_KEYS = keys(IDENTITY_KEYS, List.of());
    static final Set<String> ADMIN_KEYS = keys(IDENTITY_KEYS, List.of("client_ca"));
    static final Set<String> UPSTREAM_KEYS = keys(List.of("ca"), IDENTITY_KEYS);

    private TlsSections() {}

    /** A listener's {@code tls}, when given; {@code keys} says whether {@code client_ca} is allowed. */
    static Optional<ListenerTls> listener(ConfigReader.Section parent, Set<String> keys, Path base) {
        Optional<ConfigReader.Section> section = parent.section("tls", keys);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        ConfigReader.Section tls = section.get();
        Optional<ConfiguredFile> clientCa = file(tls, "client_ca", base);
        Optional<TlsIdentity> identity = identity(tls, base);
        if (identity.isEmpty()) {
            if (clientCa.isPresent()) {
                tls.problem(
                        "client_ca",
                        "client_ca needs the listener's own certificate: set cert and key (or keystore) beside it");
            } else if (!hasIdentityKeys(tls)) {
                tls.problem(
                        "", "missing the listener's certificate: set cert and key (or keystore and keystore_password)");
            }
            return Optional.empty();
        }
        return Optional.of(new ListenerTls(identity.get(), clientCa));
    }

    /** An upstream's {@code tls}, when given: the CA it must chain to, the client certificate to present, or both. */
    static Optional<UpstreamTls> upstream(ConfigReader.Section parent, Path base) {
        Optional<ConfigReader.Section> section = parent.section("tls", UPSTREAM_KEYS);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        ConfigReader.Section tls = section.get();
        Optional<ConfiguredFile> ca = file(tls, "ca", base);
        Optional<TlsIdentity> identity = identity(tls, base);
        if (ca.isEmpty() && identity.isEmpty()) {
            if (!hasIdentityKeys(tls)) {
                tls.problem("", "set ca (the CA the upstream's certificate must chain to), cert and key, or both");
            }
            return Optional.empty();
        }
        return Optional.of(new UpstreamTls(ca, identity));
    }

    /** The certificate and key given as PEM files or a keystore; empty (with any problem noted) otherwise. */
    private static Optional<TlsIdentity> identity(ConfigReader.Section tls, Path base) {
        Optional<ConfiguredFile> cert = file(tls, "cert", base);
        Optional<ConfiguredFile> key = file(tls, "key", base);
        Optional<ConfiguredFile> keystore = file(tls, "keystore", base);
        String password = tls.string("keystore_password", null);
        if (keystore.isPresent() && (cert.isPresent() || key.isPresent())) {
            tls.problem("keystore", "give either cert and key (PEM files) or keystore (PKCS#12), not both");
            return Optional.empty();
        }
        if (keystore.isPresent()) {
            if (password == null) {
                tls.problem(
                        "keystore",
                        "a keystore needs keystore_password, e.g. keystore_password: ${CLEARANCE_TLS_PASSWORD}");
                return Optional.empty();
            }
            return Optional.of(new TlsIdentity.Keystore(keystore.get(), password, tls.setting("keystore_password")));
        }
        if (password != null) {
            tls.problem("keystore_password", "keystore_password is for a keystore; set keystore beside it");
        }
        if (cert.isPresent() != key.isPresent()) {
            String given = cert.isPresent() ? "cert" : "key";
            tls.problem(given, "cert and key go together: set " + (cert.isPresent() ? "key" : "cert") + " too");
            return Optional.empty();
        }
        return cert.map(c -> new TlsIdentity.PemFiles(c, key.get()));
    }

    private static boolean hasIdentityKeys(ConfigReader.Section tls) {
        return IDENTITY_KEYS.stream().anyMatch(tls::has);
    }

    /** A file setting, resolved against the configuration's directory and named by its position. */
    private static Optional<ConfiguredFile> file(ConfigReader.Section tls, String key, Path base) {
        return Optional.ofNullable(tls.string(key, null))
                .map(p -> new ConfiguredFile(base.resolve(p).normalize(), tls.setting(key)));
    }

    private static Set<String> keys(List<String> first, List<String> then) {
        Set<String> out = new LinkedHashSet<>(first);
        out.addAll(then);
        return out;
    }
}
