package dev.clearance.console;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.log.LogView;
import dev.clearance.record.LoggedRequests;
import dev.clearance.simulate.ImpactReport;
import dev.clearance.simulate.ReportHtml;
import dev.clearance.simulate.ReportJson;
import dev.clearance.simulate.Simulation;
import dev.clearance.simulate.Traffic;
import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Impact: what a draft would change, before anyone approves it — the simulation {@code clearance
 * simulate --config --draft FILE --from --to} runs (the active policy as baseline, the draft amending
 * it, the stored principals, the decisions recorded in the window), started in the background with its
 * progress shown, then the report's charts, the principals who lose access and the report to download.
 */
final class ImpactPages implements HttpService, AutoCloseable {
    private final Pages pages;
    private final Console.Sources sources;
    private final Clock clock;
    private final ImpactJobs jobs;

    ImpactPages(Pages pages, Console.Sources sources, Clock clock) {
        this.pages = pages;
        this.sources = sources;
        this.clock = clock;
        this.jobs = new ImpactJobs(clock);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", pages.guarded(this::form))
                .post("/", pages.guarded(this::start))
                .get("/jobs/{id}", pages.guarded(this::job))
                .get("/jobs/{id}/progress", pages.guarded(this::progress))
                .get("/jobs/{id}/report.html", pages.guarded(this::html))
                .get("/jobs/{id}/report.json", pages.guarded(this::json));
    }

    record FormView(
            Page page,
            List<DirectiveVersion> proposals,
            String draft,
            String yaml,
            String from,
            String to,
            List<DirectivePages.ProblemView> problems,
            String error,
            List<ImpactJobs.Job> jobs) {}

