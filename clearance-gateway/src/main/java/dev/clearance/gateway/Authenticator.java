package dev.clearance.gateway;

import java.util.List;
import java.util.Optional;

/**
 * One way a caller proves who it is, in the pipeline's authenticate stage. The stage hands the presented
 * credential to the first authenticator that {@link #reads} it: API keys and OIDC tokens differ in shape,
 * so each credential has exactly one reader.
 */
interface Authenticator {

    /** Whether the credential has the shape this authenticator reads. */
    boolean reads(String credential);

    /**
     * The principal the credential proves.
     *
     * @throws Rejection (401) when it proves no principal: unknown, revoked, expired, forged
     */
    Identity authenticate(String credential);

    /**
     * Whether a credential that proved {@code principalId} when its call began proves it still: asked on
     * every re-decision of the call ({@link LiveCalls}), so what can be withdrawn stops the call.
     */
    boolean stillProves(String credential, String principalId);

    /** The one authenticator of {@code authenticators} that reads the credential's shape, if any. */
    static Optional<Authenticator> readerOf(List<Authenticator> authenticators, String credential) {
        for (Authenticator a : authenticators) {
            if (a.reads(credential)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * An authenticated caller.
     *
     * @param principalId the principal it acts as
     * @param claims      facts its credential carries, which take precedence over the stored ones
     */
    record Identity(String principalId, ClaimedFacts claims) {}
}
