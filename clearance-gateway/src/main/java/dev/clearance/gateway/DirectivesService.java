package dev.clearance.gateway;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/v1/directives/{id}} and {@code /admin/v1/policy}: upload or withdraw one directive, and
 * show the policy in force. A change derives the next policy from the active one, compiles it (an
 * invalid one changes nothing), and activates it in the store only if the version it was derived from
 * is still the active one (compare-and-set). When another node or the CLI activated first, the change
 * is derived again from the new active policy and retried, so two administrators changing different
 * directives on two nodes at once both see their change in force; {@value #ATTEMPTS} refusals in a row
 * answer 409 ({@link StoreException.PolicyConflict}). The change is recorded in the decision log and
 * only then put in force here, which re-decides the calls in flight.
 */
final class DirectivesService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(DirectivesService.class);
    /** How many times a change is derived and tried before the conflict is the caller's to resolve. */
    static final int ATTEMPTS = 5;

    private final Store store;
    private final ActivePolicy policy;
    private final Enforcement enforcement;
    private final Clock clock;
    // Changes made through this node go one at a time; changes elsewhere are caught by compare-and-set.
    private final Object lock = new Object();

    DirectivesService(Store store, ActivePolicy policy, Enforcement enforcement, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.enforcement = enforcement;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/directives/{id}", this::put)
                .delete("/directives/{id}", this::withdraw)
                .get("/policy", this::show);
    }

    /** How a change makes the next directive set from the active one. */
    @FunctionalInterface
    private interface Derivation {
        List<Directive> from(Policy active) throws PolicyException;
    }

    private void put(ServerRequest req, ServerResponse res) throws PolicyException {
        String id = req.path().pathParameters().get("id");
        Directive directive = parseOne(id, AdminJson.text(req));
        Policy next = change(
                DecisionRecorder.PolicyChange.Kind.UPLOADED,
                id,
                "PUT /admin/v1/directives/" + id,
                active -> StoredPolicy.withChanges(active.directives(), List.of(directive)));
        LOG.info("directive {} stored; policy version {}", id, next.version());
        AdminJson.send(res, 200, versionBody(id, next));
    }

    private void withdraw(ServerRequest req, ServerResponse res) throws PolicyException {
        String id = req.path().pathParameters().get("id");
        Policy next = change(
                DecisionRecorder.PolicyChange.Kind.WITHDRAWN, id, "DELETE /admin/v1/directives/" + id, active -> {
                    if (active.directive(id).isEmpty()) {
                        throw new StoreException.NotFound("no directive '" + id + "' in the active policy");
                    }
                    return StoredPolicy.without(active.directives(), id);
                });
        LOG.info("directive {} withdrawn; policy version {}", id, next.version());
        AdminJson.send(res, 200, versionBody(id, next));
    }

    /** YAML 1.2 reads JSON too: one parser for both bodies, with the same located errors. */
    private static Directive parseOne(String id, String text) throws PolicyException {
        String file = "directive " + id;
        List<Directive> parsed = DirectiveParser.parse(file, text);
        if (parsed.size() != 1) {
            throw new PolicyException(
                    new Problem(file, 1, 1, "expected exactly one directive, found " + parsed.size()));
        }
        Directive directive = parsed.get(0);
        if (!directive.id().equals(id)) {
            throw new PolicyException(new Problem(
                    file,
                    directive.source().line(),
                    directive.source().column(),
                    "id: the body's id '" + directive.id() + "' differs from the path's '" + id + "'"));
        }
        return directive;
    }

    /**
     * Derives the next policy from the active one, activates it if that is still the active one (else
     * derives again from the new one), records the change, then puts it in force here. The store holds
     * it once activated (other nodes will apply it), so a log failure is reported loudly but does not
     * stop the swap.
     *
     * @throws StoreException.PolicyConflict when other activations came first {@value #ATTEMPTS} times
     */
    private Policy change(DecisionRecorder.PolicyChange.Kind kind, String id, String why, Derivation derivation)
            throws PolicyException {
        synchronized (lock) {
            // The policy in force here is usually the active one; the store refuses it if not.
            ActivePolicy.Applied base = policy.applied();
            for (int attempt = 1; ; attempt++) {
                Policy next = Policy.compile(derivation.from(base.policy()));
                try {
                    PolicyVersion stored = store.policies()
                            .activate(
                                    base.number(),
                                    next.directives().stream()
                                            .map(DirectiveText::of)
                                            .toList(),
                                    next.version(),
                                    AdminApi.ACTOR,
                                    why);
                    enforcement.recordPolicyChange(new DecisionRecorder.PolicyChange(
                            kind, id, AdminApi.ACTOR, why, next.version(), clock.instant()));
                    policy.advance(ActivePolicy.Applied.of(stored, next));
                    return next;
                } catch (StoreException.PolicyConflict e) {
                    if (attempt == ATTEMPTS) {
                        LOG.warn("{}: refused {} times, other changes kept coming first", why, ATTEMPTS);
                        throw e;
                    }
                    LOG.info(
                            "{}: policy version {} was activated meanwhile; deriving the change again",
                            why,
                            e.active());
                    base = activeFromStore();
                    // Writers that collided try again at different moments.
                    sleepQuietly(ThreadLocalRandom.current().nextInt(1, 10 * attempt));
                }
            }
        }
    }

    /** The active policy as the store has it now: this node's copy when it has that version already. */
    private ActivePolicy.Applied activeFromStore() {
        Optional<PolicyVersion> active = store.policies().active();
        ActivePolicy.Applied here = policy.applied();
        if (active.map(PolicyVersion::number).orElse(PolicyVersions.NONE) == here.number()) {
            return here;
        }
        return ActivePolicy.Applied.of(active.map(StoredPolicy::of));
    }

    private static void sleepQuietly(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void show(ServerRequest req, ServerResponse res) {
        Policy p = policy.current();
        AdminJson.send(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("version", p.version());
            g.writeArrayFieldStart("directives");
            for (Directive d : p.directives()) {
                g.writeStartObject();
                g.writeStringField("id", d.id());
                g.writeStringField("title", d.title());
                g.writeStringField("authority", d.authority());
                g.writeStringField("mode", d.mode().wireName());
                g.writeStringField("effective_from", d.effectiveFrom().toString());
                if (d.effectiveUntil() != null) {
                    g.writeStringField("effective_until", d.effectiveUntil().toString());
                }
                Json.stringArray(g, "models", d.models());
                Json.stringArray(g, "capabilities", d.capabilities());
                g.writeStringField("applies_to", d.appliesTo());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static String versionBody(String id, Policy p) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("directive", id);
            g.writeStringField("policy_version", p.version());
            g.writeNumberField("directives", p.directives().size());
            g.writeEndObject();
        });
    }
}
