package dev.clearance.store;

import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which policy version is active and which version each node enforces, with how recently each was
 * seen: the answer to "has every node applied it?". Built from the store by {@link #of}, a pure
 * function of what the store holds and the time now; {@code GET /admin/v1/fleet} and
 * {@code clearance fleet status} both show it.
 *
 * @param policyNumber  the active policy version's number ({@link PolicyVersions#NONE} when there is none)
 * @param policyVersion its content hash (the empty policy's when there is none), as nodes report it
 */
public record FleetView(long policyNumber, String policyVersion, List<Member> nodes) {
    public FleetView {
        Objects.requireNonNull(policyVersion, "policyVersion");
        nodes = List.copyOf(nodes);
    }

    /** How recently a node was seen. */
    public enum Status {
        /** Seen within the stale threshold. */
        UP,
        /** Not seen for the stale threshold: it may be slow, partitioned or gone. */
        STALE,
        /** Not seen for the down threshold. */
        DOWN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The status of a node last seen {@code sinceSeen} ago (negative: clocks apart; counts as just seen). */
        public static Status of(Duration sinceSeen, Thresholds thresholds) {
            if (sinceSeen.compareTo(thresholds.downAfter()) >= 0) {
                return DOWN;
            }
            return sinceSeen.compareTo(thresholds.staleAfter()) >= 0 ? STALE : UP;
        }
    }

    /**
     * When a node counts as stale and as down.
     *
     * @param staleAfter not seen for this long: {@code stale} (default 3 s)
     * @param downAfter  not seen for this long: {@code down} (default 10 s); longer than {@code staleAfter}
     */
    public record Thresholds(Duration staleAfter, Duration downAfter) {
        public static final Thresholds DEFAULT = new Thresholds(Duration.ofSeconds(3), Duration.ofSeconds(10));

        public Thresholds {
            Objects.requireNonNull(staleAfter, "staleAfter");
            Objects.requireNonNull(downAfter, "downAfter");
            if (staleAfter.isNegative() || staleAfter.isZero() || downAfter.compareTo(staleAfter) <= 0) {
                throw new IllegalArgumentException(
                        "fleet thresholds: stale_after must be positive and down_after longer"
                                + " than it, got stale_after " + staleAfter + " and down_after " + downAfter);
            }
        }
    }

    /**
     * One node as the fleet view shows it.
     *
     * @param policyNumber  the policy number it enforces, empty before it recorded one
     * @param policyVersion the content hash it enforces, empty before it recorded one
     * @param appliedAt     when it put that version in force, null before it recorded one
     */
    public record Member(
            String node,
            Optional<Long> policyNumber,
            String policyVersion,
            Instant appliedAt,
            Instant lastSeen,
            Status status) {}

    /** The view of {@code nodes} when {@code active} is the policy in force, at {@code now}. */
    public static FleetView of(
            Optional<PolicyVersion> active, List<FleetNode> nodes, Instant now, Thresholds thresholds) {
        List<Member> members = nodes.stream()
                .map(n -> new Member(
                        n.node(),
                        n.applied().map(PolicyApplication::policyNumber),
                        n.applied().map(PolicyApplication::policyVersion).orElse(""),
                        n.applied().map(PolicyApplication::appliedAt).orElse(null),
                        n.lastSeen(),
                        Status.of(Duration.between(n.lastSeen(), now), thresholds)))
                .toList();
        return new FleetView(
                active.map(PolicyVersion::number).orElse(PolicyVersions.NONE),
                active.map(PolicyVersion::contentHash).orElse(Policy.empty().version()),
                members);
    }

    /** The view from what {@code store} holds now. */
    public static FleetView read(Store store, Instant now, Thresholds thresholds) {
        return of(store.policies().active(), store.fleet().nodes(), now, thresholds);
    }

    /** How many nodes have each status. */
    public long count(Status status) {
        return nodes.stream().filter(m -> m.status() == status).count();
    }

    /**
     * {@code {"policy_version", "policy_number", "nodes": [{"node", "policy_version", "policy_number",
     * "applied_at", "last_seen", "status"}]}}; times are ISO-8601, null before a node recorded a policy.
     */
    public String toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("policy_version", policyVersion);
            g.writeNumberField("policy_number", policyNumber);
            g.writeArrayFieldStart("nodes");
            for (Member m : nodes) {
                g.writeStartObject();
                g.writeStringField("node", m.node());
                g.writeStringField("policy_version", m.policyVersion());
                if (m.policyNumber().isPresent()) {
                    g.writeNumberField("policy_number", m.policyNumber().get());
                } else {
                    g.writeNullField("policy_number");
                }
                g.writeStringField(
                        "applied_at",
                        m.appliedAt() == null ? null : m.appliedAt().toString());
                g.writeStringField("last_seen", m.lastSeen().toString());
                g.writeStringField("status", m.status().wireName());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
