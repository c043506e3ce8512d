package dev.clearance.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, kept in this process's memory: a session id is 256 random bits and means
 * nothing without this table, so signing out or restarting the node ends it for good. Sessions end
 * after {@link #IDLE} without a request and after {@link #ABSOLUTE} in any case.
 */
final class Sessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(12);
    /** More live sessions than anyone needs; past it the oldest ones are dropped, so memory stays bounded. */
    static final int MAX = 1_000;

    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    Session open(String who, Set<Role> roles) {
        Instant now = clock.instant();
        dropExpired(now);
        while (byId.size() >= MAX) {
            byId.values().stream()
                    .min((a, b) -> a.expires().compareTo(b.expires()))
                    .ifPresent(s -> byId.remove(s.id()));
        }
        Session s = new Session(randomId(), who, roles, randomId(), now.plus(IDLE), now.plus(ABSOLUTE));
        byId.put(s.id(), s);
        return s;
    }

    /** The live session with this id, its idle expiry pushed back; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!now.isBefore(s.expires()) || !now.isBefore(s.ends())) {
            byId.remove(id);
            return Optional.empty();
        }
        Instant idle = now.plus(IDLE);
        Session touched =
                new Session(s.id(), s.who(), s.roles(), s.csrf(), idle.isAfter(s.ends()) ? s.ends() : idle, s.ends());
        byId.replace(id, s, touched);
        return Optional.of(touched);
    }

    void close(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    int size() {
        return byId.size();
    }

    private void dropExpired(Instant now) {
        byId.values().removeIf(s -> !now.isBefore(s.expires()) || !now.isBefore(s.ends()));
    }

    private String randomId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
