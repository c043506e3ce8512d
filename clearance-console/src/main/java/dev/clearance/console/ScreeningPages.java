package dev.clearance.console;

import dev.clearance.screening.PrincipalScreening;
import dev.clearance.screening.Review;
import dev.clearance.screening.ReviewVerdict;
import dev.clearance.screening.ScreeningRegistry;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPrincipal;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Screening: the potential matches waiting for a reviewer, each with why it scored what it did; a
 * verdict (confirmed, or cleared as a false positive) with a reason, recorded through
 * {@link ScreeningRegistry#review} as {@code clearance screening review} records it; the active list
 * versions and every import.
 */
final class ScreeningPages implements HttpService {
    static final int QUEUE = 100;

    private final Pages pages;
    private final ScreeningRegistry registry;
    private final Store store;

    ScreeningPages(Pages pages, ScreeningRegistry registry, Store store) {
        this.pages = pages;
        this.registry = registry;
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", pages.guarded(this::queue)).post("/review", pages.guarded(this::review));
    }

    /** A match waiting for review, with the screened principal's name. */
    record QueueItem(String principalId, String principalName, PrincipalScreening.Match match, List<Review> earlier) {
        String score() {
            return String.format(Locale.ROOT, "%.3f", match.score());
        }

        /** A stable id for the item's form fields. */
        String key() {
            return (principalId + "-" + match.list() + "-" + match.entityId()).replaceAll("[^A-Za-z0-9_-]", "_");
        }
    }

    record QueueView(
            Page page,
            List<QueueItem> queue,
            boolean more,
            List<ScreeningRegistry.StoredList> imports,
            Set<Long> active,
            String done,
            String error) {}

    private void queue(ServerRequest req, ServerResponse res) {
        render(req, res, req.query().first("done").orElse(""), "");
    }

    private void render(ServerRequest req, ServerResponse res, String done, String error) {
        List<ScreeningRegistry.PendingMatch> pending = registry.pending(QUEUE + 1);
        List<QueueItem> items = pending.subList(0, Math.min(QUEUE, pending.size())).stream()
                .map(p -> new QueueItem(
                        p.principalId(),
                        store.principals()
                                .get(p.principalId())
                                .map(StoredPrincipal::principal)
                                .map(x -> x.name())
                                .orElse(""),
                        p.match(),
                        registry.reviewsOf(p.principalId()).stream()
                                .filter(r -> r.list().equals(p.match().list())
                                        && r.entityId().equals(p.match().entityId()))
                                .toList()))
                .toList();
        pages.send(
                res,
                "screening.jte",
                new QueueView(
                        new Page("Screening review", "screening", Console.visitor(req)),
                        items,
                        pending.size() > QUEUE,
                        registry.imports(),
                        registry.activeLists().stream()
                                .map(ScreeningRegistry.StoredList::id)
                                .collect(Collectors.toSet()),
                        done,
                        error));
    }

    private void review(ServerRequest req, ServerResponse res) {
        Visitor v = Console.visitor(req);
        Parameters form = Access.form(req, v);
        Access.require(v, Role.PROPOSER);
        String principal = form.first("principal").orElse("");
        String list = form.first("list").orElse("");
        String entity = form.first("entity").orElse("");
        String verdictName = form.first("verdict").orElse("");
        String reason = form.first("reason").orElse("");
        ReviewVerdict verdict;
        try {
            verdict = ReviewVerdict.fromWireName(verdictName);
        } catch (IllegalArgumentException e) {
            render(req, res, "", "Choose confirmed or false positive for " + principal + ".");
            return;
        }
        try {
            Review r = registry.review(principal, list, entity, verdict, reason, v.who());
            String done = r.verdict().wireName().replace('_', ' ') + ": " + principal + " on " + list + " " + entity;
            Pages.seeOther(res, Console.PATH + "/screening?done=" + URLEncoder.encode(done, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            render(req, res, "", e.getMessage());
        }
    }
}
