package dev.clearance.gateway;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The endpoints, each as "METHOD /path" (matched exactly). */
    Map<String, ApiServer.Endpoint> endpoints() {
        Map<String, ApiServer.Endpoint> endpoints = new LinkedHashMap<>();
        endpoints.put("POST /v1/chat/completions", calls.handler(ApiStyle.OPENAI));
        endpoints.put("POST /v1/completions", calls.handler(ApiStyle.OPENAI));
        endpoints.put("POST /v1/embeddings", calls.handler(ApiStyle.OPENAI));
        endpoints.put("POST /v1/responses", calls.handler(ApiStyle.OPENAI));
        endpoints.put("POST /v1/messages", calls.handler(ApiStyle.ANTHROPIC));
        endpoints.put("GET /v1/models", models.handler(null));
        return endpoints;
    }

    /** Any other method or path: a decision id and a provider-shaped 404, nothing forwarded. */
    void unknown(ApiExchange exchange) {
        exchange.header(Pipeline.DECISION_ID, ids.next());
        Pipeline.answer(
                exchange,
                Pipeline.styleOf(exchange),
                new GatewayError(
                        GatewayError.Kind.NOT_FOUND,
                        "unknown_endpoint",
                        exchange.method() + " " + exchange.path() + " is not an endpoint of this gateway"));
    }

    /** A body over the limit, refused before it is read (the connection is closed after the answer). */
    void oversized(ApiExchange exchange) {
        exchange.header(Pipeline.DECISION_ID, ids.next());
        Pipeline.answer(
                exchange,
                Pipeline.styleOf(exchange),
                new GatewayError(
                        GatewayError.Kind.TOO_LARGE,
                        "request_too_large",
                        "the request body is over the gateway's limit of " + Gateway.MAX_BODY_BYTES + " bytes"));
    }
}
