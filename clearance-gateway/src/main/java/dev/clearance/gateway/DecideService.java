package dev.clearance.gateway;

import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.core.Request;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /admin/v1/decide}: one request per line in, one decision per line out, the JSON of
 * {@code clearance decide}. Another enforcement point acts on these answers, so each decision is made
 * and recorded by {@link Enforcement} exactly as a model call's is, and nothing is answered before
 * every record is accepted (an allowed decision whose record failed withholds the whole answer: 500).
 * A node that cannot confirm its policy answers 503 ({@link Confirmation}), as for model calls.
 */
record DecideService(
        ActivePolicy policy,
        Callers callers,
        Enforcement enforcement,
        DecisionIds ids,
        Clock clock,
        Confirmation confirmation)
        implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::decide);
    }

    private void decide(ServerRequest req, ServerResponse res) throws PolicyException {
        if (confirmation.refusing()) {
            // Another enforcement point would act on an answer from a policy this node cannot confirm.
            res.header(HeaderNames.RETRY_AFTER, Pipeline.RETRY_AFTER_SECONDS);
            AdminJson.error(
                    res,
                    503,
                    "this node has not confirmed its policy with the store for "
                            + confirmation.age().toSeconds() + " s; no decision is given");
            return;
        }
        List<Request> requests = parse(AdminJson.text(req));
        Policy snapshot = policy.current();
        List<Enforcement.Ruling> rulings = new ArrayList<>(requests.size());
        for (Request r : requests) {
            rulings.add(enforcement.decide(snapshot, callers.resolve(r.principal()), r));
        }
        StringBuilder out = new StringBuilder();
        for (Enforcement.Ruling ruling : rulings) {
            out.append(Json.decision(ruling.release())).append('\n');
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(out.toString());
    }

    /** Every request of the body, each with an id (a new decision id when the line gives none). */
    private List<Request> parse(String body) throws PolicyException {
        List<Request> requests = new ArrayList<>();
        int number = 0;
        for (String line : body.split("\n")) {
            number++;
            if (!line.isBlank()) {
                Request r = Json.request(line, AdminJson.BODY, number, clock::instant);
                requests.add(r.id().isEmpty() ? r.withId(ids.next()) : r);
            }
        }
        if (requests.isEmpty()) {
            throw new PolicyException(new Problem(
                    AdminJson.BODY,
                    0,
                    0,
                    "expected one request per line, e.g. {\"principal\":\"alice\",\"model\":\"frontier-x\"}"));
        }
        return requests;
    }
}
