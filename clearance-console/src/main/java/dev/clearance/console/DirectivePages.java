package dev.clearance.console;

import dev.clearance.core.DirectiveParser;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.lifecycle.LifecycleException;
import dev.clearance.lifecycle.LifecycleService;
import dev.clearance.lifecycle.ScheduledActivation;
import dev.clearance.lifecycle.ShadowCounter;
import dev.clearance.lifecycle.TextDiff;
import dev.clearance.store.DirectiveEvent;
import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Directives: every directive with its versions and history, one version's YAML, the diff between two
 * versions, and the lifecycle steps — propose, approve (two-person rule), activate (now or scheduled
 * at effective_from; shadow or enforce is the version's own mode), withdraw — each through
 * {@link LifecycleService} with who and why, as {@code clearance lifecycle} takes them.
 */
final class DirectivePages implements HttpService {
    private final Pages pages;
    private final LifecycleService lifecycle;
    private final Store store;

    DirectivePages(Pages pages, LifecycleService lifecycle, Store store) {
        this.pages = pages;
        this.lifecycle = lifecycle;
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", pages.guarded(this::list))
                .post("/propose", pages.guarded(this::propose))
                .get("/{id}", pages.guarded(this::detail))
                .post("/{id}/{version}/{step}", pages.guarded(this::step));
    }

    /** A located problem with a proposal, as the page lists it. */
    record ProblemView(int line, int column, String message) {
        static List<ProblemView> of(PolicyException e) {
            return e.problems().stream()
                    .map((Problem p) -> new ProblemView(p.line(), p.column(), p.message()))
                    .toList();
        }
    }

    record ListView(
            Page page,
            List<DirectiveVersion> latest,
            List<DirectiveVersion> active,
            List<ScheduledActivation> schedule,
            Optional<PolicyVersion> policy,
            String text,
            String reason,
            List<ProblemView> problems,
            String error) {}

    private void list(ServerRequest req, ServerResponse res) {
        renderList(req, res, "", "", List.of(), "");
    }

    private void renderList(
            ServerRequest req,
            ServerResponse res,
            String text,
            String reason,
            List<ProblemView> problems,
            String error) {
        Optional<PolicyVersion> policy = store.policies().active();
        pages.send(
                res,
                "directives.jte",
                new ListView(
                        new Page("Directives", "directives", Console.visitor(req)),
                        store.directives().latest(),
                        policy.map(PolicyVersion::directives).orElse(List.of()),
                        lifecycle.schedule(),
                        policy,
                        text,
                        reason,
                        problems,
                        error));
    }

    private void propose(ServerRequest req, ServerResponse res) {
        Visitor v = Console.visitor(req);
        Parameters form = Access.form(req, v);
        Access.require(v, Role.PROPOSER);
        String text = form.first("yaml").orElse("").replace("\r\n", "\n");
        String reason = form.first("reason").orElse("").strip();
        String file = form.first("file").orElse("").strip();
        if (text.isBlank()) {
            renderList(req, res, text, reason, List.of(), "Paste or choose the directive's YAML.");
            return;
        }
        if (reason.isEmpty()) {
            renderList(req, res, text, reason, List.of(), "Say why, for the record (e.g. the order's reference).");
            return;
        }
        try {
            DirectiveVersion d = lifecycle.propose(file.isEmpty() ? "proposal" : file, text, v.who(), reason);
            Pages.seeOther(res, versionUrl(d.directiveId(), d.version()) + "&done=proposed");
        } catch (PolicyException e) {
            renderList(req, res, text, reason, ProblemView.of(e), "The proposal was not stored:");
        }
    }

    /** A line of a diff: {@code same}, {@code del} or {@code add}. */
    record DiffLine(String kind, String text) {}

    record DetailView(
            Page page,
            String id,
            List<DirectiveVersion> versions,
            DirectiveVersion shown,
            List<YamlLines.Line> yaml,
            Optional<DirectiveVersion> diffFrom,
            List<DiffLine> diff,
            List<DirectiveEvent> history,
            List<ShadowCounter.Hits> shadowHits,
            boolean twoPersonRule,
            String done,
            String error) {
        boolean may(String step) {
            return switch (step) {
                case "approve" -> shown.status() == DirectiveStatus.DRAFT;
                case "activate" -> shown.status() == DirectiveStatus.APPROVED;
                case "withdraw" -> shown.status() != DirectiveStatus.WITHDRAWN;
                default -> false;
            };
        }

        /** The shown version's mode, which activating it puts in force: {@code enforce} or {@code shadow}. */
        String mode() {
            try {
                return DirectiveParser.parse(shown.sourceFile(), shown.text())
                        .get(0)
                        .mode()
                        .wireName();
            } catch (PolicyException | RuntimeException e) {
                return "unreadable";
            }
        }
    }

    private void detail(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        renderDetail(
                req,
                res,
                id,
                req.query().first("v").asOptional().map(Integer::parseInt),
                req.query().first("from").asOptional().map(Integer::parseInt),
                req.query().first("done").orElse(""),
                "");
    }

    private void renderDetail(
            ServerRequest req,
            ServerResponse res,
            String id,
            Optional<Integer> shownVersion,
            Optional<Integer> fromVersion,
            String done,
            String error) {
        List<DirectiveVersion> versions = store.directives().versions(id);
        if (versions.isEmpty()) {
            throw new Access.Refused(404, "There is no directive '" + id + "'.");
        }
        DirectiveVersion shown = shownVersion
                .flatMap(n -> versions.stream().filter(x -> x.version() == n).findFirst())
                .orElse(versions.get(versions.size() - 1));
        Optional<DirectiveVersion> from = fromVersion.isPresent()
                ? versions.stream()
                        .filter(x -> x.version() == fromVersion.get())
                        .findFirst()
                : versions.stream()
                        .filter(x -> x.version() == shown.version() - 1)
                        .findFirst();
        List<DiffLine> diff = from.map(f -> TextDiff.lines(f.text(), shown.text()).stream()
                        .map(l -> new DiffLine(
                                l.startsWith("+ ") ? "add" : l.startsWith("- ") ? "del" : "same", l.substring(2)))
                        .toList())
                .orElse(List.of());
        pages.send(
                res,
                "directive.jte",
                new DetailView(
                        new Page("Directive " + id, "directives", Console.visitor(req)),
                        id,
                        versions,
                        shown,
                        YamlLines.of(shown.text()),
                        from,
                        diff,
                        store.directives().history(id),
                        lifecycle.shadowCounter().hits(id),
                        twoPersonRule(),
                        done,
                        error));
    }

    private boolean twoPersonRule() {
        // The rules are the lifecycle's; the page only says whether they ask for a second person.
        return lifecycle.rules().twoPersonRule();
    }

    private void step(ServerRequest req, ServerResponse res) {
        Visitor v = Console.visitor(req);
        Parameters form = Access.form(req, v);
        String id = req.path().pathParameters().get("id");
        int version = Integer.parseInt(req.path().pathParameters().get("version"));
        String step = req.path().pathParameters().get("step");
        String reason = form.first("reason").orElse("").strip();
        // Shows the version again with what went wrong.
        java.util.function.Consumer<String> again =
                message -> renderDetail(req, res, id, Optional.of(version), Optional.empty(), "", message);
        if (reason.isEmpty()) {
            again.accept("Say why, for the record, before you " + step + ".");
            return;
        }
        String done;
        try {
            done = switch (step) {
                case "approve" -> {
                    Access.require(v, Role.APPROVER);
                    lifecycle.approve(id, version, v.who(), reason);
                    yield "approved";
                }
                case "activate" -> {
                    Access.require(v, Role.APPROVER);
                    yield switch (lifecycle.activate(id, version, v.who(), reason)) {
                        case LifecycleService.Activation.Activated a ->
                            "activated as policy version " + a.policy().number();
                        case LifecycleService.Activation.Scheduled s -> "scheduled for " + s.due();
                    };
                }
                case "withdraw" -> {
                    Access.require(v, Role.APPROVER);
                    yield lifecycle
                            .withdraw(id, version, v.who(), reason)
                            .map(p -> "withdrawn; policy version " + p.number() + " is in force")
                            .orElse("withdrawn");
                }
                default -> throw new Access.Refused(404, "There is no lifecycle step '" + step + "'.");
            };
        } catch (LifecycleException | StoreException.Conflict e) {
            again.accept(e.getMessage());
            return;
        } catch (PolicyException e) {
            again.accept(e.problems().stream()
                    .map(Problem::toString)
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("invalid"));
            return;
        }
        Pages.seeOther(res, versionUrl(id, version) + "&done=" + URLEncoder.encode(done, StandardCharsets.UTF_8));
    }

    static String versionUrl(String id, int version) {
        return Console.PATH + "/directives/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?v=" + version;
    }
}
