package dev.clearance.gateway;

import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.store.ApiKey;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPrincipal;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Resolves presented API keys and principal ids on the hot path, remembering what the store said
 * so that a request costs no store round trip. Every change made through this gateway forgets all of
 * it at once ({@link #forget()}), so a revoked key or an edited principal counts from the next request;
 * changes made elsewhere arrive through the store's change feed ({@link ChangeFollower}).
 * Unknown keys and principal ids are never remembered: a caller spraying random keys (or an admin
 * deciding for made-up principals) cannot grow this cache.
 */
public final class Callers {
    private final Store store;
    private final UnaryOperator<Principal> attachScreening;
    // Replaced whole by forget(): a lookup racing with a change fills the discarded generation, never the new one.
    private volatile Memory memory = new Memory();

    public Callers(Store store) {
        this(store, UnaryOperator.identity());
    }

    /**
     * @param attachScreening adds the principal's stored screening results (what directives read as
     *        {@code principal.screening}); identity when screening is not configured, which leaves
     *        every principal {@code not_screened}
     */
    public Callers(Store store, UnaryOperator<Principal> attachScreening) {
        this.store = store;
        this.attachScreening = attachScreening;
    }

    /** The principal id the key belongs to, or empty when the key is unknown or revoked. */
    public Optional<String> authenticate(String presentedKey) {
        Memory m = memory;
        String id = m.principalByKey.get(presentedKey);
        if (id != null) {
            return Optional.of(id);
        }
        Optional<String> found = store.keys().lookup(presentedKey).map(ApiKey::principalId);
        found.ifPresent(p -> m.principalByKey.put(presentedKey, p));
        return found;
    }

    /** The principal and its precomputed facts; an id with no principal resolves to the unknown principal. */
    public Resolved resolve(String principalId) {
        Memory m = memory;
        Resolved r = m.principals.get(principalId);
        if (r == null) {
            Principal p = store.principals()
                    .get(principalId)
                    .map(StoredPrincipal::principal)
                    .map(attachScreening)
                    .orElse(null);
            r = new Resolved(principalId, p, p == null ? null : PrincipalFacts.of(p));
            if (p != null) {
                // Unknown ids are never remembered: the admin decide API names principals freely.
                m.principals.put(principalId, r);
            }
        }
        return r;
    }

    /** Keys and principals remembered now: for tests of what may be remembered. */
    int remembered() {
        Memory m = memory;
        return m.principalByKey.size() + m.principals.size() + m.claimed.size();
    }

    /**
     * The principal with the facts its caller's token carries in place of the stored ones ({@link
     * ClaimedFacts}); an id with no principal resolves to the unknown principal, claims or not.
     */
    Resolved resolve(String principalId, ClaimedFacts claims) {
        if (claims.isEmpty()) {
            return resolve(principalId);
        }
        Memory m = memory;
        Claimed key = new Claimed(principalId, claims);
        Resolved r = m.claimed.get(key);
        if (r == null) {
            Resolved stored = resolve(principalId);
            Principal p = stored.principal() == null ? null : attachScreening.apply(claims.applyTo(stored.principal()));
            r = new Resolved(principalId, p, p == null ? null : PrincipalFacts.of(p));
            if (p != null) {
                m.claimed.put(key, r);
            }
        }
        return r;
    }

    private record Claimed(String principalId, ClaimedFacts claims) {}

    /** Forgets every remembered key and principal; the next request reads the store again. */
    public void forget() {
        memory = new Memory();
    }

    private static final class Memory {
        final ConcurrentHashMap<String, String> principalByKey = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Resolved> principals = new ConcurrentHashMap<>();
        // Only for verified tokens of known principals: bounded by the principals and the facts their issuer states.
        final ConcurrentHashMap<Claimed, Resolved> claimed = new ConcurrentHashMap<>();
    }

    /**
     * A principal as the decision point sees it.
     *
     * @param principal null when the id names no principal (decided as unknown: fail closed)
     */
    public record Resolved(String id, Principal principal, PrincipalFacts facts) {}
}
