package dev.clearance.cli.docs;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waiting on a condition instead of for a time: what the serving process does "within a second"
 * (a signed checkpoint, the shadow counts, a new policy) is awaited by looking again until it is
 * there, so a slow machine makes the test slower, never wrong.
 */
final class Eventually {
    static final Duration PAUSE = Duration.ofMillis(200);

    private Eventually() {}

    /**
     * Calls {@code attempt} until {@code done} holds of what it returns or {@code patience} has passed
     * (at least once, however short the patience), and returns the last result either way.
     */
    static <T> T until(Callable<T> attempt, Predicate<T> done, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            T result = attempt.call();
            if (done.test(result) || System.nanoTime() - deadline >= 0) {
                return result;
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }
}
