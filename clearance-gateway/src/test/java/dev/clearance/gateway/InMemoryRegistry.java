package dev.clearance.gateway;

import dev.clearance.core.Directive;
import dev.clearance.core.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A registry held in memory for gateway tests; it keeps only key hashes, like the store, and counts key look-ups. */
final class InMemoryRegistry implements Registry {
    private final Map<String, Principal> principals = new LinkedHashMap<>();
    private final Map<String, String[]> keysByHash = new LinkedHashMap<>(); // hash -> {prefix, principal}
    private final Map<String, Directive> directives = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    final AtomicInteger keyLookups = new AtomicInteger();

    @Override
    public synchronized Optional<String> principalForKey(String presentedKey) {
        keyLookups.incrementAndGet();
        String[] k = keysByHash.get(hash(presentedKey));
        return k == null ? Optional.empty() : Optional.of(k[1]);
    }

    @Override
    public synchronized Optional<Principal> principal(String id) {
        return Optional.ofNullable(principals.get(id));
    }

    @Override
    public synchronized void putPrincipal(Principal principal) {
        principals.put(principal.id(), principal);
    }

    @Override
    public synchronized boolean deletePrincipal(String id) {
        keysByHash.values().removeIf(k -> k[1].equals(id));
        return principals.remove(id) != null;
    }

    @Override
    public synchronized IssuedKey issueKey(String principalId) {
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String prefix = "clr_" + HexFormat.of().formatHex(secret, 0, 4);
        String key = prefix + "_" + HexFormat.of().formatHex(secret, 4, 24);
        keysByHash.put(hash(key), new String[] {prefix, principalId});
        return new IssuedKey(key, prefix, principalId);
    }

    @Override
    public synchronized boolean revokeKey(String prefix) {
        return keysByHash.values().removeIf(k -> k[0].equals(prefix));
    }

    @Override
    public synchronized List<Directive> directives() {
        return new ArrayList<>(directives.values());
    }

    @Override
    public synchronized void putDirective(Directive directive) {
        directives.put(directive.id(), directive);
    }

    @Override
    public synchronized boolean withdrawDirective(String id) {
        return directives.remove(id) != null;
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