    private void form(ServerRequest req, ServerResponse res) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        renderForm(
                req,
                res,
                req.query().first("draft").orElse(""),
                "",
                local(now.minus(Duration.ofDays(1))),
                local(now.plus(Duration.ofMinutes(1))),
                List.of(),
                "");
    }

    private void renderForm(
            ServerRequest req,
            ServerResponse res,
            String draft,
            String yaml,
            String from,
            String to,
            List<DirectivePages.ProblemView> problems,
            String error) {
        pages.send(
                res,
                "impact.jte",
                new FormView(
                        new Page("Impact simulation", "impact", Console.visitor(req)),
                        proposals(),
                        draft,
                        yaml,
                        from,
                        to,
                        problems,
                        error,
                        jobs.all()));
    }

    /** Versions waiting for approval or activation: what a simulation is usually asked about. */
    private List<DirectiveVersion> proposals() {
        List<DirectiveVersion> out = new ArrayList<>();
        for (DirectiveVersion latest : sources.store().directives().latest()) {
            for (DirectiveVersion v : sources.store().directives().versions(latest.directiveId())) {
                if (v.status() == DirectiveStatus.DRAFT || v.status() == DirectiveStatus.APPROVED) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private void start(ServerRequest req, ServerResponse res) {
        Visitor v = Console.visitor(req);
        Parameters form = Access.form(req, v);
        Access.require(v, Role.PROPOSER);
        String draft = form.first("draft").orElse("");
        String yaml = form.first("yaml").orElse("").replace("\r\n", "\n");
        String fromText = form.first("from").orElse("");
        String toText = form.first("to").orElse("");
        // Shows the form again, as it was filled in, with what is wrong.
        java.util.function.Consumer<String> again =
                message -> renderForm(req, res, draft, yaml, fromText, toText, List.of(), message);
        Instant from;
        Instant to;
        try {
            from = instant(fromText);
            to = instant(toText);
        } catch (DateTimeParseException e) {
            again.accept("The window's times are YYYY-MM-DDTHH:MM (UTC).");
            return;
        }
        if (!from.isBefore(to)) {
            again.accept("The window must start before it ends.");
            return;
        }
        Policy baseline = sources.lifecycle().activePolicy();
        Policy next;
        String label;
        try {
            if (draft.equals("paste")) {
                List<Directive> pasted = DirectiveParser.parse("pasted", yaml);
                if (pasted.isEmpty()) {
                    again.accept("Paste at least one directive.");
                    return;
                }
                next = Policy.compile(StoredPolicy.withChanges(baseline.directives(), pasted));
                label = "pasted: "
                        + String.join(", ", pasted.stream().map(Directive::id).toList());
            } else {
                int at = draft.lastIndexOf('@');
                if (at <= 0) {
                    again.accept("Choose a proposal or paste a draft.");
                    return;
                }
                DirectiveVersion dv =
                        sources.lifecycle().version(draft.substring(0, at), Integer.parseInt(draft.substring(at + 1)));
                next = sources.lifecycle().activePolicyWith(dv);
                label = dv.label() + " (" + dv.status().wireName() + ", by " + dv.author() + ")";
            }
        } catch (PolicyException e) {
            renderForm(
                    req,
                    res,
                    draft,
                    yaml,
                    fromText,
                    toText,
                    DirectivePages.ProblemView.of(e),
                    "The draft does not compile with the active policy:");
            return;
        } catch (StoreException.NotFound | NumberFormatException e) {
            again.accept("There is no proposal '" + draft + "'.");
            return;
        }
        ImpactJobs.Job job = jobs.start(
                label, from + " to " + to, v.who(), progress -> simulate(baseline, next, from, to, progress));
        Pages.seeOther(res, Console.PATH + "/impact/jobs/" + job.id());
    }

    /** What {@code clearance simulate --config --draft --from --to} runs. */
    private ImpactReport simulate(
            Policy baseline, Policy draft, Instant from, Instant to, dev.clearance.simulate.Progress progress)
            throws Exception {
        List<Principal> population = new ArrayList<>();
        sources.store().principals().forEach(sp -> population.add(sp.principal()));
        Simulation sim = Simulation.of(baseline, draft).at(clock.instant()).progress(progress);
        if (!Files.isDirectory(sources.logDirectory())) {
            return sim.run(population, new Traffic.None());
        }
        try (LogView view = LogView.openReadOnly(sources.logDirectory())) {
            return sim.run(population, new Traffic.Iterated(new LoggedRequests(view, from, to)));
        }
    }

    /**
     * A job as one page shows it: its outcome read once ({@code report}, {@code error}), so a job that
     * finishes while the page is being rendered shows either its progress or its whole report with
     * the charts of that report — never a finished report whose charts were computed before it existed.
     */
    record JobView(Page page, ImpactJobs.Job job, ImpactReport snapshot, String error, List<ReportHtml.Chart> charts) {
        /** The job as it stands now, read once. */
        static JobView of(Page page, ImpactJobs.Job job) {
            String error = job.error(); // read before the report: a job sets one or the other, once
            ImpactReport report = job.report().orElse(null);
            return new JobView(
                    page,
                    job,
                    report,
                    report == null ? error : "",
                    report == null ? List.of() : ReportHtml.charts(report));
        }

        boolean finished() {
            return snapshot != null || !error.isEmpty();
        }

        ImpactReport report() {
            return java.util.Objects.requireNonNull(snapshot, "the job has no report");
        }
    }

    private ImpactJobs.Job found(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return jobs.get(id)
                .orElseThrow(() -> new Access.Refused(
                        404,
                        "There is no simulation '" + id + "' (the console keeps the last " + ImpactJobs.KEPT + ")."));
    }

    private JobView view(ServerRequest req, ImpactJobs.Job job) {
        return JobView.of(new Page("Impact simulation", "impact", Console.visitor(req)), job);
    }

    private void job(ServerRequest req, ServerResponse res) {
        pages.send(res, "impact_job.jte", view(req, found(req)));
    }

    /** The part of the job's page htmx polls: progress while it runs, the result once it is done. */
    private void progress(ServerRequest req, ServerResponse res) {
        pages.send(res, "impact_status.jte", view(req, found(req)));
    }

    private ImpactReport report(ServerRequest req) {
        return found(req).report().orElseThrow(() -> new Access.Refused(409, "This simulation has no report (yet)."));
    }

    private void html(ServerRequest req, ServerResponse res) {
        Pages.download(
                res,
                "text/html; charset=utf-8",
                "impact-" + found(req).id() + ".html",
                ReportHtml.write(report(req)).getBytes(StandardCharsets.UTF_8));
    }

    private void json(ServerRequest req, ServerResponse res) {
        Pages.download(
                res,
                "application/json",
                "impact-" + found(req).id() + ".json",
                ReportJson.write(report(req)).getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code datetime-local} value (UTC, to the minute) or an ISO-8601 instant. */
    static Instant instant(String s) {
        String t = s.strip();
        if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return java.time.OffsetDateTime.parse(t).toInstant();
        }
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }

    /** An instant as a {@code datetime-local} value, UTC. */
    static String local(Instant i) {
        return LocalDateTime.ofInstant(i.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC)
                .toString();
    }

    @Override
    public void close() {
        jobs.close();
    }
}
