package dev.clearance.gateway;

import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;

/** The stages of the {@link Pipeline} that come before the upstream, each small enough to read at a glance. */
final class Stages {
    private Stages() {}

    /**
     * Confirm policy: this node has confirmed with the store, within {@code store.max_staleness}, that
     * the policy and keys it enforces are current (503 with {@code Retry-After} otherwise). First, since
     * even authentication trusts keys that may have been revoked elsewhere.
     */
    record ConfirmPolicy(Confirmation confirmation) implements Pipeline.Stage {
        @Override
        public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
            if (confirmation.refusing()) {
                throw new Rejection(
                        GatewayError.Kind.UNAVAILABLE,
                        "policy_unconfirmed",
                        "this gateway node has not been able to confirm its policy with the store for "
                                + confirmation.age().toSeconds() + " s (the bound is "
                                + confirmation.maxStaleness().toSeconds()
                                + " s), so it answers no model calls; retry shortly or on another node");
            }
            next.proceed(call);
        }
    }

    /**
     * Authenticate: the presented credential (API key or OIDC token) must prove a principal (401
     * otherwise). Each credential goes to the one authenticator that reads its shape. The count of caller
     * and policy changes is read first, so a change from here on re-decides the call once it is allowed.
     */
    record Authenticate(List<Authenticator> authenticators, LiveCalls live) implements Pipeline.Stage {
        @Override
        public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
            long changes = live.changes();
            String credential = ProxyHeaders.presentedKey(call.exchange());
            if (credential.isEmpty()) {
                throw new Rejection(
                        GatewayError.Kind.AUTHENTICATION,
                        "missing_api_key",
                        "no API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
            }
            Authenticator reader =
                    Authenticator.readerOf(authenticators, credential).orElseThrow(ApiKeyAuthenticator::unknown);
            next.proceed(call.withIdentity(reader.authenticate(credential), changes, credential));
        }
    }

    /**
     * Resolve principal: the facts directives ask about, with those the caller's token carries in place of
     * the stored ones (an id with no principal is decided as unknown).
     */
    record ResolvePrincipal(Callers callers) implements Pipeline.Stage {
        @Override
        public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
            next.proceed(call.withCaller(callers.resolve(call.principalId(), call.claims())));
        }
    }

    /** Read body: the model and stream flag (400 for malformed JSON or a missing model). */
    record ReadBody() implements Pipeline.Stage {
        @Override
        public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
            // Read whole by the server, within Gateway.MAX_BODY_BYTES.
            next.proceed(call.withBody(RequestBody.parse(call.exchange().body())));
        }
    }

    /**
     * Request context: client address and country, server time, requested capabilities. The model is
     * the body's, or empty for calls without one ({@code /v1/models} decides each model itself).
     */
    record AddContext(TrustedProxies proxies, CountryLocator countries, Clock clock) implements Pipeline.Stage {
        @Override
        public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
            TrustedProxies.ClientAddress where = clientAddress(call);
            InetAddress client = where instanceof TrustedProxies.ClientAddress.Known k ? k.address() : null;
            String country = countries.country(client);
            String model = call.body() == null ? "" : call.body().model();
            Request request = new Request(
                    call.id(),
                    call.principalId(),
                    model,
                    capabilities(call),
                    clock.instant(),
                    country,
                    client == null ? "" : client.getHostAddress(),
                    call.endpoint(),
                    where instanceof TrustedProxies.ClientAddress.Unknown u ? u.error() : null);
            next.proceed(call.withRequest(request));
        }

        private TrustedProxies.ClientAddress clientAddress(GatewayCall call) {
            InetSocketAddress peer = call.exchange().remote();
            if (peer == null || peer.getAddress() == null) {
                return new TrustedProxies.ClientAddress.Known(null);
            }
            return proxies.locate(
                    peer.getAddress(),
                    call.exchange().headers(ProxyHeaders.X_FORWARDED_FOR),
                    call.exchange().headers(ProxyHeaders.FORWARDED));
        }

        private static List<String> capabilities(GatewayCall call) {
            return CapabilityHeader.read(call.exchange().headers(ProxyHeaders.CAPABILITIES));
        }
    }

    /**
     * Decide and record, one step ({@link Enforcement}): the decision point on the policy in force, the
     * decision counted and handed to the decision log. A denial is answered (403) once its record is
     * accepted (or the record timeout has passed) and never reaches the upstream. An allowed call
     * proceeds once the log writer has accepted its record (the forward stage releases nothing before
     * it is durable, so the upstream's latency hides the log's), registered with {@link LiveCalls}
     * until its answer is released or its stream ends, so every later change re-decides it.
     * An allowed call its upstream never answered is recorded too, with the failure
     * ({@link Enforcement#upstreamFailed}).
     */
    record Decide(ActivePolicy policy, Enforcement enforcement, LiveCalls live) implements Pipeline.Stage {
        @Override
        public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
            // Under the snapshot the content stage asked, so "content cannot matter" held for this decision.
            ContentCheck content = call.content();
            Enforcement.Ruling ruling = content == null
                    ? enforcement.decide(policy.current(), call.caller(), call.request(), null)
                    : enforcement.decide(content.policy(), call.caller(), call.request(), content.classification());
            if (!ruling.decision().allowed()) {
                throw denial(ruling.release());
            }
            LiveCalls.LiveCall registered = live.open(call);
            try {
                next.proceed(call.withRuling(ruling, registered));
            } catch (UpstreamFailure f) {
                enforcement.upstreamFailed(call.caller(), call.request(), ruling.decision(), f.reason());
                throw f;
            } finally {
                live.close(registered);
            }
        }
    }

    /** The 403 for a denial: names the determining directives and carries their message. */
    static Rejection denial(Decision decision) {
        StringBuilder text = new StringBuilder("Access denied by Clearance");
        if (!decision.directives().isEmpty()) {
            text.append(" under directive ").append(String.join(", ", decision.directives()));
        }
        if (!decision.message().isBlank()) {
            text.append(": ").append(decision.message());
        }
        text.append(" (decision ").append(decision.id()).append(')');
        return new Rejection(GatewayError.Kind.PERMISSION, "clearance_denied", text.toString());
    }
}
