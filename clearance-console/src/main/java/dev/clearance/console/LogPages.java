package dev.clearance.console;

import dev.clearance.record.RecordSearch;
import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The decision log: search by principal, directive, decision, model and time (what {@code clearance
 * log search} asks), an entry with its inclusion proof for the page to verify up to the signed
 * checkpoint, the latest checkpoint, and the evidence bundle of a search ({@code clearance log export}).
 */
final class LogPages implements HttpService {
    static final int SHOWN = 200;

    private final Pages pages;
    private final LogReader log;
    private final Clock clock;

    LogPages(Pages pages, LogReader log, Clock clock) {
        this.pages = pages;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", pages.guarded(this::search))
                .get("/entries/{index}", pages.guarded(this::entry))
                .get("/bundle", pages.guarded(this::bundle));
    }

    /** The search form's fields, as typed (times are {@code datetime-local}, UTC). */
    record SearchForm(String principal, String directive, String decision, String model, String from, String to) {
        static SearchForm of(UriQuery q) {
            return new SearchForm(
                    q.first("principal").orElse("").strip(),
                    q.first("directive").orElse("").strip(),
                    q.first("decision").orElse(""),
                    q.first("model").orElse("").strip(),
                    q.first("from").orElse("").strip(),
                    q.first("to").orElse("").strip());
        }

        RecordSearch.Criteria criteria() {
            return new RecordSearch.Criteria(
                    from.isEmpty() ? null : ImpactPages.instant(from),
                    to.isEmpty() ? null : ImpactPages.instant(to),
                    principal,
                    model,
                    decision,
                    directive);
        }

        /** The same search as a query string, for the bundle link. */
        String query() {
            StringBuilder b = new StringBuilder();
            for (String[] kv : new String[][] {
                {"principal", principal},
                {"directive", directive},
                {"decision", decision},
                {"model", model},
                {"from", from},
                {"to", to}
            }) {
                if (!kv[1].isEmpty()) {
                    b.append(b.isEmpty() ? "" : "&")
                            .append(kv[0])
                            .append('=')
                            .append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
                }
            }
            return b.toString();
        }

        boolean asked() {
            return !query().isEmpty();
        }
    }

    record SearchView(
            Page page,
            SearchForm form,
            List<LogReader.EntryRow> rows,
            boolean more,
            String error,
            Optional<LogReader.CheckpointView> checkpoint) {}

    private void search(ServerRequest req, ServerResponse res) {
        SearchForm form = SearchForm.of(req.query());
        List<LogReader.EntryRow> rows = List.of();
        String error = "";
        try {
            rows = log.search(form.criteria(), SHOWN + 1);
        } catch (DateTimeParseException e) {
            error = "Times are YYYY-MM-DDTHH:MM (UTC).";
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        } catch (IOException e) {
            error = "The decision log cannot be read: " + e.getMessage();
        }
        pages.send(
                res,
                "log.jte",
                new SearchView(
                        new Page("Decision log", "log", Console.visitor(req)),
                        form,
                        rows.subList(0, Math.min(SHOWN, rows.size())),
                        rows.size() > SHOWN,
                        error,
                        log.checkpoint()));
    }

    record EntryView(Page page, LogReader.EntryDetail entry) {}

    private void entry(ServerRequest req, ServerResponse res) throws IOException {
        long index;
        try {
            index = Long.parseLong(req.path().pathParameters().get("index"));
        } catch (NumberFormatException e) {
            throw new Access.Refused(404, "Log entries are numbered from 0.");
        }
        LogReader.EntryDetail d = log.entry(index)
                .orElseThrow(() -> new Access.Refused(
                        404, "Entry " + index + " is not covered by the latest signed checkpoint (yet)."));
        pages.send(res, "entry.jte", new EntryView(new Page("Log entry " + index, "log", Console.visitor(req)), d));
    }

    private void bundle(ServerRequest req, ServerResponse res) throws IOException {
        SearchForm form = SearchForm.of(req.query());
        RecordSearch.Criteria c = form.criteria();
        Instant from = c.from() == null ? Instant.EPOCH : c.from();
        Instant to = c.to() == null ? clock.instant().plusSeconds(1) : c.to();
        byte[] body = log.bundle(c, from, to).getBytes(StandardCharsets.UTF_8);
        Pages.download(res, "application/json", "evidence-bundle.json", body);
    }
}
