package dev.clearance.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.core.ContentClassification;
import dev.clearance.core.Decision;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The log entry of one decision. Its canonical JSON has these fields in this order:
 * {@code id} (the {@code clearance-decision-id}), {@code time}, {@code node}, {@code principal}
 * (id), {@code principal_facts} (the principal's facts the decision was made on, or {@code null}
 * for an unknown principal), {@code request} ({@code model}, {@code capabilities}, {@code country},
 * {@code ip}, {@code endpoint}), {@code decision} ({@code allow}/{@code deny}), {@code directives},
 * {@code shadow}, {@code errors}, {@code policy_version}, then, only for a decision that read the
 * content of the request or of the model's answer, {@code classification} (see {@link #classification()}),
 * and, only when the entry had to be shortened to fit the log, {@code truncated}: the paths of the
 * fields shortened (see {@link Shortening}). An entry without a classification has exactly the bytes
 * it had before the field existed.
 *
 * <p>The facts are written in full rather than hashed, so an auditor can answer "was this caller a
 * U.S. person when it was allowed?" from the log alone.
 *
 * @param principal the principal the decision used, or {@code null} when the caller was unknown
 * @param classification what the content classifier found in the request (or, for a stream cut, in
 *     the answer), or {@code null} when the content was not classified
 */
