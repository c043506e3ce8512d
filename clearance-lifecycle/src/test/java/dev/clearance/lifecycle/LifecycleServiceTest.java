package dev.clearance.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Decision;
import dev.clearance.core.PolicyException;
import dev.clearance.store.DirectiveEvent;
import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleServiceTest {
    static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    @TempDir
    Path tmp;

    Store store;
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void open() {
        store = Store.open("jdbc:sqlite:" + tmp.resolve("clearance.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    LifecycleService service(boolean twoPersonRule) {
        return new LifecycleService(store, new LifecycleRules(twoPersonRule), clock, "test-node");
    }

    static String directive(String id, String from, String appliesTo, String mode) {
        return """
                id: %s
                title: Frontier models for U.S. persons only
                effective_from: %s
                scope:
                  models: ["frontier-*"]
                applies_to: "%s"
                mode: %s
                """.formatted(id, from, appliesTo, mode);
    }

    /** d1@1, effective 2026-11-26T14:00Z (after T0): proposed by ann, approved by bob, and activated by bob, so scheduled. */
    static LifecycleService.Activation scheduledForTwoPm(LifecycleService lc) throws Exception {
        lc.propose(
                "d.yaml",
                directive("d1", "2026-11-26T14:00:00Z", "!principal.us_person", "enforce"),
                "ann",
                "effective 14:00");
        lc.approve("d1", 1, "bob", "ok");
        return lc.activate("d1", 1, "bob", "as ordered");
    }

    @Test
    void a_directive_moves_from_draft_through_approval_to_active_and_out_with_who_and_why_on_every_step()
            throws Exception {
        LifecycleService lc = service(true);
        DirectiveVersion v1 = lc.propose(
                "d.yaml",
                directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "enforce"),
                "ann",
                "Directive 2026-017 received");
        assertThat(v1.status()).isEqualTo(DirectiveStatus.DRAFT);
        assertThat(lc.approve("d1", 1, "bob", "impact reviewed").status()).isEqualTo(DirectiveStatus.APPROVED);
        LifecycleService.Activation a = lc.activate("d1", 1, "bob", "enforce from now");
        assertThat(a).isInstanceOf(LifecycleService.Activation.Activated.class);
        PolicyVersion p = ((LifecycleService.Activation.Activated) a).policy();
        assertThat(p.directives()).extracting(DirectiveVersion::label).containsExactly("d1@1");
        assertThat(store.directives().get("d1", 1).orElseThrow().status()).isEqualTo(DirectiveStatus.ACTIVE);

        Optional<PolicyVersion> after = lc.withdraw("d1", 1, "carol", "order rescinded");
        assertThat(after.orElseThrow().directives()).isEmpty();
        assertThat(store.directives().get("d1", 1).orElseThrow().status()).isEqualTo(DirectiveStatus.WITHDRAWN);
        List<DirectiveEvent> h = store.directives().history("d1");
        assertThat(h)
                .extracting(DirectiveEvent::to)
                .containsExactly(
                        DirectiveStatus.DRAFT,
                        DirectiveStatus.APPROVED,
                        DirectiveStatus.ACTIVE,
                        DirectiveStatus.WITHDRAWN);
        assertThat(h).extracting(DirectiveEvent::actor).containsExactly("ann", "bob", "bob", "carol");
        assertThat(h.get(3).reason()).isEqualTo("order rescinded");
    }

    @Test
    void every_step_taken_by_any_process_is_handed_on_once_as_a_decision_log_policy_change_entry() throws Exception {
        LifecycleService cli = service(true); // takes the steps, writes no log (as the CLI)
        List<dev.clearance.record.PolicyChangeEntry> steps = new java.util.ArrayList<>();
        LifecycleService serving = service(true).recordStepsTo(steps::add);
        cli.propose(
                "d.yaml", directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "shadow"), "ann", "received");
        cli.approve("d1", 1, "bob", "reviewed");
        PolicyVersion p =
                ((LifecycleService.Activation.Activated) cli.activate("d1", 1, "bob", "shadow first")).policy();
        PolicyVersion after = cli.withdraw("d1", 1, "carol", "rescinded").orElseThrow();

        assertThat(serving.recordSteps()).isEqualTo(4);
        assertThat(serving.recordSteps()).isZero();
        assertThat(steps)
                .extracting(dev.clearance.record.PolicyChangeEntry::step)
                .containsExactly("(new)->draft", "draft->approved", "approved->active", "active->withdrawn");
        assertThat(steps)
                .extracting(dev.clearance.record.PolicyChangeEntry::by)
                .containsExactly("ann", "bob", "bob", "carol");
        assertThat(steps).allSatisfy(e -> assertThat(e.directives()).containsExactly("d1@1"));
        assertThat(steps.get(1).policyVersion()).isEmpty(); // nothing in force yet
        assertThat(steps.get(2).policyVersion()).isEqualTo(p.contentHash());
        assertThat(steps.get(3).policyVersion()).isEqualTo(after.contentHash());
        assertThat(steps.get(2).toJson()).contains("\"why\":\"shadow first\"").contains("\"node\":\"test-node\"");
    }

    @Test
    void scheduling_and_cancelling_are_steps_on_the_record_too() throws Exception {
        LifecycleService cli = service(true);
        List<dev.clearance.record.PolicyChangeEntry> steps = new java.util.ArrayList<>();
        LifecycleService serving = service(true).recordStepsTo(steps::add);
        // The store stamps status changes with the system clock; the schedule with the service's: keep them in step.
        Instant due =
                Instant.now().plus(java.time.Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        cli.propose("d.yaml", directive("d1", due.toString(), "!principal.us_person", "enforce"), "ann", "r");
        cli.approve("d1", 1, "bob", "ok");
        now.set(Instant.now());
        cli.activate("d1", 1, "bob", "as ordered");
        now.set(Instant.now());
        cli.withdraw("d1", 1, "carol", "not needed");

        serving.recordSteps();

        assertThat(steps)
                .extracting(dev.clearance.record.PolicyChangeEntry::step)
                .containsExactly(
                        "(new)->draft",
                        "draft->approved",
                        "approved->scheduled for " + due,
                        "scheduled->cancelled",
                        "approved->withdrawn");
        assertThat(steps.get(2).by()).isEqualTo("bob");
        assertThat(steps.get(2).why()).isEqualTo("as ordered");
        assertThat(steps.get(3).by()).isEqualTo("carol");
    }

    @Test
    void a_step_whose_record_fails_is_handed_on_again_next_time() throws Exception {
        LifecycleService cli = service(false);
        cli.propose("d.yaml", directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "shadow"), "ann", "r");
        List<String> recorded = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean logDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        LifecycleService serving = service(false).recordStepsTo(e -> {
            if (logDown.get()) {
                throw new IllegalStateException("log unavailable");
            }
            recorded.add(e.step());
        });

        assertThatThrownBy(serving::recordSteps).hasMessageContaining("log unavailable");
        logDown.set(false);

        assertThat(serving.recordSteps()).isEqualTo(1);
        assertThat(recorded).containsExactly("(new)->draft");
    }

    @Test
    void the_two_person_rule_refuses_an_author_approving_their_own_directive() throws Exception {
        LifecycleService lc = service(true);
        lc.propose(
                "d.yaml", directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "enforce"), "ann", "draft");
        assertThatThrownBy(() -> lc.approve("d1", 1, "ann", "looks fine"))
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("two-person rule");
        assertThat(store.directives().get("d1", 1).orElseThrow().status()).isEqualTo(DirectiveStatus.DRAFT);
    }

    @Test
    void without_the_two_person_rule_an_author_may_approve() throws Exception {
        LifecycleService lc = service(false);
        lc.propose(
                "d.yaml", directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "enforce"), "ann", "draft");
        assertThat(lc.approve("d1", 1, "ann", "sole officer").approver()).isEqualTo("ann");
    }

    @Test
    void a_draft_cannot_be_activated_before_it_is_approved() throws Exception {
        LifecycleService lc = service(true);
        lc.propose(
                "d.yaml", directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "enforce"), "ann", "draft");
        assertThatThrownBy(() -> lc.activate("d1", 1, "ann", "now"))
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("approve it first");
        assertThat(store.policies().active()).isEmpty();
    }

    @Test
    void a_proposal_that_does_not_compile_is_rejected_with_its_location_and_nothing_is_stored() {
        LifecycleService lc = service(true);
        assertThatThrownBy(() -> lc.propose(
                        "bad.yaml",
                        directive("d1", "2026-01-01T00:00:00Z", "principal.nationality == 'CN'", "enforce"),
                        "ann",
                        "draft"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("bad.yaml:");
        assertThat(store.directives().versions("d1")).isEmpty();
    }

    @Test
    void a_future_effective_from_is_scheduled_and_activates_by_itself_once_due() throws Exception {
        LifecycleService lc = service(true);
        LifecycleService.Activation a = scheduledForTwoPm(lc);
        assertThat(a)
                .isEqualTo(new LifecycleService.Activation.Scheduled(
                        store.directives().get("d1", 1).orElseThrow(), Instant.parse("2026-11-26T14:00:00Z")));
        assertThat(store.policies().active()).isEmpty();

        now.set(Instant.parse("2026-11-26T13:59:59Z"));
        assertThat(lc.activateDue()).isEmpty();
        assertThat(store.directives().get("d1", 1).orElseThrow().status()).isEqualTo(DirectiveStatus.APPROVED);

        now.set(Instant.parse("2026-11-26T14:00:00Z"));
        List<PolicyVersion> activated = lc.activateDue();
        assertThat(activated).hasSize(1);
        assertThat(store.policies().active().orElseThrow().directives())
                .extracting(DirectiveVersion::label)
                .containsExactly("d1@1");
        assertThat(lc.schedule()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("activated");
            assertThat(s.claimedBy()).isEqualTo("test-node");
            assertThat(s.policyNumber()).isEqualTo(activated.get(0).number());
        });
        assertThat(lc.activateDue()).as("activates once").isEmpty();
    }

    @Test
    void a_due_activation_claimed_by_a_node_that_died_is_claimed_again_once_its_lease_lapses() throws Exception {
        LifecycleService lc = service(true);
        scheduledForTwoPm(lc);
        Instant due = Instant.parse("2026-11-26T14:00:00Z");
        now.set(due);
        // Another node claims it, then dies before activating it.
        assertThat(new ActivationSchedule(store.database(), clock, "gw-dead")
                        .claim(lc.schedule().get(0)))
                .isTrue();

        now.set(due.plus(ActivationSchedule.LEASE).minusSeconds(1));
        assertThat(lc.activateDue()).as("the dead node's lease still holds").isEmpty();
        assertThat(store.policies().active()).isEmpty();

        now.set(due.plus(ActivationSchedule.LEASE));
        List<PolicyVersion> activated = lc.activateDue();

        assertThat(activated).hasSize(1);
        assertThat(lc.schedule()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("activated");
            assertThat(s.claimedBy()).isEqualTo("test-node");
        });
        assertThat(lc.activateDue()).as("activates once").isEmpty();
    }

    @Test
    void a_live_claim_is_not_taken_over_and_two_nodes_claiming_at_once_get_it_once() throws Exception {
        LifecycleService lc = service(true);
        scheduledForTwoPm(lc);
        now.set(Instant.parse("2026-11-26T14:00:00Z"));
        ScheduledActivation row = lc.schedule().get(0);

        assertThat(new ActivationSchedule(store.database(), clock, "gw-1").claim(row))
                .isTrue();
        // gw-2 read the same pending row: its claim no longer matches it.
        assertThat(new ActivationSchedule(store.database(), clock, "gw-2").claim(row))
                .isFalse();
        assertThat(lc.schedule().get(0).claimedBy()).isEqualTo("gw-1");
        assertThat(lc.schedule().get(0).claimedUntil()).isEqualTo(now.get().plus(ActivationSchedule.LEASE));
    }

    @Test
    void the_scheduler_thread_activates_a_due_version() throws Exception {
        LifecycleService lc = service(true);
        scheduledForTwoPm(lc);
        now.set(Instant.parse("2026-11-26T14:00:01Z"));
        lc.start(java.time.Duration.ofMillis(20), e -> {});
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (store.policies().active().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            lc.close();
        }
        assertThat(store.policies().active().orElseThrow().directives())
                .extracting(DirectiveVersion::label)
                .containsExactly("d1@1");
    }

    @Test
    void withdrawing_a_scheduled_version_cancels_its_activation() throws Exception {
        LifecycleService lc = service(true);
        scheduledForTwoPm(lc);
        assertThat(lc.withdraw("d1", 1, "carol", "order rescinded before it took effect"))
                .isEmpty();
        now.set(Instant.parse("2026-11-26T15:00:00Z"));
        assertThat(lc.activateDue()).isEmpty();
        assertThat(lc.schedule())
                .singleElement()
                .extracting(ScheduledActivation::state)
                .isEqualTo("cancelled");
        assertThat(store.policies().active()).isEmpty();
    }

    @Test
    void an_amendment_replaces_the_active_version_of_the_same_directive() throws Exception {
        LifecycleService lc = service(true);
        lc.propose(
                "d.yaml",
                directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "shadow"),
                "ann",
                "shadow first");
        lc.approve("d1", 1, "bob", "ok");
        lc.activate("d1", 1, "bob", "shadow");
        lc.propose(
                "d.yaml",
                directive("d1", "2026-01-01T00:00:00Z", "!principal.us_person", "enforce"),
                "ann",
                "promote to enforce");
        lc.approve("d1", 2, "bob", "shadow evidence reviewed");
        PolicyVersion p = ((LifecycleService.Activation.Activated) lc.activate("d1", 2, "bob", "enforce")).policy();
        assertThat(p.directives()).extracting(DirectiveVersion::label).containsExactly("d1@2");
        assertThat(store.directives().get("d1", 1).orElseThrow().status()).isEqualTo(DirectiveStatus.WITHDRAWN);
    }

    @Test
    void shadow_hits_are_counted_per_directive_hour_and_policy_version() {
        LifecycleService lc = service(true);
        ShadowCounter c = lc.shadowCounter();
        Decision hit = new Decision("r1", Decision.Outcome.ALLOW, List.of(), List.of("d5"), List.of(), "", "sha256:p1");
        Decision none = new Decision("r2", Decision.Outcome.ALLOW, List.of(), List.of(), List.of(), "", "sha256:p1");
        c.observe(hit);
        c.observe(hit);
        c.observe(none);
        c.flush();
        c.observe(hit);
        now.set(T0.plusSeconds(3600));
        c.observe(hit);
        c.flush();
        assertThat(c.hits("d5"))
                .containsExactly(
                        new ShadowCounter.Hits("d5", "sha256:p1", T0, 3),
                        new ShadowCounter.Hits("d5", "sha256:p1", T0.plusSeconds(3600), 1));
        assertThat(c.hits("other")).isEmpty();
    }
}
