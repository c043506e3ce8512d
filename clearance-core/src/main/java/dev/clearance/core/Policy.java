package dev.clearance.core;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An immutable, compiled directive set: every condition type-checked and planned once, directives
 * indexed by model, and principal-only parts of conditions split out so they are evaluated once per
 * principal and policy version. {@link DecisionPoint#decide} reads it; nothing mutates it.
 */
public final class Policy {
    private static final int MODEL_INDEX_LIMIT = 10_000;

    private static final Cel CEL = CelFactory.plannerCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(CelSchema.TYPES)
            .addVar("principal", CelSchema.PRINCIPAL)
            .addVar("request", CelSchema.REQUEST)
            .setResultType(SimpleType.BOOL)
            .build();

    private final List<Directive> directives;
    private final CompiledDirective[] compiled;
    private final String version;
    private final ConcurrentHashMap<String, ModelScope> byModel = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, long[]> byCapability = new ConcurrentHashMap<>();
    private final long[] allCapabilities;
    private final InForce inForce;
    /** Identifies this compiled instance in principals' memos; never 0 (an empty memo word). */
    private final long serial = SERIALS.incrementAndGet();

    private static final AtomicLong SERIALS = new AtomicLong();

    private Policy(List<Directive> directives, CompiledDirective[] compiled, String version) {
        this.directives = directives;
        this.compiled = compiled;
        this.version = version;
        this.allCapabilities = new long[words()];
        for (CompiledDirective cd : compiled) {
            if (cd.allCapabilities) {
                allCapabilities[cd.index >>> 6] |= 1L << cd.index;
            }
        }
        this.inForce = new InForce(compiled);
    }

    /** The empty policy: no directive restricts anything. */
    public static Policy empty() {
        try {
            return compile(List.of());
        } catch (PolicyException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Type-checks every {@code applies_to} and compiles the set. Every problem is reported, each
     * located in its file; on any problem nothing is compiled.
     */
    public static Policy compile(List<Directive> directives) throws PolicyException {
        List<Directive> sorted = new ArrayList<>(directives);
        sorted.sort(Comparator.comparing(Directive::id));
        List<Problem> problems = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                Directive d = sorted.get(i);
                problems.add(new Problem(
                        d.source().file(),
                        d.source().line(),
                        d.source().column(),
                        "duplicate directive id '" + d.id() + "'"));
            }
        }
        CompiledDirective[] out = new CompiledDirective[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            out[i] = compileOne(sorted.get(i), i, problems);
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new Policy(List.copyOf(sorted), out, versionOf(sorted));
    }

    /**
     * Conditions already planned, by their text: planning is pure and the programs are immutable, so a
     * policy change re-plans only the conditions it changed (the rest of the set is recompiled in
     * microseconds, which keeps a new policy version's way to every node short). Bounded: cleared
     * whole when full.
     */
    private static final ConcurrentHashMap<String, Planned> PLANNED = new ConcurrentHashMap<>();

    private static final int PLANNED_LIMIT = 4096;

    /** A condition's conjuncts, planned. */
    private record Planned(CompiledDirective.Conjunct[] principalOnly, CompiledDirective.Conjunct[] withRequest) {}

    private static CompiledDirective compileOne(Directive d, int index, List<Problem> problems) {
        Planned planned = PLANNED.get(d.appliesTo());
        if (planned == null) {
            planned = plan(d, problems);
            if (planned == null) {
                return null;
            }
            if (PLANNED.size() >= PLANNED_LIMIT) {
                PLANNED.clear();
            }
            PLANNED.put(d.appliesTo(), planned);
        }
        return new CompiledDirective(d, index, planned.principalOnly(), planned.withRequest());
    }

    /** Type-checks and plans one directive's condition; null (with located problems) when it does not compile. */
    private static Planned plan(Directive d, List<Problem> problems) {
        CelAbstractSyntaxTree ast;
        try {
            ast = CEL.compile(d.appliesTo(), d.source().file()).getAst();
        } catch (CelValidationException e) {
            for (CelIssue issue : e.getErrors()) {
                problems.add(locate(d.id(), d.source(), issue));
            }
            return null;
        }
        List<CompiledDirective.Conjunct> principalOnly = new ArrayList<>();
        List<CompiledDirective.Conjunct> withRequest = new ArrayList<>();
        List<CelExpr> conjuncts = new ArrayList<>();
        splitConjunction(ast.getExpr(), conjuncts);
        for (CelExpr c : conjuncts) {
            CelAbstractSyntaxTree sub =
                    CelAbstractSyntaxTree.newCheckedAst(c, ast.getSource(), ast.getReferenceMap(), ast.getTypeMap());
            CelRuntime.Program program;
            try {
                program = CEL.createProgram(sub);
            } catch (CelEvaluationException e) {
                problems.add(new Problem(
                        d.source().file(),
                        d.source().appliesToLine(),
                        d.source().appliesToColumn(),
                        "field 'applies_to': cannot be planned: " + e.getMessage()));
                return null;
            }
            Shortcut shortcut = Shortcut.of(c);
            (references(c, "request") ? withRequest : principalOnly)
                    .add(new CompiledDirective.Conjunct(
                            program, shortcut, CelShapes.attributeKeysRead(c), readsCapabilities(c)));
        }
        return new Planned(
                principalOnly.toArray(CompiledDirective.Conjunct[]::new),
                withRequest.toArray(CompiledDirective.Conjunct[]::new));
    }

    /** Flattens nested {@code a && b && c} so each part can be evaluated, and memoised, on its own. */
    private static void splitConjunction(CelExpr e, List<CelExpr> out) {
        if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL
                && e.call().function().equals("_&&_")
                && e.call().target().isEmpty()) {
            for (CelExpr arg : e.call().args()) {
                splitConjunction(arg, out);
            }
        } else {
            out.add(e);
        }
    }

    private static boolean references(CelExpr e, String variable) {
        return anyNode(
                e,
                n -> n.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT
                        && n.ident().name().equals(variable));
    }

    /** {@code request.capabilities} appears in the expression. */
    private static boolean readsCapabilities(CelExpr e) {
        return anyNode(
                e,
                n -> n.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT
                        && n.select().field().equals("capabilities")
                        && n.select().operand().exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT
                        && n.select().operand().ident().name().equals("request"));
    }

    /** Whether {@code test} holds for {@code e} or any expression inside it. */
    private static boolean anyNode(CelExpr e, Predicate<CelExpr> test) {
        if (test.test(e)) {
            return true;
        }
        return switch (e.exprKind().getKind()) {
            case SELECT -> anyNode(e.select().operand(), test);
            case CALL ->
                e.call().target().map(t -> anyNode(t, test)).orElse(false)
                        || e.call().args().stream().anyMatch(a -> anyNode(a, test));
            case LIST -> e.list().elements().stream().anyMatch(a -> anyNode(a, test));
            case MAP -> e.map().entries().stream().anyMatch(en -> anyNode(en.key(), test) || anyNode(en.value(), test));
            case STRUCT -> e.struct().entries().stream().anyMatch(en -> anyNode(en.value(), test));
            case COMPREHENSION ->
                anyNode(e.comprehension().iterRange(), test)
                        || anyNode(e.comprehension().accuInit(), test)
                        || anyNode(e.comprehension().loopCondition(), test)
                        || anyNode(e.comprehension().loopStep(), test)
                        || anyNode(e.comprehension().result(), test);
            default -> false;
        };
    }

    /**
     * Type-checks one condition on its own, for a document whose other fields are wrong (it cannot
     * become a {@link Directive}), so a validator reports its condition's errors in the same pass.
     */
    static List<Problem> checkCondition(String directiveId, String appliesTo, Directive.Source source) {
        try {
            CEL.compile(appliesTo, source.file()).getAst();
            return List.of();
        } catch (CelValidationException e) {
            return e.getErrors().stream()
                    .map(issue -> locate(directiveId, source, issue))
                    .toList();
        }
    }

    /** Maps a CEL issue (line/column inside the expression) to the directive file. */
    private static Problem locate(String directiveId, Directive.Source s, CelIssue issue) {
        int exprLine = Math.max(1, issue.getSourceLocation().getLine());
        int exprCol = Math.max(0, issue.getSourceLocation().getColumn());
        int line;
        int col;
        if (exprLine == 1 || s.blockScalar()) {
            line = s.appliesToLine() + exprLine - 1;
            col = s.appliesToColumn() + exprCol;
        } else {
            line = s.appliesToLine() + exprLine - 1;
            col = exprCol + 1;
        }
        String msg = issue.getMessage();
        return new Problem(s.file(), line, col, "directive '" + directiveId + "', field 'applies_to': " + msg);
    }

    /** Content hash of the directive set: the same directives give the same version, whatever their files' layout. */
    private static String versionOf(List<Directive> sorted) {
        MessageDigest md = Sha256.newDigest();
        for (Directive d : sorted) {
            field(md, d.id());
            field(md, d.title());
            field(md, d.authority());
            field(md, d.reference());
            field(md, d.effectiveFrom().toString());
            field(md, d.effectiveUntil() == null ? "" : d.effectiveUntil().toString());
            field(md, String.join("\u001f", d.models()));
            field(md, String.join("\u001f", d.capabilities()));
            field(md, d.appliesTo());
            field(md, d.effect().name());
            field(md, String.join("\u001f", d.exemptLicenses()));
            field(md, d.mode().name());
            field(md, d.message());
        }
        return "sha256:" + Sha256.hex(md);
    }

    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(
                new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length
                });
        md.update(b);
    }

    /** The directives, sorted by id. */
    public List<Directive> directives() {
        return directives;
    }

    public Optional<Directive> directive(String id) {
        return directives.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** Content hash of the directive set ({@code sha256:<hex>}). */
    public String version() {
        return version;
    }

    long serial() {
        return serial;
    }

    /** Number of directives: the entries of a principal's memo. */
    int size() {
        return compiled.length;
    }

    /** Words of a set of directives as bits by {@link CompiledDirective#index}, 64 to a word. */
    int words() {
        return (compiled.length + 63) >>> 6;
    }

    /** Directives scoped to every capability ({@code "*"}), as bits by index. */
    long[] allCapabilities() {
        return allCapabilities;
    }

    /** Which directives are in force at a time, as bits by index (see {@link InForce}). */
    InForce inForce() {
        return inForce;
    }

    /**
     * Whether some directive's hit can depend on the capabilities a request names (its scope names
     * capabilities, or its condition reads {@code request.capabilities}): only then is it worth
     * finding out what a request really asks for.
     */
    public boolean readsCapabilities() {
        for (CompiledDirective cd : compiled) {
            if (cd.capabilityDependent) {
                return true;
            }
        }
        return false;
    }

    CompiledDirective[] compiled() {
        return compiled;
    }

    /**
     * Directives whose model globs match {@code model}, sorted by id. Globs and names are compared by
     * their {@link ModelName#key keys}. Cached per model name: the gateway decides only its catalogue's
     * ids, and for other callers (admin decide, CLI, simulator) the cache is bounded in entries and in
     * name length, so no input can grow it beyond {@value #MODEL_INDEX_LIMIT} short names.
     */
    CompiledDirective[] candidates(String model) {
        return modelScope(model).directives();
    }

    /** {@link #candidates} with the same directives as bits by {@link CompiledDirective#index}. */
    ModelScope modelScope(String model) {
        int slot = model.hashCode() & (RECENT_MODELS - 1);
        ModelScope recent = recentModels[slot];
        if (recent != null && (recent.model == model || recent.model.equals(model))) {
            return recent;
        }
        ModelScope c = byModel.get(model);
        if (c != null) {
            recentModels[slot] = c;
        } else {
            String key = ModelName.key(model);
            List<CompiledDirective> l = new ArrayList<>();
            long[] bits = new long[words()];
            for (CompiledDirective cd : compiled) {
                if (cd.coversModel(key)) {
                    l.add(cd);
                    bits[cd.index >>> 6] |= 1L << cd.index;
                }
            }
            c = new ModelScope(model, l.toArray(CompiledDirective[]::new), bits);
            if (model.length() <= ModelName.MAX_LENGTH && byModel.size() < MODEL_INDEX_LIMIT) {
                byModel.putIfAbsent(model, c);
            }
        }
        return c;
    }

    /**
     * A few recently decided models in front of {@link #byModel}, direct-mapped by hash: a decision
     * then costs one array read and a reference comparison instead of a concurrent map lookup. Entries
     * are immutable, so a racing overwrite only costs a later miss.
     */
    private final ModelScope[] recentModels = new ModelScope[RECENT_MODELS];

    private static final int RECENT_MODELS = 16;

    /**
     * The directives a model name is in scope of, as an array and as bits by index (the same set).
     * Fields are final, so the bits are seen complete by any thread that sees the scope.
     */
    record ModelScope(String model, CompiledDirective[] directives, long[] bits) {}

    /** Model names remembered by {@link #candidates}: for tests of its bound. */
    int modelIndexSize() {
        return byModel.size();
    }

    /** Capability names remembered by {@link #capabilityScope}: for tests of its bound. */
    int capabilityIndexSize() {
        return byCapability.size();
    }

    /**
     * Directives (bits by {@link CompiledDirective#index}) with a capability scope that some of
     * {@code capabilities} falls in; null when the request names none. Directives scoped to every
     * capability ({@code "*"}) are left out: the caller checks {@link CompiledDirective#allCapabilities}
     * first. Cached per capability name, so capability globs are matched once per policy, not per request.
     */
    long[] capabilityScope(List<String> capabilities) {
        int n = capabilities.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return capabilityScope(capabilities.get(0));
        }
        long[] union = new long[words()];
        for (int i = 0; i < n; i++) {
            long[] one = capabilityScope(capabilities.get(i));
            for (int w = 0; w < union.length; w++) {
                union[w] |= one[w];
            }
        }
        return union;
    }

    private long[] capabilityScope(String name) {
        // Capability names compare case-insensitively (the directives' globs are kept in lower case).
        String capability = name.toLowerCase(Locale.ROOT);
        long[] bits = byCapability.get(capability);
        if (bits == null) {
            bits = new long[words()];
            for (CompiledDirective cd : compiled) {
                if (!cd.allCapabilities && cd.coversCapability(capability)) {
                    bits[cd.index >>> 6] |= 1L << cd.index;
                }
            }
            if (capability.length() <= ModelName.MAX_LENGTH && byCapability.size() < MODEL_INDEX_LIMIT) {
                byCapability.putIfAbsent(capability, bits);
            }
        }
        return bits;
    }

    @Override
    public String toString() {
        return "Policy[" + version + ", " + directives.size() + " directives]";
    }
}
