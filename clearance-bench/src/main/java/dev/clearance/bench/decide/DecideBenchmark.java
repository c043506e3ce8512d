package dev.clearance.bench.decide;

import com.cedarpolicy.model.entity.Entity;
import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Directive;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decision over the generated workload ({@link Workload}: 200 directives, 1,000,000 principals,
 * 2^20 mixed requests drawn uniformly over all principals), by the core and, on the same directives
 * and requests, by cedar-java and jCasbin. Each call takes the next request in a fixed order; the
 * per-principal view each engine needs (the core's {@link PrincipalFacts}, a Cedar entity, a Casbin
 * subject) is built once per principal in setup, as a gateway caches it beside the API key.
 * {@code decisionPointColdPrincipal} builds the core's view on every call instead (no cache, empty memo).
 *
 * <p>Run with {@code bench/decide.sh}; {@code DecideEnginesAgreeTest} checks the engines agree.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        // The heap touched once before measuring, as a node's is after its first minutes: -Xms commits
        // it but leaves every page to fault on its first write, and on 4 KiB pages in a VM those faults
        // (10-20 us each) were the p99 of a decision here (docs/benchmarks.md, Decision point).
        jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class DecideBenchmark {
    static final long SEED = 20261126L;
    static final int REQUESTS = 1 << 20;

    /** Directives and requests, shared by every engine's state. */
    @State(Scope.Benchmark)
    public static class Work {
        @Param("200")
        public int directives;

        @Param("1000000")
        public int principals;

        List<Workload.GeneratedDirective> generated;
        Request[] requests;
        int[] principalOf;

        @Setup(Level.Trial)
        public void generate() {
            generated = Workload.directives(directives, SEED);
            requests = Workload.requests(REQUESTS, principals, generated, SEED);
            principalOf = new int[REQUESTS];
            for (int i = 0; i < REQUESTS; i++) {
                principalOf[i] = Workload.principalIndex(requests[i]);
            }
        }

        Principal[] allPrincipals() {
            Principal[] p = new Principal[principals];
            for (int i = 0; i < principals; i++) {
                p[i] = Workload.principal(i, SEED);
            }
            return p;
        }
    }

    /** The request order: every call takes the next request; one cursor per thread. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        int next() {
            int i = next;
            next = (i + 1) & (REQUESTS - 1);
            return i;
        }
    }

    @State(Scope.Benchmark)
    public static class Core {
        Policy policy;
        Principal[] principals;
        PrincipalFacts[] facts;

        @Setup(Level.Trial)
        public void build(Work w) throws PolicyException {
            List<Directive> ds = w.generated.stream()
                    .map(Workload.GeneratedDirective::directive)
                    .toList();
            policy = Policy.compile(ds);
            principals = w.allPrincipals();
            facts = new PrincipalFacts[principals.length];
            for (int i = 0; i < principals.length; i++) {
                facts[i] = PrincipalFacts.of(principals[i]);
            }
            int deny = 0;
            for (int i = 0; i < 100_000; i++) {
                if (!DecisionPoint.decide(policy, facts[w.principalOf[i]], w.requests[i])
                        .allowed()) {
                    deny++;
                }
            }
            System.out.printf(
                    "%n[workload] %d directives, %d principals, %d requests; %.1f%% of the first 100k requests denied%n",
                    ds.size(), principals.length, REQUESTS, deny / 1000.0);
        }
    }

    /**
     * The core over the workload's directives plus {@link Workload#shapeDirectives} (40 more, of the
     * shapes the other engines are not given: negated conjunctions, unguarded reads that error,
     * {@code true}, {@code has()}, quantifiers, string functions, timestamps and durations).
     */
    @State(Scope.Benchmark)
    public static class CoreShapes {
        Policy policy;
        PrincipalFacts[] facts;

        @Setup(Level.Trial)
        public void build(Work w) throws PolicyException {
            List<Directive> ds = new java.util.ArrayList<>(w.generated.stream()
                    .map(Workload.GeneratedDirective::directive)
                    .toList());
            ds.addAll(Workload.shapeDirectives(40, SEED));
            policy = Policy.compile(ds);
            Principal[] principals = w.allPrincipals();
            facts = new PrincipalFacts[principals.length];
            for (int i = 0; i < principals.length; i++) {
                facts[i] = PrincipalFacts.of(principals[i]);
            }
            int deny = 0;
            int errors = 0;
            for (int i = 0; i < 100_000; i++) {
                Decision d = DecisionPoint.decide(policy, facts[w.principalOf[i]], w.requests[i]);
                deny += d.allowed() ? 0 : 1;
                errors += d.errors().isEmpty() ? 0 : 1;
            }
            System.out.printf(
                    "%n[workload+shapes] %d directives; of the first 100k requests %.1f%% denied, %.1f%% with errors%n",
                    ds.size(), deny / 1000.0, errors / 1000.0);
        }
    }

    @State(Scope.Benchmark)
    public static class Cedar {
        CedarEngine engine;
        Principal[] principals;
        Entity[] entities;

        @Setup(Level.Trial)
        public void build(Work w) {
            engine = new CedarEngine(w.generated);
            principals = w.allPrincipals();
            entities = new Entity[principals.length];
            for (int i = 0; i < principals.length; i++) {
                entities[i] = CedarEngine.entity(principals[i]);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Casbin {
        /** {@code eval}: directives as policy lines; {@code inlined}: rules written into the matcher. */
        @Param({"eval", "inlined"})
        public String casbinForm;

        CasbinEngine engine;
        Principal[] principals;
        CasbinEngine.Subject[] subjects;

        @Setup(Level.Trial)
        public void build(Work w) {
            engine = casbinForm.equals("eval")
                    ? CasbinEngine.withEval(w.generated)
                    : CasbinEngine.withInlinedMatcher(w.generated);
            principals = w.allPrincipals();
            subjects = new CasbinEngine.Subject[principals.length];
            for (int i = 0; i < principals.length; i++) {
                subjects[i] = CasbinEngine.Subject.of(principals[i]);
            }
        }
    }

    @Benchmark
    public Decision decisionPoint(Work w, Core core, Cursor cursor) {
        int i = cursor.next();
        return DecisionPoint.decide(core.policy, core.facts[w.principalOf[i]], w.requests[i]);
    }

    @Benchmark
    public Decision decisionPointShapes(Work w, CoreShapes core, Cursor cursor) {
        int i = cursor.next();
        return DecisionPoint.decide(core.policy, core.facts[w.principalOf[i]], w.requests[i]);
    }

    @Benchmark
    public Decision decisionPointColdPrincipal(Work w, Core core, Cursor cursor) {
        int i = cursor.next();
        return DecisionPoint.decide(core.policy, core.principals[w.principalOf[i]], w.requests[i]);
    }

    @Benchmark
    public CedarEngine.Answer cedarJava(Work w, Cedar cedar, Cursor cursor) {
        int i = cursor.next();
        int p = w.principalOf[i];
        return cedar.engine.decide(cedar.principals[p], cedar.entities[p], w.requests[i]);
    }

    @Benchmark
    public boolean jcasbin(Work w, Casbin casbin, Cursor cursor) {
        int i = cursor.next();
        int p = w.principalOf[i];
        return casbin.engine.allowed(casbin.principals[p], casbin.subjects[p], w.requests[i]);
    }
}
