package dev.clearance.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chain of stages every API call runs through, in the style of OkHttp's interceptors: each stage
 * does its part and calls {@link Chain#proceed} once, or stops the call by throwing a
 * {@link Rejection}, which the pipeline answers in the caller's provider shape; the last stage
 * answers the call. The order is written once, where the pipeline is built ({@link ProxyApi}).
 *
 * <p>The chain enforces its contract, as OkHttp's {@code RealInterceptorChain} does: a stage that
 * calls {@code proceed} twice, or a last stage that calls it at all, fails the call loudly (500,
 * logged) instead of running stages twice or silently doing nothing.
 */
final class Pipeline {
    static final AsciiString DECISION_ID = AsciiString.cached("clearance-decision-id");
    /** How long a caller is asked to wait before retrying a 503. */
    static final String RETRY_AFTER_SECONDS = "2";

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** One step of the pipeline. */
    @FunctionalInterface
    interface Stage {
        void handle(GatewayCall call, Chain next) throws Exception;
    }

    /** The rest of the pipeline after the current stage; proceed at most once. */
    @FunctionalInterface
    interface Chain {
        void proceed(GatewayCall call) throws Exception;
    }

    private final List<Stage> stages;
    private final DecisionIds ids;
    private final GatewayMetrics metrics;

    Pipeline(List<Stage> stages, DecisionIds ids, GatewayMetrics metrics) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one stage");
        }
        this.stages = List.copyOf(stages);
        this.ids = ids;
        this.metrics = metrics;
    }

    /** The model API endpoint running this pipeline for calls in the given style (null: from the headers). */
    ApiServer.Endpoint handler(ApiStyle fixedStyle) {
        return exchange -> run(exchange, fixedStyle != null ? fixedStyle : styleOf(exchange));
    }

    private void run(ApiExchange res, ApiStyle style) {
        String endpoint = res.path();
        String id = ids.next();
        res.header(DECISION_ID, id);
        try {
            start(GatewayCall.start(res, style, endpoint, id));
        } catch (Rejection r) {
            answerUnlessSent(res, style, r.error());
        } catch (Enforcement.Unrecorded u) {
            answerUnlessSent(
                    res,
                    style,
                    new GatewayError(
                            GatewayError.Kind.INTERNAL,
                            "decision_not_recorded",
                            "the decision could not be recorded, so the answer is withheld (decision " + u.decisionId()
                                    + ")"));
        } catch (Exception e) {
            LOG.error("call {} on {} failed", id, endpoint, e);
            answerUnlessSent(
                    res,
                    style,
                    new GatewayError(
                            GatewayError.Kind.INTERNAL,
                            "internal_error",
                            "the gateway failed to handle the request (decision id " + id + ")"));
        } finally {
            metrics.request(endpoint, res.status());
        }
    }

    /** A stream already under way ends through its relay, never with a second answer. */
    private static void answerUnlessSent(ApiExchange res, ApiStyle style, GatewayError error) {
        if (!res.isSent()) {
            answer(res, style, error);
        }
    }

    /** Runs the call through every stage, from the first. */
    void start(GatewayCall call) throws Exception {
        new Link(0).proceed(call);
    }

    /** The chain handed to the stage before {@code index}: usable once. */
    private final class Link implements Chain {
        private final int index;
        private boolean proceeded;

        Link(int index) {
            this.index = index;
        }

        @Override
        public void proceed(GatewayCall call) throws Exception {
            if (index >= stages.size()) {
                throw new IllegalStateException(
                        "stage " + name(index - 1) + " is the last stage and must answer the call, not proceed");
            }
            if (proceeded) {
                throw new IllegalStateException("stage " + name(index - 1) + " called proceed() twice");
            }
            proceeded = true;
            stages.get(index).handle(call, new Link(index + 1));
        }

        private String name(int i) {
            return i < 0
                    ? "(start)"
                    : "#" + (i + 1) + " " + stages.get(i).getClass().getSimpleName();
        }
    }

    static void answer(ApiExchange res, ApiStyle style, GatewayError error) {
        res.status(error.status());
        if (error.kind() == GatewayError.Kind.UNAVAILABLE) {
            // SDKs retry a 503 after Retry-After; a node that lost its store usually confirms again within seconds.
            res.header(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        res.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        res.send(style.errorBody(error));
    }

    /** For endpoints both families share ({@code /v1/models}): Anthropic SDKs always send {@code anthropic-version}. */
    static ApiStyle styleOf(ApiExchange req) {
        return req.hasHeader(ProxyHeaders.ANTHROPIC_VERSION_NAME) ? ApiStyle.ANTHROPIC : ApiStyle.OPENAI;
    }
}
