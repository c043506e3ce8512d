package dev.clearance.gateway;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/v1/directives/{id}} and {@code /admin/v1/policy}: upload or withdraw one directive, and
 * show the policy in force. A change compiles the next policy (an invalid one changes nothing), stores
 * it as the active version, records it in the decision log, and only then puts it in force here, which
 * re-decides the calls in flight.
 */
final class DirectivesService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(DirectivesService.class);

    private final Store store;
    private final ActivePolicy policy;
    private final Enforcement enforcement;
    private final Clock clock;
    // Directive changes are read-modify-write of the whole set: one at a time.
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

    private void put(ServerRequest req, ServerResponse res) throws PolicyException {
        String id = req.path().pathParameters().get("id");
        Directive directive = parseOne(id, AdminJson.text(req));
        synchronized (lock) {
            Policy next =
                    Policy.compile(StoredPolicy.withChanges(policy.current().directives(), List.of(directive)));
            change(DecisionRecorder.PolicyChange.Kind.UPLOADED, id, "PUT /admin/v1/directives/" + id, next);
            LOG.info("directive {} stored; policy version {}", id, next.version());
            AdminJson.send(res, 200, versionBody(id, next));
        }
    }

    private void withdraw(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        synchronized (lock) {
            Policy current = policy.current();
            if (current.directive(id).isEmpty()) {
                throw new StoreException.NotFound("no directive '" + id + "' in the active policy");
            }
            Policy next;
            try {
                next = Policy.compile(StoredPolicy.without(current.directives(), id));
            } catch (PolicyException e) {
                // The rest compiled before, together: this would be a core bug, not the caller's.
                throw new IllegalStateException("remaining directives no longer compile: " + e.getMessage(), e);
            }
            change(DecisionRecorder.PolicyChange.Kind.WITHDRAWN, id, "DELETE /admin/v1/directives/" + id, next);
            LOG.info("directive {} withdrawn; policy version {}", id, next.version());
            AdminJson.send(res, 200, versionBody(id, next));
        }
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
     * Stores the new policy version (already compiled, so valid), records the change, then puts it in
     * force here. The store already holds it (other nodes will apply it), so a log failure is reported
     * loudly but does not stop the swap.
     */
    private void change(DecisionRecorder.PolicyChange.Kind kind, String id, String why, Policy next) {
        store.policies()
                .activate(
                        next.directives().stream().map(DirectiveText::of).toList(),
                        next.version(),
                        AdminApi.ACTOR,
                        why);
        enforcement.recordPolicyChange(
                new DecisionRecorder.PolicyChange(kind, id, AdminApi.ACTOR, why, next.version(), clock.instant()));
        policy.replace(next);
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
