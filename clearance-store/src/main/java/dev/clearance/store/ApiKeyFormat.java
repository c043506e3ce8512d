package dev.clearance.store;

import dev.clearance.core.Sha256;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * What an API key looks like, without a database: {@code clr_<prefix>_<secret>}, 32 random bytes
 * (256 bits) in lowercase unpadded base32 whose first 8 characters are the public prefix. Only the
 * prefix and the SHA-256 of the whole key are ever stored (see {@link ApiKeys} for why a fast hash).
 */
final class ApiKeyFormat {
    static final String SCHEME = "clr_";

    private static final Pattern KEY = Pattern.compile("clr_[a-z2-7]{8}_[a-z2-7]{44}");
    private static final Pattern PREFIX = Pattern.compile("[a-z2-7]{8}");
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int RANDOM_BYTES = 32;

    private ApiKeyFormat() {}

    /** A new key from {@code random}, which must be a cryptographically strong generator. */
    static String generate(RandomGenerator random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String text = base32(bytes);
        return SCHEME + text.substring(0, 8) + "_" + text.substring(8);
    }

    /** Whether {@code presented} has the shape of a key; anything else authenticates nobody. */
    static boolean isWellFormed(String presented) {
        return presented != null && KEY.matcher(presented).matches();
    }

    /** The public prefix of a well-formed key. */
    static String prefixOf(String key) {
        if (!isWellFormed(key)) {
            // Never echo the value: a mistyped key is still mostly a secret.
            throw new IllegalArgumentException("not an API key (expected clr_, 8 and 44 characters a-z, 2-7)");
        }
        return key.substring(SCHEME.length(), SCHEME.length() + 8);
    }

    /** What the store keeps of a key: the hex SHA-256 of its text. */
    static String hash(String key) {
        return Sha256.hex(key);
    }

    /**
     * The prefix an operator names a key by: the 8 characters themselves, {@code clr_} and them, or
     * the whole key.
     *
     * @throws StoreException.NotFound naming {@code given} when it holds no prefix: no key can have it
     */
    static String parsePrefix(String given) {
        String p = given.startsWith(SCHEME) ? given.substring(SCHEME.length()) : given;
        int end = p.indexOf('_');
        p = end >= 0 ? p.substring(0, end) : p;
        if (!PREFIX.matcher(p).matches()) {
            throw new StoreException.NotFound(
                    "'" + given + "' is not an API key prefix (expected clr_ and 8 characters a-z, 2-7)");
        }
        return p;
    }

    /** RFC 4648 base32, lowercase, unpadded: 32 bytes give 52 characters. */
    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }
}
