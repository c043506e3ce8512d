package dev.clearance.gateway;

import dev.clearance.core.Decision;
import dev.clearance.core.Policy;
import dev.clearance.core.Request;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allowed calls in flight, registered when they are decided and kept until their answer is
 * released (a whole answer) or ends (a stream). On every policy, principal, key, screening or
 * provisioning change ({@link #redecideAll}) each is decided again at the current time, with its
 * credential checked again ({@link Authenticator#stillProves}), its principal as now stored and the
 * same facts its token claimed. A call now denied is cut, whatever phase it is in:
 *
 * <ul>
 *   <li>before its answer has started — waiting for its record, connecting, waiting for the first
 *       byte, receiving a whole answer — its upstream exchange is cancelled and the caller gets the
 *       provider-shaped 403 instead, never a byte from the upstream;
 *   <li>while streaming, the stream ends with a provider-shaped error event and the upstream
 *       connection is closed ({@link EventRelay#cut}).
 * </ul>
 *
 * The cut is decided and recorded by {@link Enforcement} (its record is handed over before the cut,
 * and the cut never waits for it), on the thread that made the change, before it is acknowledged.
 *
 * <p>A change between a call's first look at its caller and its registration would be missed by the
 * sweep; so changes are counted, each call carries the count it started with, and a call registered
 * after a change it did not see is decided again at once.
 */
final class LiveCalls {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCalls.class);

    private final Set<LiveCall> calls = ConcurrentHashMap.newKeySet();
    private final AtomicLong changes = new AtomicLong();
    private final ActivePolicy policy;
    private final Callers callers;
    private final List<Authenticator> authenticators;
    private final Enforcement enforcement;
    private final DecisionIds ids;
    private final Clock clock;

    /** @param authenticators those of the authenticate stage: each checks again the credentials it read */
    LiveCalls(
            ActivePolicy policy,
            Callers callers,
            List<Authenticator> authenticators,
            Enforcement enforcement,
            DecisionIds ids,
            Clock clock) {
        this.policy = policy;
        this.callers = callers;
        this.authenticators = List.copyOf(authenticators);
        this.enforcement = enforcement;
        this.ids = ids;
        this.clock = clock;
        policy.onChange(p -> redecideAll());
    }

    /** Changes counted so far: read by a call before it authenticates ({@link GatewayCall#changesSeen}). */
    long changes() {
        return changes.get();
    }

    /**
     * Registers an allowed call at its decision; decides it again at once when a change came after
     * it read its caller.
     *
     * <p>The call's credential (the key or token its caller presented) is checked again at every
     * re-decision, so a revoked key or a deprovisioned token's principal stops the call (its caller is
     * then unknown, which the decision point denies).
     */
    LiveCall open(GatewayCall call) {
        LiveCall c = new LiveCall(call.id(), call.request(), call.principalId(), call.claims(), call.credential());
        calls.add(c);
        if (changes.get() != call.changesSeen()) {
            redecide(c, policy.current());
        }
        return c;
    }

    /** Decides every call again under the active policy, with each caller as the store now has it. */
    void redecideAll() {
        changes.incrementAndGet();
        Policy now = policy.current();
        for (LiveCall c : calls) {
            redecide(c, now);
        }
    }

    void close(LiveCall c) {
        calls.remove(c);
    }

    /** Calls in flight, in any phase. */
    int size() {
        return calls.size();
    }

    /** Calls relaying a stream. */
    int streams() {
        int n = 0;
        for (LiveCall c : calls) {
            if (c.streaming()) {
                n++;
            }
        }
        return n;
    }

    private void redecide(LiveCall c, Policy policy) {
        if (c.cutBy() != null) {
            return;
        }
        boolean credentialValid = Authenticator.readerOf(authenticators, c.credential)
                .filter(a -> a.stillProves(c.credential, c.principalId))
                .isPresent();
        // The claimed facts are the token's, unchanged: the call is decided again on what it began with.
        Callers.Resolved caller = credentialValid
                ? callers.resolve(c.principalId, c.claims)
                : new Callers.Resolved(c.principalId, null, null);
        Request original = c.request;
        Request now = original.withId(ids.next()).withTime(clock.instant());
        enforcement.withhold(policy, caller, now).ifPresent(cut -> {
            Decision decision = cut.decision();
            LOG.info(
                    "cutting call {} of principal {} on {} (decision {}{}): {}",
                    c.id,
                    original.principal(),
                    original.model(),
                    decision.id(),
                    credentialValid ? "" : ", credential no longer valid",
                    decision.directives());
            c.cut(decision);
        });
    }

    /**
     * One allowed call, from its decision until its answer is released or its stream ends. Its phase
     * decides what a cut does: before the answer, the exchange is cancelled and the call answers the
     * denial; while streaming, the relay ends the stream; once a whole answer is released, nothing.
     */
    static final class LiveCall {
        private final String id;
        private final Request request;
        private final String principalId;
        private final ClaimedFacts claims;
        private final String credential;
        private final ReentrantLock lock = new ReentrantLock();
        private Decision cutBy; // guarded by lock
        private boolean released; // guarded by lock
        private Thread exchanging; // guarded by lock: the call's thread while it waits on the upstream
        private EventRelay relay; // guarded by lock

        LiveCall(String id, Request request, String principalId, ClaimedFacts claims, String credential) {
            this.id = id;
            this.request = request;
            this.principalId = principalId;
            this.claims = claims;
            this.credential = credential;
        }

        /** The denial that cut this call, or null. */
        Decision cutBy() {
            lock.lock();
            try {
                return cutBy;
            } finally {
                lock.unlock();
            }
        }

        private boolean streaming() {
            lock.lock();
            try {
                return relay != null && cutBy == null && !relay.isDone();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Marks the calling thread as waiting on the upstream, so a cut interrupts it (which closes the
         * upstream connection). False when the call was cut already: nothing may be sent.
         */
        boolean exchanging() {
            lock.lock();
            try {
                if (cutBy != null) {
                    return false;
                }
                exchanging = Thread.currentThread();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /**
         * The calling thread no longer waits on the upstream: a cut no longer interrupts it, and an
         * interrupt a cut made meanwhile is cleared, so it can never close the caller's connection.
         */
        void exchanged() {
            lock.lock();
            try {
                if (exchanging == Thread.currentThread()) {
                    exchanging = null;
                    Thread.interrupted();
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * Starts relaying a stream: {@code start} (which sets the status and headers and makes the
         * relay) runs under this call's lock, so a cut either comes first (null: nothing may be sent,
         * the response is untouched) or goes through the relay.
         */
        EventRelay relay(Supplier<EventRelay> start) {
            lock.lock();
            try {
                if (cutBy != null) {
                    return null;
                }
                relay = start.get(); // from here on a cut goes through the relay, which interrupts only reads
                return relay;
            } finally {
                lock.unlock();
            }
        }

        /** Releases a whole answer: false when the call was cut first (the denial is answered instead). */
        boolean release() {
            lock.lock();
            try {
                if (cutBy != null) {
                    return false;
                }
                released = true;
                return true;
            } finally {
                lock.unlock();
            }
        }

        void cut(Decision decision) {
            EventRelay r;
            lock.lock();
            try {
                if (cutBy != null || released) {
                    return;
                }
                cutBy = decision;
                r = relay;
                if (r == null && exchanging != null) {
                    // Under the lock, so never after the thread stopped waiting on the upstream.
                    exchanging.interrupt(); // closes the upstream connection; the call answers the denial
                }
            } finally {
                lock.unlock();
            }
            if (r != null) {
                r.cut(decision);
            }
        }
    }
}
