package dev.clearance.gateway;

import dev.clearance.core.Policy;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The compiled policy every decision reads. A change replaces the whole immutable snapshot in one
 * atomic swap, so a reader sees the old policy or the new one, never half of each; listeners (the
 * live-stream registry) run after the swap, on the thread that made it.
 */
public final class ActivePolicy {
    private final AtomicReference<Policy> current;
    private final List<Consumer<Policy>> listeners = new CopyOnWriteArrayList<>();

    public ActivePolicy(Policy initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial policy"));
    }

    public Policy current() {
        return current.get();
    }

    /** Makes {@code next} the policy for every new decision, then tells the listeners. */
    public void replace(Policy next) {
        current.set(Objects.requireNonNull(next, "policy"));
        for (Consumer<Policy> listener : listeners) {
            listener.accept(next);
        }
    }

    public void onChange(Consumer<Policy> listener) {
        listeners.add(listener);
    }
}
