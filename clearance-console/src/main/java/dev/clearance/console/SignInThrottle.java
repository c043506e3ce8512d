package dev.clearance.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing the admin token: after {@link #FAILURES} failed sign-ins from one client address
 * within {@link #WINDOW}, further attempts from it are refused (without checking the token) until the
 * oldest failure leaves the window. A success does not clear the failures, so interleaving a valid
 * sign-in cannot buy more guesses.
 */
final class SignInThrottle {
    static final int FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** Addresses tracked at most; beyond it the table is cleared rather than grown (a flood of addresses). */
    static final int MAX_ADDRESSES = 10_000;

    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code address} must wait before its next attempt; zero when it may try now. */
    Duration wait(String address) {
        Deque<Instant> f = failures.get(address);
        if (f == null) {
            return Duration.ZERO;
        }
        synchronized (f) {
            Instant now = clock.instant();
            prune(f, now);
            if (f.size() < FAILURES) {
                return Duration.ZERO;
            }
            return Duration.between(now, f.peekFirst().plus(WINDOW));
        }
    }

    void failed(String address) {
        if (failures.size() >= MAX_ADDRESSES) {
            failures.clear();
        }
        Deque<Instant> f = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (f) {
            Instant now = clock.instant();
            prune(f, now);
            f.addLast(now);
        }
    }

    private static void prune(Deque<Instant> f, Instant now) {
        while (!f.isEmpty() && !f.peekFirst().plus(WINDOW).isAfter(now)) {
            f.removeFirst();
        }
    }
}
