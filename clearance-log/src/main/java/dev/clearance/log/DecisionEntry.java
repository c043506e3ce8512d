package dev.clearance.log;

import dev.clearance.core.Decision;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The log entry of one decision. Its canonical JSON has these fields in this order:
 * {@code id} (the {@code clearance-decision-id}), {@code time}, {@code node}, {@code principal}
 * (id), {@code principal_facts} (the principal's facts the decision was made on, or {@code null}
 * for an unknown principal), {@code request} ({@code model}, {@code capabilities}, {@code country},
 * {@code ip}, {@code endpoint}), {@code decision} ({@code allow}/{@code deny}), {@code directives},
 * {@code shadow}, {@code errors}, {@code policy_version}.
 *
 * <p>The facts are written in full rather than hashed, so an auditor can answer "was this caller a
 * U.S. person when it was allowed?" from the log alone.
 *
 * @param principal the principal the decision used, or {@code null} when the caller was unknown
 */
public record DecisionEntry(String node, Request request, Principal principal, Decision decision) implements LogEntry {
    public DecisionEntry {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(decision, "decision");
    }

    /** The entry of {@code decision}, made on {@code node} for {@code request} about {@code principal} (null = unknown). */
    public static DecisionEntry of(String node, Request request, Principal principal, Decision decision) {
        return new DecisionEntry(node, request, principal, decision);
    }

    /** The entry of a decision made on cached facts ({@code DecisionPoint.decide(policy, facts, request)}); null facts = unknown principal. */
    public static DecisionEntry of(String node, Request request, PrincipalFacts facts, Decision decision) {
        return new DecisionEntry(node, request, facts == null ? null : facts.principal(), decision);
    }

    @Override
    public Instant time() {
        return request.time();
    }

    @Override
    public String toJson() {
        CanonicalJson j = new CanonicalJson()
                .begin()
                .string("id", decision.id())
                .string("time", request.time().toString())
                .string("node", node)
                .string("principal", request.principal());
        if (principal == null) {
            j.nullField("principal_facts");
        } else {
            facts(j.object("principal_facts"), principal).end();
        }
        j.object("request")
                .string("model", request.model())
                .strings("capabilities", request.capabilities())
                .string("country", request.country())
                .string("ip", request.ip())
                .string("endpoint", request.endpoint())
                .end();
        return j.string("decision", decision.outcome().wireName())
                .strings("directives", decision.directives())
                .strings("shadow", decision.shadow())
                .strings("errors", decision.errors())
                .string("policy_version", nz(decision.policyVersion()))
                .end()
                .toString();
    }

    private static CanonicalJson facts(CanonicalJson j, Principal p) {
        j.string("kind", p.kind().wireName())
                .bool("us_person", p.usPerson())
                .strings("citizenships", p.citizenships())
                .string("lawful_permanent_resident_of", p.lawfulPermanentResidentOf())
                .bool("protected_individual", p.protectedIndividual())
                .string("residence_country", p.residenceCountry())
                .string("incorporated_in", p.incorporatedIn())
                .string("organization", p.organization())
                .number("identity_assurance", p.identityAssurance())
                .strings("licenses", p.licenses().stream().map(License::id).toList());
        screening(j.object("screening"), p.screening());
        screening(j.object("organization_screening"), p.organizationScreening());
        j.object("attributes");
        new TreeMap<>(p.attributes()).forEach(j::string); // sorted: a map's order must not change the bytes
        return j.end();
    }

    private static void screening(CanonicalJson j, Screening s) {
        j.string("status", s.status()).strings("lists", List.copyOf(s.lists())).end();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