public record DecisionEntry(
        String node, Request request, Principal principal, Decision decision, ContentClassification classification)
        implements LogEntry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SCORE_SCALE = 10_000;

    public DecisionEntry {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(decision, "decision");
    }

    /** An entry of a decision that did not read the content. */
    public DecisionEntry(String node, Request request, Principal principal, Decision decision) {
        this(node, request, principal, decision, null);
    }

    /** The entry of {@code decision}, made on {@code node} for {@code request} about {@code principal} (null = unknown). */
    public static DecisionEntry of(String node, Request request, Principal principal, Decision decision) {
        return new DecisionEntry(node, request, principal, decision);
    }

    /** As {@link #of(String, Request, Principal, Decision)}, with what the content classifier found (null: not classified). */
    public static DecisionEntry of(
            String node,
            Request request,
            Principal principal,
            Decision decision,
            ContentClassification classification) {
        return new DecisionEntry(node, request, principal, decision, classification);
    }

    /** The entry of a decision made on cached facts ({@code DecisionPoint.decide(policy, facts, request)}); null facts = unknown principal. */
    public static DecisionEntry of(String node, Request request, PrincipalFacts facts, Decision decision) {
        return new DecisionEntry(node, request, facts == null ? null : facts.principal(), decision);
    }

    @Override
    public Instant time() {
        return request.time();
    }

    /**
     * The canonical JSON line. When it would exceed {@link #MAX_BYTES}, the fields the caller chose
     * are shortened first, and if that is not enough every field is; the entry then lists them in
     * {@code truncated}. An entry that fits is never shortened.
     */
    @Override
    public String toJson() {
        String whole = write(Shortening.none());
        if (fits(whole)) {
            return whole;
        }
        String callerShortened = write(Shortening.callerFields());
        return fits(callerShortened) ? callerShortened : write(Shortening.everyField());
    }

    private static boolean fits(String json) {
        // A UTF-16 unit is at most three UTF-8 bytes: most entries are measured without encoding them.
        return json.length() * 3L <= MAX_BYTES || json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    private String write(Shortening s) {
        CanonicalJson j = new CanonicalJson()
                .begin()
                .string("id", s.text("id", decision.id(), true))
                .instant("time", request.time())
                .string("node", s.text("node", node, false))
                .string("principal", s.text("principal", request.principal(), true));
        if (principal == null) {
            j.nullField("principal_facts");
        } else if (s.keepsEveryField()) {
            j.raw("principal_facts", WrittenFacts.of(principal));
        } else {
            facts(j.object("principal_facts"), principal, s).end();
        }
        j.object("request")
                .string("model", s.text("request.model", request.model(), true))
                .strings("capabilities", s.list("request.capabilities", request.capabilities(), true))
                .string("country", s.text("request.country", request.country(), true))
                .string("ip", s.text("request.ip", request.ip(), true))
                .string("endpoint", s.text("request.endpoint", request.endpoint(), true))
                .end();
        j.string("decision", decision.outcome().wireName())
                .strings("directives", s.list("directives", decision.directives(), false))
                .strings("shadow", s.list("shadow", decision.shadow(), false))
                // errors may quote what the caller sent
                .strings("errors", s.list("errors", decision.errors(), true))
                .string("policy_version", s.text("policy_version", nz(decision.policyVersion()), false));
        if (classification != null) {
            classification(j.object("classification"), classification, s).end();
        }
        List<String> shortened = s.shortened();
        if (!shortened.isEmpty()) {
            j.strings("truncated", shortened);
        }
        return j.end().toString();
    }

    private static CanonicalJson facts(CanonicalJson j, Principal p, Shortening s) {
        String f = "principal_facts.";
        j.string("kind", p.kind().wireName())
                .bool("us_person", p.usPerson())
                .strings("citizenships", s.list(f + "citizenships", p.citizenships(), false))
                .string(
                        "lawful_permanent_resident_of",
                        s.text(f + "lawful_permanent_resident_of", p.lawfulPermanentResidentOf(), false))
                .bool("protected_individual", p.protectedIndividual())
                .string("residence_country", s.text(f + "residence_country", p.residenceCountry(), false))
                .string("incorporated_in", s.text(f + "incorporated_in", p.incorporatedIn(), false))
                .string("organization", s.text(f + "organization", p.organization(), false))
                .number("identity_assurance", p.identityAssurance())
                .strings(
                        "licenses",
                        s.list(
                                f + "licenses",
                                p.licenses().stream().map(License::id).toList(),
                                false));
        screening(j.object("screening"), p.screening(), f + "screening", s);
        screening(j.object("organization_screening"), p.organizationScreening(), f + "organization_screening", s);
        // sorted: a map's order must not change the bytes
        j.object("attributes").strings(s.map(f + "attributes", new TreeMap<>(p.attributes()), false));
        return j.end();
    }

    /**
     * The {@code principal_facts} object of recent principals, written once: every call of a caller
     * writes the same facts until its record changes (and the gateway then decides on a new
     * {@link Principal}). Found by identity, which is exact because a principal is immutable all the
     * way down; a slot holds one principal, so a clash only writes the facts again. Bounded by the
     * slots, and a slot is read and replaced whole (its fields are final), so threads need no lock.
     */
    private record WrittenFacts(Principal principal, String json) {
        private static final WrittenFacts[] SLOTS = new WrittenFacts[1024];

        static String of(Principal p) {
            int slot = System.identityHashCode(p) & (SLOTS.length - 1);
            WrittenFacts w = SLOTS[slot];
            if (w != null && w.principal == p) {
                return w.json;
            }
            String json = facts(new CanonicalJson().begin(), p, Shortening.none())
                    .end()
                    .toString();
            SLOTS[slot] = new WrittenFacts(p, json);
            return json;
        }
    }

    /**
     * {@code classifier}, {@code version}, {@code read} ({@code request}/{@code answer}), {@code found}
     * (each capability with its score and threshold, rounded to four decimals, and the part that
     * triggered it), {@code assumed}, {@code skipped} ({@code "<part> <kind>"}), {@code complete},
     * {@code errors}. Part paths, kinds and errors may quote what the caller sent.
     */
    private static CanonicalJson classification(CanonicalJson j, ContentClassification c, Shortening s) {
        String f = "classification.";
        j.string("classifier", s.text(f + "classifier", c.classifier(), false))
                .string("version", s.text(f + "version", c.version(), false))
                .string("read", c.read().wireName())
                .array("found");
        for (ContentClassification.Finding x : c.findings()) {
            j.item()
                    .string("capability", s.text(f + "found.capability", x.capability(), false))
                    .decimal("score", Math.round(x.score() * SCORE_SCALE) / SCORE_SCALE)
                    .decimal("threshold", Math.round(x.threshold() * SCORE_SCALE) / SCORE_SCALE)
                    .string("part", s.text(f + "found.part", x.part(), true))
                    .string("role", x.role())
                    .number("start", x.start())
                    .number("end", x.end())
                    .end();
        }
        j.endArray()
                .strings("assumed", s.list(f + "assumed", c.assumed(), false))
                .strings(
                        "skipped",
                        s.list(
                                f + "skipped",
                                c.skipped().stream()
                                        .map(k -> k.part() + " " + k.kind())
                                        .toList(),
                                true))
                .bool("complete", c.complete())
                .strings("errors", s.list(f + "errors", c.errors(), true));
        return j;
    }

    private static void screening(CanonicalJson j, Screening sc, String path, Shortening s) {
        j.string("status", s.text(path + ".status", sc.status(), false))
                .strings("lists", s.list(path + ".lists", List.copyOf(sc.lists()), false))
                .end();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * The request a decision entry was made for, read back from the entry's bytes; empty for the
     * other kinds of entry (policy changes and screening reviews, including the reviews earlier
     * versions wrote as policy changes). A shortened field comes back as it was written.
     *
     * @throws IllegalArgumentException when the bytes are not an entry of the decision record
     */
    public static Optional<Request> readRequest(byte[] entry) {
        JsonNode n;
        try {
            n = JSON.readTree(entry);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (EntryKind.of(n) != EntryKind.DECISION) {
            return Optional.empty();
        }
        JsonNode req = n.get("request");
        if (!n.path("id").isTextual()
                || !n.path("time").isTextual()
                || !n.path("principal").isTextual()
                || req == null
                || !req.path("model").isTextual()) {
            throw new IllegalArgumentException("neither a decision, a policy change nor a screening review");
        }
        List<String> caps = new ArrayList<>();
        for (JsonNode c : req.path("capabilities")) {
            caps.add(c.asText());
        }
        try {
            return Optional.of(new Request(
                    n.get("id").asText(),
                    n.get("principal").asText(),
                    req.get("model").asText(),
                    caps,
                    Instant.parse(n.get("time").asText()),
                    req.path("country").asText(""),
                    req.path("ip").asText(""),
                    req.path("endpoint").asText("")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field 'time': " + e.getMessage(), e);
        }
    }
}
