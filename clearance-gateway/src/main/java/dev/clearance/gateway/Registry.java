package dev.clearance.gateway;

import dev.clearance.core.Directive;
import dev.clearance.core.Principal;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway and its admin API read and write in the store: principals, their API keys and
 * the directives. The store implements the storage (keys are kept only as hashes); this interface is
 * the narrow view the gateway needs, so the admin handlers stay thin over it.
 */
public interface Registry {

    /** The id of the principal a presented API key belongs to; empty for an unknown or revoked key. */
    Optional<String> principalForKey(String presentedKey);

    Optional<Principal> principal(String id);

    /** Inserts or replaces a principal. */
    void putPrincipal(Principal principal);

    /** Deletes a principal and its keys; false when there was none. */
    boolean deletePrincipal(String id);

    /** Issues a new random key for a principal; the key itself is shown once and stored only as a hash. */
    IssuedKey issueKey(String principalId);

    /** Revokes the key with this public prefix; false when there was none. */
    boolean revokeKey(String prefix);

    /** The directives in force, the source of the active policy. */
    List<Directive> directives();

    /** Stores a new version of a directive (the original text is kept in {@link Directive#source()}). */
    void putDirective(Directive directive);

    /** Withdraws a directive; false when there was none. */
    boolean withdrawDirective(String id);

    /**
     * A freshly issued key.
     *
     * @param key    the full secret, shown to the caller once
     * @param prefix the public part that names the key for revocation
     */
    record IssuedKey(String key, String prefix, String principal) {
        @Override
        public String toString() {
            return "IssuedKey[prefix=" + prefix + ", principal=" + principal + "]";
        }
    }
}
