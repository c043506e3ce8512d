package dev.clearance.gateway;

import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.List;

/**
 * The model API: the OpenAI- and Anthropic-compatible endpoints and the pipelines behind them. The
 * order of the stages is written here, once:
 * confirm policy → authenticate → resolve principal → read body → route → request context → classify
 * content → decide and record → forward.
 */
final class ProxyApi {
    private final Pipeline calls;
    private final Pipeline models;
    private final DecisionIds ids;

    ProxyApi(
            Callers callers,
            ActivePolicy policy,
            Enforcement enforcement,
            LiveCalls live,
            ModelCatalogue catalogue,
            TrustedProxies proxies,
            CountryLocator countries,
            Clock clock,
            DecisionIds ids,
            UpstreamExchanges clients,
            GatewayMetrics metrics,
            Confirmation confirmation,
            List<Authenticator> authenticators,
            ContentInspection inspection) {
        this.ids = ids;
        Pipeline.Stage confirm = new Stages.ConfirmPolicy(confirmation);
        Pipeline.Stage authenticate = new Stages.Authenticate(authenticators, live);
        Pipeline.Stage resolvePrincipal = new Stages.ResolvePrincipal(callers);
        Pipeline.Stage context = new Stages.AddContext(proxies, countries, clock);
        this.calls = new Pipeline(
                List.of(
                        confirm,
                        authenticate,
                        resolvePrincipal,
                        new Stages.ReadBody(),
                        new RouteCall(catalogue),
                        context,
                        new ClassifyContent(policy, inspection, metrics),
                        new Stages.Decide(policy, enforcement, live),
                        new Forward(
                                clients,
                                metrics,
                                new AnswerChecks(inspection, policy, enforcement, ids, clock, metrics))),
                ids,
                metrics);
        this.models = new Pipeline(
                List.of(
                        confirm,
                        authenticate,
                        resolvePrincipal,
                        context,
                        new ListModels(catalogue, policy, enforcement)),
                ids,
                metrics);
    }

    void route(HttpRouting.Builder routing) {
        routing.post("/v1/chat/completions", calls.handler(ApiStyle.OPENAI))
                .post("/v1/completions", calls.handler(ApiStyle.OPENAI))
                .post("/v1/embeddings", calls.handler(ApiStyle.OPENAI))
                .post("/v1/responses", calls.handler(ApiStyle.OPENAI))
                .post("/v1/messages", calls.handler(ApiStyle.ANTHROPIC))
                .get("/v1/models", models.handler(null))
                .any((req, res) -> {
                    // Even a wrong path gets a decision id and a provider-shaped error.
                    res.header(Pipeline.DECISION_ID, ids.next());
                    Pipeline.answer(
                            res,
                            Pipeline.styleOf(req),
                            new GatewayError(
                                    GatewayError.Kind.NOT_FOUND,
                                    "unknown_endpoint",
                                    req.prologue().method().text() + " "
                                            + req.path().path() + " is not an endpoint of this gateway"));
                });
    }
}
