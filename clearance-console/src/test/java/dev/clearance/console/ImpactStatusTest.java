package dev.clearance.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.simulate.ImpactReport;
import dev.clearance.simulate.Simulation;
import dev.clearance.simulate.Traffic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The impact job's status fragment shows either the progress or the whole report, charts included. */
class ImpactStatusTest {
    private static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");

    static ImpactReport report() throws Exception {
        Policy baseline = Policy.compile(List.of());
        Policy draft = Policy.compile(DirectiveParser.parse(
                "d.yaml",
                "id: no-alice\ntitle: Nothing for alice\neffective_from: 2026-01-01T00:00:00Z\n"
                        + "scope: {models: [\"*\"]}\napplies_to: \"principal.id == 'alice'\"\n"));
        return Simulation.of(baseline, draft)
                .at(AT)
                .run(
                        List.of(Principal.builder("alice").citizenships("US").build()),
                        new Traffic.Requests(
                                List.of(new Request("r1", "alice", "frontier-x", List.of(), AT, "US", ""))));
    }

    @Test
    void a_job_that_finishes_while_its_page_is_rendered_shows_its_progress_or_its_charts_never_a_report_without_them()
            throws Exception {
        ImpactReport report = report();
        CountDownLatch release = new CountDownLatch(1);
        ImpactJobs.Job job = new ImpactJobs(Clock.systemUTC()).start("d", "a day", "eve", progress -> {
            release.await(10, TimeUnit.SECONDS);
            return report;
        });
        Pages pages = new Pages();
        ImpactPages.JobView running = ImpactPages.JobView.of(Page.signedOut("t"), job);
        release.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!job.finished() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(job.finished()).isTrue();

        // The view read before the job finished renders the progress, even now that the job is done.
        String before = pages.render("impact_status.jte", running);
        assertThat(before).contains("Running:").doesNotContain("id=\"losing\"");

        String after = pages.render("impact_status.jte", ImpactPages.JobView.of(Page.signedOut("t"), job));
        assertThat(after).contains("id=\"losing\"", "<svg id=\"requests-by-model\"", "<rect");
    }
}
