package dev.clearance.gateway.oidc;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * EdDSA (Ed25519) signatures checked by the JDK. The JOSE library's own Ed25519 verifier needs Google
 * Tink; the JDK has had Ed25519 since 15, so one algorithm does not bring a second crypto library.
 */
final class Ed25519Signatures {
    /** DER of SubjectPublicKeyInfo for Ed25519 (RFC 8410) up to the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Signatures() {}

    /** Whether {@code signature} is the key's Ed25519 signature of {@code signed}; false for any other key. */
    static boolean verify(OctetKeyPair key, byte[] signed, byte[] signature) {
        if (!Curve.Ed25519.equals(key.getCurve())) {
            return false;
        }
        byte[] x = key.getDecodedX();
        if (x.length != 32 || signature.length != 64) {
            return false;
        }
        byte[] spki = new byte[SPKI_PREFIX.length + 32];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, SPKI_PREFIX.length, 32);
        try {
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A malformed key or signature verifies nothing.
            return false;
        }
    }
}
