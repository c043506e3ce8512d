package dev.clearance.cli.lifecycle;

import dev.clearance.cli.CommandGroup;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.simulate.SimulateCommand;
import dev.clearance.cli.store.Actor;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.lifecycle.LifecycleService;
import dev.clearance.lifecycle.ScheduledActivation;
import dev.clearance.lifecycle.ShadowCounter;
import dev.clearance.lifecycle.TextDiff;
import dev.clearance.simulate.ImpactReport;
import dev.clearance.simulate.ReportJson;
import dev.clearance.simulate.ReportText;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clearance lifecycle ...}: move directive versions through draft, approval, activation
 * (now, or scheduled at effective_from) and withdrawal, compare versions by text and impact, and
 * read shadow evidence. Every step records who (--by), when and why (--reason).
 */
@Command(
        name = "lifecycle",
        description = "Move directive versions through draft -> approved -> active -> withdrawn, "
                + "with who/when/why on every step; diff versions by text and impact; read shadow evidence.",
        subcommands = {
            LifecycleCommand.Propose.class,
            LifecycleCommand.Amend.class,
            LifecycleCommand.Approve.class,
            LifecycleCommand.Activate.class,
            LifecycleCommand.Withdraw.class,
            LifecycleCommand.Schedule.class,
            LifecycleCommand.RunDue.class,
            LifecycleCommand.Diff.class,
            LifecycleCommand.ShadowReport.class
        })
public final class LifecycleCommand extends CommandGroup {

    /** A step that needs a reason for the record. */
    abstract static class Step implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LifecycleOptions options;

        /** {@code --by}, only on the steps that change something. */
        @Mixin
        Actor actor;

