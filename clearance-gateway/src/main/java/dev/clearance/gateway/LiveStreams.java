package dev.clearance.gateway;

import dev.clearance.core.Decision;
import dev.clearance.core.Policy;
import dev.clearance.core.Request;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams in flight. When the policy or a principal changes, every stream is decided again at the
 * current time; a stream now denied is cut: it ends with a provider-shaped error event and its upstream
 * connection is closed, on the thread that made the change, before that change is acknowledged. The
 * cut is decided and recorded by {@link Enforcement} (its record is handed over before the cut, and
 * the cut never waits for it).
 */
final class LiveStreams {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);

    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    private final ActivePolicy policy;
    private final Callers callers;
    private final Enforcement enforcement;
    private final DecisionIds ids;
    private final Clock clock;

    LiveStreams(ActivePolicy policy, Callers callers, Enforcement enforcement, DecisionIds ids, Clock clock) {
        this.policy = policy;
        this.callers = callers;
        this.enforcement = enforcement;
        this.ids = ids;
        this.clock = clock;
        policy.onChange(applied -> redecideAll());
    }

    LiveStream open(GatewayCall call, EventRelay relay) {
        LiveStream s = new LiveStream(call.request(), call.caller(), relay);
        streams.add(s);
        // A policy swapped between this call's decision and its registration would have missed it.
        Policy now = policy.current();
        if (!now.version().equals(call.ruling().decision().policyVersion())) {
            redecide(s, now);
        }
        return s;
    }

    /** Decides every stream again under the active policy, with each principal as the registry now has it. */
    void redecideAll() {
        Policy now = policy.current();
        for (LiveStream s : streams) {
            redecide(s, now);
        }
    }

    void close(LiveStream s) {
        streams.remove(s);
    }

    int size() {
        return streams.size();
    }

    private void redecide(LiveStream s, Policy policy) {
        if (s.cutBy() != null) {
            return;
        }
        Callers.Resolved caller = callers.resolve(s.caller.id());
        Request original = s.request;
        Request now = original.withId(ids.next()).withTime(clock.instant());
        enforcement.withhold(policy, caller, now).ifPresent(cut -> {
            Decision decision = cut.decision();
            LOG.info(
                    "cutting stream {} of principal {} on {} (decision {}): {}",
                    original.id(),
                    original.principal(),
                    original.model(),
                    decision.id(),
                    decision.directives());
            s.cut(decision);
        });
    }

    /** One relayed stream. */
    static final class LiveStream {
        private final Request request;
        private final Callers.Resolved caller;
        private final EventRelay relay;

        LiveStream(Request request, Callers.Resolved caller, EventRelay relay) {
            this.request = request;
            this.caller = caller;
            this.relay = relay;
        }

        /** The denial that cut this stream, or null while it runs. */
        Decision cutBy() {
            return relay.cutBy();
        }

        void cut(Decision decision) {
            relay.cut(decision);
        }
    }
}
