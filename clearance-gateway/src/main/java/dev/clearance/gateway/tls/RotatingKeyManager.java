package dev.clearance.gateway.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose certificate and key can be replaced while connections are being accepted: each
 * new handshake uses the pair installed last. The JDK's own key manager does the choosing; every pair
 * gets an alias of its own, and the previous pair stays readable, so a handshake that chose an alias
 * just before a swap still gets that alias's certificate and key, never the new certificate with the
 * old key.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {
    private static final char[] IN_MEMORY = "clearance".toCharArray();

    private record Generation(X509ExtendedKeyManager keys, CertifiedKey key) {}

    private volatile Generation current;
    private volatile Generation previous;
    private int generations;

    RotatingKeyManager(CertifiedKey first) {
        install(first);
    }

    /** Serves {@code key} from the next handshake on. */
    synchronized void install(CertifiedKey key) {
        String alias = "clearance-" + ++generations;
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key.key(), IN_MEMORY, key.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
            factory.init(store, IN_MEMORY);
            for (KeyManager m : factory.getKeyManagers()) {
                if (m instanceof X509ExtendedKeyManager keys) {
                    previous = current;
                    current = new Generation(keys, key);
                    return;
                }
            }
            throw new IllegalStateException("the JDK's SunX509 key manager factory made no X.509 key manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("an in-memory keystore could not hold the key: " + e, e);
        }
    }

    CertifiedKey current() {
        return current.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return current.keys().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return current.keys().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return current.keys().chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.keys().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.keys().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.keys().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation now = current;
        X509Certificate[] chain = now.keys().getCertificateChain(alias);
        Generation before = previous;
        return chain != null || before == null ? chain : before.keys().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation now = current;
        PrivateKey key = now.keys().getPrivateKey(alias);
        Generation before = previous;
        return key != null || before == null ? key : before.keys().getPrivateKey(alias);
    }
}
