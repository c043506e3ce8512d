package dev.clearance.store;

import java.util.List;
import java.util.Optional;

/**
 * API keys that authenticate callers as principals.
 *
 * <p>A key is {@code clr_<8 chars>_<44 chars>}: 32 random bytes (256 bits) in lowercase base32, whose
 * first 8 characters are the public prefix that names the key in listings and revocations. Only
 * the prefix and a SHA-256 hash of the whole key are stored. A fast hash is the right choice here:
 * slow password hashes exist to protect low-entropy secrets from guessing, and a 256-bit random
 * key cannot be guessed, while the gateway hashes a key on every request.
 */
public interface ApiKeys {

    /**
     * Creates a key for an existing principal. The returned {@link IssuedKey#key()} is the only
     * time the key exists in clear.
     *
     * @throws StoreException.NotFound when the principal does not exist
     */
    IssuedKey create(String principalId, String by);

    /**
     * The principal a presented key authenticates: empty for an unknown, malformed or revoked key
     * (an authentication failure, not a store failure).
     */
    Optional<ApiKey> lookup(String presentedKey);

    /**
     * Revokes the key with this prefix (the part after {@code clr_}, or the key's first 12 characters
     * {@code clr_xxxxxxxx}). Revoking a revoked key is a no-op that returns it unchanged.
     *
     * @throws StoreException.NotFound when no key has this prefix
     */
    ApiKey revoke(String prefix, String by);

    /** The keys of one principal, revoked ones included, oldest first. */
    List<ApiKey> of(String principalId);
}