        @Option(
                names = "--reason",
                required = true,
                paramLabel = "WHY",
                description = "Why, for the record (e.g. the order's reference).")
        String reason;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ClearanceConfig cfg = options.load();
                try (Store store = options.open(createsStore());
                        LifecycleService lc = options.service(store, cfg)) {
                    return step(lc, store, out, err);
                } finally {
                    out.flush();
                }
            } catch (PolicyException e) {
                e.problems().forEach(err::println);
                return 1;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }

        abstract int step(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) throws PolicyException;

        /** The file's text, or null (and the reason on {@code err}) when it cannot be read. */
        static String read(Path file, PrintWriter err) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println(file + ": cannot read: " + e.getMessage());
                return null;
            }
        }

        /** Whether this step may create the store (only a proposal adds the first data); the others need it. */
        boolean createsStore() {
            return false;
        }
    }

    /** {@code clearance lifecycle propose FILE}. */
    @Command(
            name = "propose",
            description = "Store a directive document as its next draft version. It must parse and compile "
                    + "with the active policy; nothing is enforced until it is approved and activated.")
    static final class Propose extends Step {
        @Parameters(paramLabel = "FILE", description = "One directive document (YAML).")
        Path file;

        @Override
        boolean createsStore() {
            return true;
        }

        @Override
        int step(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) throws PolicyException {
            String text = read(file, err);
            if (text == null) {
                return 1;
            }
            DirectiveVersion v = lc.propose(file.toString(), text, actor.name(), reason);
            out.printf("proposed %s (draft) by %s%n", v.label(), v.author());
            return 0;
        }
    }

    /** {@code clearance lifecycle amend ID[@V] --patch FILE}. */
    @Command(
            name = "amend",
            description = "Propose the next version of a directive as an amendment: a YAML file with only the fields "
                    + "that change (e.g. 'mode: shadow', or 'scope: { capabilities: [\"offensive-cyber*\"] }'), "
                    + "applied to the latest version (or to ID@VERSION). Nested fields merge, null removes a field; "
                    + "the rest of the text stays as it was. Prints what changes, then checks and proposes it "
                    + "as a draft, like propose.")
    static final class Amend extends Step {
        @Parameters(
                paramLabel = "ID[@VERSION]",
                description = "The directive, and the version to amend (default: the latest).")
        String ref;

        @Option(names = "--patch", required = true, paramLabel = "FILE", description = "The fields that change (YAML).")
        Path patch;

        @Option(names = "--dry-run", description = "Print what would change and check it; propose nothing.")
        boolean dryRun;

        @Override
        int step(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) throws PolicyException {
            String patchText = read(patch, err);
            if (patchText == null) {
                return 1;
            }
            DirectiveVersion base = ref.contains("@") ? version(lc, ref) : latest(store, ref);
            String amended = lc.amended(base.directiveId(), base.version(), patch.toString(), patchText);
            out.printf(
                    "--- %s (%s, by %s)%n+++ %s amended by %s%n",
                    base.label(), base.status().wireName(), base.author(), base.label(), patch);
            TextDiff.lines(base.text(), amended).forEach(out::println);
            if (dryRun) {
                out.println("dry run: checked, nothing proposed");
                return 0;
            }
            DirectiveVersion v =
                    lc.amend(base.directiveId(), base.version(), patch.toString(), patchText, actor.name(), reason);
            out.printf("proposed %s (draft) by %s%n", v.label(), v.author());
            return 0;
        }

        private static DirectiveVersion latest(Store store, String id) {
            List<DirectiveVersion> versions = store.directives().versions(id);
            if (versions.isEmpty()) {
                throw new dev.clearance.store.StoreException.NotFound("no directive '" + id + "'");
            }
            return versions.getLast();
        }
    }

    /** {@code clearance lifecycle approve ID@V}. */
    @Command(
            name = "approve",
            description = "Approve a draft version (with lifecycle.two_person_rule, not by its author).")
    static final class Approve extends Step {
        @Parameters(paramLabel = "ID@VERSION")
        String ref;

        @Override
        int step(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) {
            LifecycleOptions.Ref r = LifecycleOptions.Ref.parse(ref);
            DirectiveVersion v = lc.approve(r.id(), r.version(), actor.name(), reason);
            out.printf("approved %s by %s (author %s)%n", v.label(), v.approver(), v.author());
            return 0;
        }
    }

    /** {@code clearance lifecycle activate ID@V}. */
    @Command(
            name = "activate",
            description = "Activate an approved version: it replaces the directive's active version in a new "
                    + "policy version now, or, when its effective_from is in the future, is scheduled and activated then by the "
                    + "serving process (or 'lifecycle run-due'). Enforce or shadow is the directive's own 'mode'.")
    static final class Activate extends Step {
        @Parameters(paramLabel = "ID@VERSION")
        String ref;

        @Override
        int step(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) throws PolicyException {
            LifecycleOptions.Ref r = LifecycleOptions.Ref.parse(ref);
            switch (lc.activate(r.id(), r.version(), actor.name(), reason)) {
                case LifecycleService.Activation.Activated a ->
                    out.printf(
                            "activated %s: policy version %d (%s)%n",
                            r, a.policy().number(), a.policy().contentHash());
                case LifecycleService.Activation.Scheduled s ->
                    out.printf("scheduled %s for activation at %s (its effective_from)%n", r, s.due());
            }
            return 0;
        }
    }

    /** {@code clearance lifecycle withdraw ID@V}. */
    @Command(
            name = "withdraw",
            description = "Withdraw a version: an active one leaves the policy (new policy version); "
                    + "a draft or approved one, scheduled or not, is set aside.")
    static final class Withdraw extends Step {
        @Parameters(paramLabel = "ID@VERSION")
        String ref;

        @Override
        int step(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) throws PolicyException {
            LifecycleOptions.Ref r = LifecycleOptions.Ref.parse(ref);
            Optional<PolicyVersion> p = lc.withdraw(r.id(), r.version(), actor.name(), reason);
            out.printf(
                    "withdrew %s%s%n",
                    r,
                    p.map(v -> ": policy version " + v.number() + " (" + v.contentHash() + ")")
                            .orElse(""));
            return 0;
        }
    }

    /** {@code clearance lifecycle run-due}. */
    @Command(
            name = "run-due",
            description = "Activate every scheduled version whose effective_from has come "
                    + "(what the serving process does every second; for a store no gateway serves).")
    static final class RunDue extends Query {
        @Override
        int query(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) {
            List<PolicyVersion> done = lc.activateDue();
            done.forEach(p -> out.printf("activated policy version %d (%s)%n", p.number(), p.contentHash()));
            if (done.isEmpty()) {
                out.println("nothing due");
            }
            return 0;
        }
    }

    /** Read-only commands: no reason needed. */
    public abstract static class Query implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LifecycleOptions options;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ClearanceConfig cfg = options.load();
                try (Store store = options.open(false);
                        LifecycleService lc = options.service(store, cfg)) {
                    return query(lc, store, out, err);
                } finally {
                    out.flush();
                }
            } catch (PolicyException e) {
                e.problems().forEach(err::println);
                return 1;
            } catch (IOException e) {
                err.println("clearance: " + e.getMessage());
                return 1;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }

        abstract int query(LifecycleService lc, Store store, PrintWriter out, PrintWriter err)
                throws PolicyException, IOException;

        Query() {}
    }

    /** {@code clearance lifecycle schedule}. */
    @Command(name = "schedule", description = "List scheduled activations and what became of them.")
    static final class Schedule extends Query {
        @Override
        int query(LifecycleService lc, Store store, PrintWriter out, PrintWriter err) {
            List<ScheduledActivation> all = lc.schedule();
            if (all.isEmpty()) {
                out.println("no scheduled activations");
            }
            for (ScheduledActivation s : all) {
                out.printf(
                        "%s@%d  due %s  %s  requested by %s: %s%s%n",
                        s.directiveId(),
                        s.version(),
                        s.due(),
                        s.state(),
                        s.requestedBy(),
                        s.reason(),
                        s.note() == null
                                ? (s.policyNumber() == null ? "" : "  -> policy version " + s.policyNumber())
                                : "  (" + s.note() + ")");
            }
            return 0;
        }
    }

    static DirectiveVersion version(LifecycleService lc, String ref) {
        LifecycleOptions.Ref r = LifecycleOptions.Ref.parse(ref);
        return lc.version(r.id(), r.version());
    }

    /** {@code clearance lifecycle diff ID@V1 ID@V2}. */
    @Command(
            name = "diff",
            description =
                    "What changes from one directive version to another: the text, line by line, and the "
                            + "impact (the simulation of the active policy with V1 in place against the active policy with V2 in place).")
    public static final class Diff extends Query {
        @Parameters(index = "0", paramLabel = "ID@V1")
        String from;

        @Parameters(index = "1", paramLabel = "ID@V2")
        String to;

        @Mixin
        ImpactInputs inputs;

        @Option(
                names = "--format",
                defaultValue = "text",
                paramLabel = "FORMAT",
                description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        int query(LifecycleService lc, Store store, PrintWriter out, PrintWriter err)
                throws PolicyException, IOException {
            if (!format.equals("text") && !format.equals("json")) {
                err.println("--format: '" + format + "' is not valid (valid: text, json)");
                return 1;
            }
            DirectiveVersion a = version(lc, from);
            DirectiveVersion b = version(lc, to);
            Policy before = lc.activePolicyWith(a);
            Policy after = lc.activePolicyWith(b);
            ImpactReport r = inputs.simulation(before, after).run(inputs.population(store), inputs.traffic());
            SimulateCommand.warnIfNoModels(r, err);
            if (format.equals("json")) {
                out.print(ReportJson.write(r));
                return 0;
            }
            out.printf(
                    "--- %s (%s, by %s)%n+++ %s (%s, by %s)%n",
                    a.label(),
                    a.status().wireName(),
                    a.author(),
                    b.label(),
                    b.status().wireName(),
                    b.author());
            TextDiff.lines(a.text(), b.text()).forEach(out::println);
            out.println();
            out.print(ReportText.write(r));
            return 0;
        }
    }

    /** {@code clearance lifecycle shadow-report ID}. */
    @Command(
            name = "shadow-report",
            description = "Evidence for promoting a shadow directive: how many live requests it would "
                    + "have denied (counted by the gateway, per hour and policy version), and with --requests, over recorded traffic "
                    + "under the active policy.")
    public static final class ShadowReport extends Query {
        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        ImpactInputs inputs;

        @Override
        int query(LifecycleService lc, Store store, PrintWriter out, PrintWriter err)
                throws PolicyException, IOException {
            List<ShadowCounter.Hits> hits = lc.shadowCounter().hits(id);
            long total = hits.stream().mapToLong(ShadowCounter.Hits::hits).sum();
            out.printf("shadow directive %s: %,d live request(s) would have been denied%n", id, total);
            for (ShadowCounter.Hits h : hits) {
                out.printf("  %s  %,9d  (policy %s)%n", h.hour(), h.hits(), h.policyVersion());
            }
            if (inputs.requests != null) {
                Policy policy = lc.activePolicy();
                ImpactReport r = inputs.simulation(policy, policy).run(inputs.population(store), inputs.traffic());
                ImpactReport.DirectiveTraffic t = r.requests().byDirective().get(id);
                out.printf(
                        "over %s: %,d of %,d request(s) would have been denied by %s under the active policy (%s)%n",
                        inputs.requests,
                        t == null ? 0 : t.shadowHits(),
                        r.requests().totals().total(),
                        id,
                        policy.version());
            }
            return 0;
        }
    }
}
