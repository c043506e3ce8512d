package dev.clearance.gateway;

import dev.clearance.core.DecisionIds;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chain of stages every API call runs through, in the style of OkHttp's interceptors: each stage
 * does its part and calls {@link Chain#proceed}, or stops the call by throwing a {@link Rejection},
 * which the pipeline answers in the caller's provider shape. The order is written once, where the
 * pipeline is built ({@link ProxyApi}).
 */
final class Pipeline {
    static final HeaderName DECISION_ID = HeaderNames.create("clearance-decision-id");
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** One step of the pipeline. */
    @FunctionalInterface
    interface Stage {
        void handle(GatewayCall call, Chain next) throws Exception;
    }

    /** The rest of the pipeline after the current stage. */
    @FunctionalInterface
    interface Chain {
        void proceed(GatewayCall call) throws Exception;
    }

    private final List<Stage> stages;
    private final GatewayMetrics metrics;

    Pipeline(List<Stage> stages, GatewayMetrics metrics) {
        this.stages = List.copyOf(stages);
        this.metrics = metrics;
    }

    /** A Helidon handler running this pipeline for calls in the given style (null: from the headers). */
    Handler handler(ApiStyle fixedStyle) {
        return (req, res) -> run(req, res, fixedStyle != null ? fixedStyle : styleOf(req));
    }

    private void run(ServerRequest req, ServerResponse res, ApiStyle style) {
        String endpoint = req.path().path();
        String id = DecisionIds.next();
        res.header(DECISION_ID, id);
        GatewayCall call = GatewayCall.start(req, res, style, endpoint, id);
        try {
            proceed(0, call);
        } catch (Rejection r) {
            if (!res.isSent()) {
                answer(res, style, r.error());
            }
        } catch (Exception e) {
            LOG.error("call {} on {} failed", id, endpoint, e);
            if (!res.isSent()) {
                answer(
                        res,
                        style,
                        new GatewayError(
                                GatewayError.Kind.INTERNAL,
                                "internal_error",
                                "the gateway failed to handle the request (decision id " + id + ")"));
            }
        } finally {
            metrics.request(endpoint, res.status().code());
        }
    }

    private void proceed(int index, GatewayCall call) throws Exception {
        if (index < stages.size()) {
            stages.get(index).handle(call, next -> proceed(index + 1, next));
        }
    }

    static void answer(ServerResponse res, ApiStyle style, GatewayError error) {
        res.status(error.status());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(style.errorBody(error));
    }

    /** For endpoints both families share ({@code /v1/models}): Anthropic SDKs always send {@code anthropic-version}. */
    static ApiStyle styleOf(ServerRequest req) {
        return req.headers().contains(ProxyHeaders.ANTHROPIC_VERSION) ? ApiStyle.ANTHROPIC : ApiStyle.OPENAI;
    }
}
