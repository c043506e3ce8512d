package dev.clearance.gateway;

import dev.clearance.store.FleetView;
import dev.clearance.store.PolicyApplication;
import dev.clearance.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in the fleet. It registers in the store when it starts; after it puts a policy
 * version in force it writes {@code policy_applied} to its own decision log and then records the
 * application in the store with the log's size at that moment (its proof); it heartbeats every second;
 * and it keeps the fleet view the metrics show. None of this is in the path of a decision or of a
 * policy reaching this node: it runs beside them, and an application it cannot record yet (the store
 * is away) is recorded when the store is back, in order.
 *
 * <p>It also says, loudly and once per change, when this node stops and starts confirming its policy
 * ({@link Confirmation}); under {@code serve-cached} it repeats the warning every ten seconds while it
 * serves unconfirmed.
 */
final class FleetMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetMember.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration WATCH = Duration.ofMillis(250);
    private static final Duration SERVE_CACHED_REMINDER = Duration.ofSeconds(10);

    private final Store store;
    private final GatewaySettings.Node node;
    private final Enforcement enforcement;
    private final GatewayMetrics metrics;
    private final Confirmation confirmation;
    private final Clock clock;
    private final ScheduledExecutorService threads;
    /** Applications not yet in the store, oldest first. */
    private final BlockingQueue<PolicyApplication> unreported = new LinkedBlockingQueue<>();

    private final AtomicReference<FleetView> lastView = new AtomicReference<>();
    private boolean wasConfirmed = true; // the watch thread's alone
    private long lastReminder;
    private boolean heartbeatFailing; // the heartbeat thread's alone

    FleetMember(
            Store store,
            GatewaySettings.Node node,
            Enforcement enforcement,
            GatewayMetrics metrics,
            Confirmation confirmation,
            Clock clock) {
        this.store = store;
        this.node = node;
        this.enforcement = enforcement;
        this.metrics = metrics;
        this.confirmation = confirmation;
        this.clock = clock;
        this.threads = Executors.newScheduledThreadPool(
                3, r -> Thread.ofPlatform().name("clearance-fleet").daemon(true).unstarted(r));
    }

    /**
     * Registers this node, records the policy it starts with, and from now on every policy it puts in
     * force; starts the heartbeat.
     *
     * @throws dev.clearance.store.StoreException when the store cannot register the node (nothing starts)
     */
    void start(ActivePolicy policy) {
        store.fleet().register(node.name(), node.logKey(), node.logDirectory());
        if (confirmation.serveCached()) {
            LOG.warn(
                    "store.on_unreachable is serve-cached: when this node cannot confirm its policy with the store"
                            + " for {}, it keeps answering from the last policy and keys it had, and a directive or key"
                            + " revocation issued meanwhile is NOT enforced here",
                    confirmation.maxStaleness());
        }
        metrics.fleet(lastView::get, confirmation::age);
        policy.onChange(a -> applied(a, true));
        // The policy this node starts with: in force from now, but its activation may be days old.
        applied(policy.applied(), false);
        threads.scheduleWithFixedDelay(this::beat, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        threads.scheduleAtFixedRate(this::watch, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The fleet as the store shows it now (for {@code GET /admin/v1/fleet}). */
    FleetView view() {
        FleetView view = FleetView.read(store, clock.instant(), node.thresholds());
        lastView.set(view);
        return view;
    }

    /**
     * A policy version is in force here: record it in the log, then in the store, off the caller's thread.
     *
     * @param propagated whether it reached this node while running (so its delay since activation is a
     *                   propagation time), rather than being the policy this node started with
     */
    private void applied(ActivePolicy.Applied a, boolean propagated) {
        Instant at = clock.instant();
        if (propagated && a.activatedAt() != null) {
            metrics.policyPropagation(Duration.between(a.activatedAt(), at));
        }
        DecisionRecorder.PolicyApplied applied = new DecisionRecorder.PolicyApplied(
                node.name(), a.number(), a.policy().version(), a.activatedAt(), at);
        enforcement
                .recordPolicyApplied(applied)
                .thenAcceptAsync(
                        logSize -> {
                            unreported.add(new PolicyApplication(
                                    node.name(), a.number(), a.policy().version(), at, logSize));
                            report();
                        },
                        threads);
    }

    /** Writes the applications not yet in the store, oldest first; stops at the first failure. */
    private synchronized void report() {
        PolicyApplication next;
        while ((next = unreported.peek()) != null) {
            try {
                store.fleet().applied(next);
                unreported.remove();
            } catch (RuntimeException e) {
                LOG.warn(
                        "policy version {} is in force here but cannot be recorded in the store yet ({}); will retry",
                        next.policyNumber(),
                        e.toString());
                return;
            }
        }
    }

    private void beat() {
        try {
            store.fleet().heartbeat(node.name());
            report();
            view();
            if (heartbeatFailing) {
                LOG.info("heartbeat recorded in the store again");
                heartbeatFailing = false;
            }
        } catch (RuntimeException e) {
            if (!heartbeatFailing) {
                LOG.error("cannot record this node's heartbeat in the store: {}", e.toString());
                heartbeatFailing = true;
            }
        }
    }

    /** Says when this node stops or starts confirming its policy; no I/O, so it never waits on the store. */
    private void watch() {
        boolean confirmed = confirmation.confirmed();
        long now = System.nanoTime();
        if (wasConfirmed && !confirmed) {
            lastReminder = now;
            if (confirmation.serveCached()) {
                LOG.error(
                        "POLICY UNCONFIRMED for {}: the store cannot be read; serving from the cached policy and"
                                + " keys anyway (store.on_unreachable: serve-cached)",
                        confirmation.age());
            } else {
                LOG.error(
                        "policy unconfirmed for {} (the bound is {}): the store cannot be read, so this node"
                                + " refuses model calls (503) and reports not ready until it can",
                        confirmation.age(),
                        confirmation.maxStaleness());
            }
        } else if (!wasConfirmed && confirmed) {
            LOG.info("policy confirmed with the store again: serving");
        } else if (!confirmed && confirmation.serveCached() && now - lastReminder >= SERVE_CACHED_REMINDER.toNanos()) {
            lastReminder = now;
            LOG.error(
                    "STILL SERVING UNCONFIRMED: policy last confirmed {} ago (store.on_unreachable: serve-cached)",
                    confirmation.age());
        }
        wasConfirmed = confirmed;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
