package dev.clearance.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The playbook of docs/playbook.md, end to end against an SQLite store with the two-person rule on. */
class LifecycleCommandsTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final String ID = "dir-2026-017-frontier-foreign-nationals";

    @TempDir
    Path dir;

    Path config;
    String enforce;

    @BeforeEach
    void setUp() throws Exception {
        config = Files.writeString(
                dir.resolve("clearance.yaml"), "data_dir: state\nlifecycle: { two_person_rule: true }\n");
        enforce = Files.readString(EXAMPLES.resolve("directives/frontier-foreign-nationals.yaml"));
        ok(run("principals", "import", EXAMPLES.resolve("principals.jsonl").toString(), "--by", "ops"));
        ok(run(
                "directives",
                "load",
                EXAMPLES.resolve("directives/sanctioned-locations.yaml").toString(),
                "--by",
                "ops",
                "--reason",
                "baseline"));
    }

    CliRun run(String... args) {
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        return CliRun.of(withConfig);
    }

    static CliRun ok(CliRun r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void an_amendment_names_only_the_fields_that_change_shows_them_and_is_proposed_as_the_next_draft()
            throws Exception {
        ok(run("lifecycle", "propose", write("d.yaml", enforce).toString(), "--by", "ann", "--reason", "received"));
        Path patch = write("narrow.yaml", """
                scope: { capabilities: ["offensive-cyber*"] }
                message: Offensive-cyber assistance on frontier models X and Y is restricted to U.S. persons.
                """);

        CliRun dry = ok(run(
                "lifecycle", "amend", ID, "--patch", patch.toString(), "--dry-run", "--by", "ann", "--reason", "r"));
        assertThat(dry.out())
                .contains("+   capabilities: [offensive-cyber*]")
                .contains("dry run: checked, nothing proposed");
        assertThat(run("directives", "history", ID).out()).doesNotContain(ID + "@2");

        CliRun amended = ok(run(
                "lifecycle",
                "amend",
                ID + "@1",
                "--patch",
                patch.toString(),
                "--by",
                "ann",
                "--reason",
                "Amendment 2"));
        assertThat(amended.out()).contains("proposed " + ID + "@2 (draft) by ann");
        assertThat(ok(run("directives", "history", ID, "--text")).out())
                .contains(ID + "@2  draft  from " + patch + " on " + ID + "@1")
                .contains("| message: Offensive-cyber assistance");

        CliRun bad = run(
                "lifecycle",
                "amend",
                ID,
                "--patch",
                write("bad.yaml", "efect: deny\n").toString(),
                "--by",
                "ann",
                "--reason",
                "r");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("bad.yaml:1:1: unknown field 'efect'");
    }

    @Test
    void aDirectiveGoesFromShadowToEnforcementAndIsRestoredInStagesWithTwoPeopleOnTheRecord() throws Exception {
        Path shadow = write("shadow.yaml", enforce.replace("effect: deny\n", "effect: deny\nmode: shadow\n"));
        assertThat(ok(run("lifecycle", "propose", shadow.toString(), "--by", "ann", "--reason", "received"))
                        .out())
                .contains("proposed " + ID + "@1 (draft) by ann");

        CliRun self = run("lifecycle", "approve", ID + "@1", "--by", "ann", "--reason", "mine");
        assertThat(self.exitCode()).isEqualTo(1);
        assertThat(self.err()).contains("two-person rule");

        ok(run("lifecycle", "approve", ID + "@1", "--by", "bob", "--reason", "impact reviewed"));
        assertThat(ok(run("lifecycle", "activate", ID + "@1", "--by", "bob", "--reason", "shadow"))
                        .out())
                .contains("activated " + ID + "@1");

        CliRun evidence = ok(run(
                "directives",
                "shadow-report",
                ID,
                "--requests",
                EXAMPLES.resolve("requests.jsonl").toString(),
                "--principals",
                EXAMPLES.resolve("principals.jsonl").toString(),
                "--at",
                "2026-11-26T12:00:00Z"));
        assertThat(evidence.out()).contains("3 of 15 request(s) would have been denied by " + ID);

        ok(run(
                "lifecycle",
                "propose",
                write("enforce.yaml", enforce).toString(),
                "--by",
                "ann",
                "--reason",
                "promote"));
        CliRun diff = ok(run(
                "directives",
                "diff",
                ID + "@1",
                ID + "@2",
                "--requests",
                EXAMPLES.resolve("requests.jsonl").toString(),
                "--at",
                "2026-11-26T12:00:00Z"));
        assertThat(diff.out())
                .contains("- mode: shadow")
                .contains("losing access   4 of 9")
                .contains("newly denied    3");
        ok(run("lifecycle", "approve", ID + "@2", "--by", "bob", "--reason", "evidence"));
        ok(run("lifecycle", "activate", ID + "@2", "--by", "bob", "--reason", "enforce"));

        // Staged restore: narrow the order to one capability; every frontier user gets the models back.
        Path narrowed = write(
                "narrowed.yaml",
                enforce.replace(
                        "  models: [\"frontier-x*\", \"frontier-y*\"]\n",
                        "  models: [\"frontier-x*\", \"frontier-y*\"]\n  capabilities: [\"offensive-cyber*\"]\n"));
        ok(run("lifecycle", "propose", narrowed.toString(), "--by", "ann", "--reason", "amendment 1"));
        CliRun restore = ok(run(
                "lifecycle",
                "diff",
                ID + "@2",
                ID + "@3",
                "--at",
                "2026-11-26T12:00:00Z",
                "--models",
                "frontier-x-1,frontier-y-2"));
        assertThat(restore.out())
                .contains("+   capabilities: [\"offensive-cyber*\"]")
                .contains("gaining access  4");
    }

    @Test
    void aFutureEffectiveFromIsScheduledNotActivated() throws Exception {
        Path later = write(
                "later.yaml",
                enforce.replace("effective_from: 2026-11-24T14:00:00Z", "effective_from: 2099-01-01T00:00:00Z"));
        ok(run("lifecycle", "propose", later.toString(), "--by", "ann", "--reason", "received"));
        ok(run("lifecycle", "approve", ID + "@1", "--by", "bob", "--reason", "ok"));
        assertThat(ok(run("lifecycle", "activate", ID + "@1", "--by", "bob", "--reason", "as ordered"))
                        .out())
                .contains("scheduled " + ID + "@1 for activation at 2099-01-01T00:00:00Z");
        assertThat(ok(run("lifecycle", "schedule")).out())
                .contains(ID + "@1  due 2099-01-01T00:00:00Z  pending  requested by bob");
        assertThat(ok(run("lifecycle", "run-due")).out()).contains("nothing due");
    }

    @Test
    void aDiffWithNoModelToEvaluateWarnsInsteadOfReportingThatNobodyLosesAccess() throws Exception {
        ok(run(
                "lifecycle",
                "propose",
                write("enforce.yaml", enforce).toString(),
                "--by",
                "ann",
                "--reason",
                "received"));
        ok(run(
                "lifecycle",
                "propose",
                write("enforce2.yaml", enforce.replace("effect: deny\n", "effect: deny\nmode: shadow\n"))
                        .toString(),
                "--by",
                "ann",
                "--reason",
                "shadow"));
        CliRun r = ok(run("lifecycle", "diff", ID + "@1", ID + "@2"));
        assertThat(r.err()).contains("evaluated against no model");
    }

    @Test
    void aMalformedVersionReferenceIsExplained() {
        CliRun r = run("lifecycle", "approve", ID, "--by", "bob", "--reason", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("is not ID@VERSION");
    }
}
