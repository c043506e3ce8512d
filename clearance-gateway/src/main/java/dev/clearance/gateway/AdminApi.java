package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.core.Problem;
import dev.clearance.core.Request;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.IssuedKey;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import dev.clearance.store.StoredPrincipal;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, on its own listener, every call behind the admin token. The handlers are thin: they
 * parse with the core's parsers, decide with the core's decision point, and write through the
 * {@link Store}, exactly as the CLI does; then they swap the active policy or forget cached callers.
 */
final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final byte[] token;
    private static final String ACTOR = "admin-api";

    private final Store store;
    private final Callers callers;
    private final ActivePolicy policy;
    private final LiveStreams streams;
    private final DecisionRecorder recorder;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final BooleanSupplier storeFollowed;
    // Directive changes are read-modify-write of the whole set: one at a time.
    private final Object directiveLock = new Object();

    AdminApi(
            String token,
            Store store,
            Callers callers,
            ActivePolicy policy,
            LiveStreams streams,
            DecisionRecorder recorder,
            GatewayMetrics metrics,
            Clock clock,
            BooleanSupplier storeFollowed) {
        this.storeFollowed = storeFollowed;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.store = store;
        this.callers = callers;
        this.policy = policy;
        this.streams = streams;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clock = clock;
    }

    void route(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            if (authorized(req)) {
                chain.proceed();
            } else {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                error(res, 401, "missing or wrong admin token: send 'Authorization: Bearer <admin token>'");
            }
        });
        routing.error(StoreException.class, (req, res, e) -> {
            LOG.error(
                    "admin call {} {} failed in the store",
                    req.prologue().method().text(),
                    req.path().path(),
                    e);
            error(res, 503, "the store could not complete the change: " + e.getMessage());
        });
        routing.post("/admin/v1/principals", this::putPrincipal)
                .get("/admin/v1/principals/{id}", this::getPrincipal)
                .delete("/admin/v1/principals/{id}", this::deletePrincipal)
                .post("/admin/v1/keys", this::issueKey)
                .delete("/admin/v1/keys/{prefix}", this::revokeKey)
                .put("/admin/v1/directives/{id}", this::putDirective)
                .delete("/admin/v1/directives/{id}", this::withdrawDirective)
                .get("/admin/v1/policy", this::showPolicy)
                .post("/admin/v1/decide", this::decide)
                .get("/health", (req, res) -> json(res, 200, "{\"status\":\"UP\"}"))
                .get("/ready", (req, res) -> {
                    // Not ready while the change feed is unreadable: this node may be missing a newer policy.
                    boolean ready = storeFollowed.getAsBoolean();
                    json(
                            res,
                            ready ? 200 : 503,
                            "{\"status\":\"" + (ready ? "READY" : "STORE_UNREACHABLE") + "\",\"policy_version\":\""
                                    + policy.current().version() + "\"}");
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(metrics.scrape());
                });
    }

    /** Constant-time comparison: the time taken says nothing about how much of the token matched. */
    private boolean authorized(ServerRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private void putPrincipal(ServerRequest req, ServerResponse res) {
        Principal p;
        try {
            p = Json.principal(body(req), "request body", 1);
        } catch (PolicyException e) {
            problems(res, e.problems());
            return;
        }
        store.principals().put(p, ACTOR);
        principalsChanged();
        json(res, 200, Json.writePrincipal(p));
    }

    private void getPrincipal(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        store.principals()
                .get(id)
                .map(StoredPrincipal::principal)
                .ifPresentOrElse(
                        p -> json(res, 200, Json.writePrincipal(p)),
                        () -> error(res, 404, "no principal '" + id + "'"));
    }

    private void deletePrincipal(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!store.principals().delete(id, ACTOR)) {
            error(res, 404, "no principal '" + id + "'");
            return;
        }
        principalsChanged();
        res.status(Status.NO_CONTENT_204).send();
    }

    private void issueKey(ServerRequest req, ServerResponse res) {
        JsonNode body = jsonBody(req, res);
        if (body == null) {
            return;
        }
        JsonNode principal = body.get("principal");
        if (principal == null || !principal.isTextual() || principal.asText().isBlank()) {
            error(res, 400, "request body: field \"principal\" (string) is required, e.g. {\"principal\": \"alice\"}");
            return;
        }
        IssuedKey key;
        try {
            key = store.keys().create(principal.asText(), ACTOR);
        } catch (StoreException.NotFound e) {
            error(
                    res,
                    404,
                    "no principal '" + principal.asText() + "': create it first with POST /admin/v1/principals");
            return;
        }
        json(res, 201, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("key", key.key());
            g.writeStringField("prefix", key.info().prefix());
            g.writeStringField("principal", key.info().principalId());
            g.writeEndObject();
        }));
    }

    private void revokeKey(ServerRequest req, ServerResponse res) {
        String prefix = req.path().pathParameters().get("prefix");
        try {
            store.keys().revoke(prefix, ACTOR);
        } catch (StoreException.NotFound e) {
            error(res, 404, "no key with prefix '" + prefix + "'");
            return;
        }
        callers.forget();
        res.status(Status.NO_CONTENT_204).send();
    }

    private void putDirective(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        String file = "directive " + id;
        String text = body(req);
        synchronized (directiveLock) {
            Policy next;
            Directive directive;
            try {
                // YAML 1.2 reads JSON too: one parser for both bodies, with the same located errors.
                List<Directive> parsed = DirectiveParser.parse(file, text);
                if (parsed.size() != 1) {
                    throw new PolicyException(
                            new Problem(file, 1, 1, "expected exactly one directive, found " + parsed.size()));
                }
                directive = parsed.get(0);
                if (!directive.id().equals(id)) {
                    throw new PolicyException(new Problem(
                            file,
                            directive.source().line(),
                            directive.source().column(),
                            "id: the body's id '" + directive.id() + "' differs from the path's '" + id + "'"));
                }
                next = Policy.compile(StoredPolicy.withChanges(policy.current().directives(), List.of(directive)));
            } catch (PolicyException e) {
                problems(res, e.problems());
                return;
            }
            long number = activate(next, "PUT /admin/v1/directives/" + id);
            recordChange(DecisionRecorder.PolicyChange.Kind.UPLOADED, id, "PUT /admin/v1/directives/" + id, next);
            policy.advance(number, next);
            LOG.info("directive {} stored; policy version {}", id, next.version());
            json(res, 200, versionBody(id, next));
        }
    }

    private void withdrawDirective(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        synchronized (directiveLock) {
            Policy current = policy.current();
            if (current.directive(id).isEmpty()) {
                error(res, 404, "no directive '" + id + "' in the active policy");
                return;
            }
            Policy next;
            try {
                next = Policy.compile(StoredPolicy.without(current.directives(), id));
            } catch (PolicyException e) {
                // The rest compiled before, together: this would be a core bug, not the caller's.
                throw new IllegalStateException("remaining directives no longer compile: " + e.getMessage(), e);
            }
            long number = activate(next, "DELETE /admin/v1/directives/" + id);
            recordChange(DecisionRecorder.PolicyChange.Kind.WITHDRAWN, id, "DELETE /admin/v1/directives/" + id, next);
            policy.advance(number, next);
            LOG.info("directive {} withdrawn; policy version {}", id, next.version());
            json(res, 200, versionBody(id, next));
        }
    }

    private void showPolicy(ServerRequest req, ServerResponse res) {
        Policy p = policy.current();
        json(res, 200, Json.write(g -> {
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

    /** One request per line in, one decision per line out: the JSON of {@code clearance decide}. */
    private void decide(ServerRequest req, ServerResponse res) {
        String[] lines = body(req).split("\n");
        Policy snapshot = policy.current();
        List<Request> requests = new ArrayList<>();
        int number = 0;
        try {
            for (String line : lines) {
                number++;
                if (!line.isBlank()) {
                    Request r = Json.request(line, "request body", number, clock::instant);
                    requests.add(r.id().isEmpty() ? r.withId(dev.clearance.core.DecisionIds.next()) : r);
                }
            }
        } catch (PolicyException e) {
            problems(res, e.problems());
            return;
        }
        if (requests.isEmpty()) {
            error(
                    res,
                    400,
                    "request body: expected one request per line, e.g. {\"principal\":\"alice\",\"model\":\"frontier-x\"}");
            return;
        }
        StringBuilder out = new StringBuilder();
        for (Request r : requests) {
            Callers.Resolved caller = callers.resolve(r.principal());
            Decision d = DecisionPoint.decide(snapshot, caller.facts(), r);
            metrics.decision(d);
            try {
                // Another enforcement point acts on this answer: it is recorded before it is given.
                recorder.record(r, caller.principal(), d).toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.error("decision {} could not be recorded", d.id(), e);
                error(res, 500, "decision " + d.id() + " could not be recorded; no decision is given");
                return;
            }
            out.append(Json.decision(d)).append('\n');
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(out.toString());
    }

    /** Stores the new policy version (already compiled, so valid) before it is put in force. */
    private long activate(Policy next, String reason) {
        return store.policies()
                .activate(
                        policy.number(),
                        next.directives().stream().map(DirectiveText::of).toList(),
                        next.version(),
                        ACTOR,
                        reason)
                .number();
    }

    /**
     * The change goes to the log before the policy is swapped in here; the store already holds the new
     * policy (other nodes will apply it), so a log failure is reported loudly but does not stop the swap.
     */
    private void recordChange(DecisionRecorder.PolicyChange.Kind kind, String id, String why, Policy next) {
        try {
            recorder.recordPolicyChange(
                            new DecisionRecorder.PolicyChange(kind, id, ACTOR, why, next.version(), clock.instant()))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error(
                    "policy change {} {} (version {}) could not be recorded in the decision log",
                    kind,
                    id,
                    next.version(),
                    e);
        }
    }

    private void principalsChanged() {
        callers.forget();
        streams.redecideAll();
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

    private static String body(ServerRequest req) {
        return req.content().hasEntity() ? req.content().as(String.class) : "";
    }

    private static JsonNode jsonBody(ServerRequest req, ServerResponse res) {
        try {
            JsonNode n = Json.mapper().readTree(body(req));
            if (n == null || !n.isObject()) {
                error(res, 400, "request body: expected a JSON object");
                return null;
            }
            return n;
        } catch (IOException e) {
            error(
                    res,
                    400,
                    "request body: malformed JSON: "
                            + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    private static void problems(ServerResponse res, List<Problem> problems) {
        json(res, 400, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField(
                    "error",
                    problems.isEmpty() ? "invalid input" : problems.get(0).toString());
            Json.stringArray(
                    g, "problems", problems.stream().map(Problem::toString).toList());
            g.writeEndObject();
        }));
    }

    private static void error(ServerResponse res, int status, String message) {
        json(res, status, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        }));
    }

    private static void json(ServerResponse res, int status, String body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
