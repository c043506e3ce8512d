package dev.clearance.cli.serve;

import dev.clearance.classify.Classifier;
import dev.clearance.cli.classify.EmbeddedClassifier;
import dev.clearance.cli.config.ClassificationConfig;
import dev.clearance.cli.config.Secret;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.gateway.ContentClassifier;
import dev.clearance.gateway.ContentInspection;
import dev.clearance.gateway.HttpClassifier;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code serve} reads content, from the {@code classification:} section: the embedded classifier
 * (with the operator's capabilities and thresholds), and an external one beside it if configured.
 * With no section at all, a policy with a capability directive is enforced on content: the shipped
 * classifier starts loading at start (calls that need it before it is ready wait for it); with no such
 * directive, it is loaded by the first call that needs it (a directive uploaded later). A configured
 * section (capabilities, thresholds, an external classifier, {@code enabled: true}) loads it before the
 * server starts, so its errors stop the start.
 *
 * @param embedded the embedded classifier, to close with the server (null when classification is off)
 */
record ConfiguredInspection(ContentInspection inspection, EmbeddedClassifier embedded) implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredInspection.class);

    /**
     * @param policy the policy the gateway starts with
     * @throws PolicyException located problems in the operator's capability files or thresholds
     */
    static ConfiguredInspection of(ClassificationConfig config, Policy policy) throws PolicyException {
        if (config.enabled().isPresent() && !config.enabled().get()) {
            if (policy.readsCapabilities()) {
                LOG.warn("classification.enabled is false: capability directives apply only to the capabilities callers"
                        + " declare in the clearance-capabilities header, which a caller can leave out");
            }
            return new ConfiguredInspection(ContentInspection.OFF, null);
        }
        EmbeddedClassifier embedded = EmbeddedClassifier.of(
                () -> config.capabilities().isPresent()
                        ? Classifier.withCapabilities(config.capabilities().get())
                        : Classifier.shipped(),
                config.thresholds(),
                config.thresholdsAt() + ": classification.thresholds");
        try {
            if (config.configured()) {
                embedded.loadNow();
            } else if (policy.readsCapabilities()) {
                embedded.loadInBackground();
            }
        } catch (PolicyException | RuntimeException e) {
            embedded.close();
            throw e;
        }
        ContentClassifier classifier = config.external()
                .<ContentClassifier>map(e -> embedded.and(new HttpClassifier(new HttpClassifier.Settings(
                        e.kind().equals("moderation") ? HttpClassifier.Kind.MODERATION : HttpClassifier.Kind.CHAT,
                        e.url(),
                        e.model(),
                        e.apiKey().map(Secret::value).orElse(""),
                        e.timeout(),
                        e.prompt(),
                        e.labels(),
                        e.threshold(),
                        e.failClosed()))))
                .orElse(embedded);
        return new ConfiguredInspection(ContentInspection.with(classifier, config.cutAnswers()), embedded);
    }

    /** What {@code serve} prints about it at start. */
    Optional<String> report() {
        return inspection.classifier().isEmpty()
                ? Optional.of("content classification: off (classification.enabled: false)")
                : Optional.of("content classification: on for callers a capability directive could restrict"
                        + (inspection.cutAnswers() ? ", answers cut when they drift" : ", answers not read"));
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
