package dev.clearance.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documentation is a test: every shell block of README.md's "Try it" and of the playbook, the
 * screening and the simulation guides runs, in order, in a fresh directory holding {@code bin/clearance}
 * (this build's CLI) and a copy of {@code examples/}, and what the text says it prints is checked. A
 * change to the docs that breaks a command, or a change to the code that breaks the docs, fails the build.
 *
 * <p>How a document marks its blocks (only fenced blocks matter; the prose may say anything):
 * <ul>
 *   <li>{@code ```sh}: run with {@code bash -euo pipefail}; it must exit 0. Variables it sets are
 *       visible to the blocks after it. A command that must fail is written {@code ! command}.</li>
 *   <li>{@code ```sh eventually}: what the serving process does within a second of an earlier step
 *       (a signed checkpoint, shadow counts, picking up a new policy); run again until it exits 0 and
 *       prints what the text states, for up to {@link #EVENTUALLY_TIMEOUT}. No document sleeps.</li>
 *   <li>{@code ```sh background}: one command that keeps running (a gateway); it runs until the end of
 *       the document. The API keys it prints ({@code   name   clr_…}) become {@code NAME_KEY}.</li>
 *   <li>{@code ```text} right after either: lines the output shows ({@link StatedOutput}:
 *       {@code <…>} for what differs between runs). For a background block, the test waits until
 *       they are all there.</li>
 * </ul>
 * The documented ports 8080 and 8081 are moved to free ones (in commands and stated output alike), so
 * the test never needs fixed ports; {@code serve --demo} is given them explicitly.
 */
class DocumentationTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(3);
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /** How long an {@code eventually} block is run again; what it waits for takes about a second. */
    static final Duration EVENTUALLY_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern KEY_LINE = Pattern.compile("^\\s+([a-z][a-z0-9_]*)\\s+(clr_[a-z2-7_]+)\\b.*$");

    @TempDir
    Path dir;

    /** Where the CLI's jars and its class-data archive live, shared by the documents. */
    @TempDir
    static Path shared;

    private static String launcher;

    /**
     * {@code bin/clearance}: this build's CLI and its dependencies, all as jars so the JVM can keep a
     * class-data archive of them (each of the many short runs starts about a third faster), created
     * by one warm-up run before any document uses it.
     */
    static synchronized String launcher() throws Exception {
        if (launcher != null) {
            return launcher;
        }
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                if (!p.endsWith("test-classes")) {
                    jars.add(jar(p, shared.resolve("classes-" + jars.size() + ".jar"))
                            .toString());
                }
            } else if (entry.endsWith(".jar")) {
                jars.add(entry);
            }
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> opts = new ArrayList<>(List.of(
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + shared.resolve("clearance.jsa"),
                "-Xlog:disable",
                "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            opts.add("--sun-misc-unsafe-memory-access=allow");
        }
        String script = "#!/usr/bin/env bash\nexec '" + javaBin + "' " + String.join(" ", opts) + " -cp '"
                + String.join(File.pathSeparator, jars) + "' dev.clearance.cli.Main \"$@\"\n";
        Path warmUp = shared.resolve("clearance");
        Files.writeString(warmUp, script);
        Files.setPosixFilePermissions(warmUp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = new ProcessBuilder(warmUp.toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        launcher = script;
        return launcher;
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            // Directory entries too: classpath scanners (Flyway's, for db/migration) list a jar's directories.
            for (Path f : files.filter(f -> !f.equals(classes)).toList()) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                boolean directory = Files.isDirectory(f);
                out.putNextEntry(new java.util.jar.JarEntry(directory ? name + "/" : name));
                if (!directory) {
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"README.md#Try it", "docs/playbook.md", "docs/screening.md", "docs/simulation.md"})
    void every_shell_block_runs_as_written_and_prints_what_the_text_says(String document) throws Exception {
        String[] at = document.split("#", 2);
        Markdown md = Markdown.parse(Files.readString(ROOT.resolve(at[0])), at.length > 1 ? at[1] : null);
        assertThat(md.blocks())
                .as("%s has shell blocks", document)
                .anyMatch(b -> b.language().equals("sh"));
        try (Session session = new Session(dir, document)) {
            List<Markdown.Block> blocks = md.blocks();
            for (int i = 0; i < blocks.size(); i++) {
                Markdown.Block b = blocks.get(i);
                if (!b.language().equals("sh")) {
                    continue;
                }
                Optional<StatedOutput> stated = Optional.empty();
                if (i + 1 < blocks.size()
                        && blocks.get(i + 1).language().equals("text")
                        && blocks.get(i + 1).afterBlock()) {
                    stated = Optional.of(
                            StatedOutput.of(session.ports(blocks.get(i + 1).body())));
                }
                if (b.has("background")) {
                    session.background(b, stated);
                } else {
                    session.run(b, stated);
                }
            }
        }
    }

    /** One document's run: its directory, the CLI, the variables blocks set, and what runs in the background. */
    static final class Session implements AutoCloseable {
        private final Path work;
        private final Path env;
        private final String document;
        private final int port;
        private final int adminPort;
        private final List<Background> background = new ArrayList<>();

        Session(Path tmp, String document) throws Exception {
            this.document = document;
            this.work = Files.createDirectories(tmp.resolve("work"));
            this.env = tmp.resolve("env.sh");
            Files.writeString(env, "");
            copy(ROOT.resolve("examples"), work.resolve("examples"));
            Path bin = Files.createDirectories(work.resolve("bin"));
            Path cli = bin.resolve("clearance");
            Files.writeString(cli, DocumentationTest.launcher());
            Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
            this.port = freePort();
            this.adminPort = freePort();
        }

        /** The documented ports moved to this run's free ones. */
        String ports(String text) {
            return text.replaceAll("(?<![0-9])8080(?![0-9])", String.valueOf(port))
                    .replaceAll("(?<![0-9])8081(?![0-9])", String.valueOf(adminPort));
        }

        private String script(Markdown.Block b, boolean keepVariables) {
            String body = ports(b.body());
            if (body.contains("serve --demo") && !body.contains("--port")) {
                body = body.replace("serve --demo", "serve --demo --port " + port + " --admin-port " + adminPort);
            }
            String prelude = "set -euo pipefail\nset -a\nsource '" + env + "'\n";
            return keepVariables
                    ? prelude + body + "\nexport -p > '" + env + "'\n"
                    : prelude + "exec " + body.strip() + "\n";
        }

        void run(Markdown.Block b, Optional<StatedOutput> stated) throws Exception {
            boolean eventually = b.has("eventually");
            if (eventually && stated.isEmpty()) {
                fail(where(b) + " is marked 'eventually' but no text block after it states what to wait for");
            }
            Attempt last = Eventually.until(
                    () -> once(b),
                    a -> a.exit() == 0
                            && stated.flatMap(s -> s.missingFrom(a.output())).isEmpty(),
                    eventually ? EVENTUALLY_TIMEOUT : Duration.ZERO);
            if (last.exit() != 0) {
                fail(where(b) + " failed (exit " + last.exit() + "):\n" + b.body() + "\n--- output:\n" + last.output()
                        + backgroundOutput());
            }
            stated.flatMap(s -> s.missingFrom(last.output()))
                    .ifPresent(missing -> fail(where(b) + " does not print what the text says"
                            + (eventually ? " (run again for " + EVENTUALLY_TIMEOUT + ")" : "") + ":\n  " + missing
                            + "\n--- command:\n" + b.body() + "--- output:\n" + last.output()));
        }

        /** One run of a block, in a fresh output file. */
        private Attempt once(Markdown.Block b) throws Exception {
            Path out = Files.createTempFile(env.getParent(), "out", ".txt");
            Process p = start(script(b, true), out);
            if (!p.waitFor(BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(where(b) + " did not finish within " + BLOCK_TIMEOUT + ":\n" + b.body() + "\n"
                        + Files.readString(out));
            }
            return new Attempt(p.exitValue(), Files.readString(out));
        }

        private record Attempt(int exit, String output) {}

        void background(Markdown.Block b, Optional<StatedOutput> stated) throws Exception {
            Path out = Files.createTempFile(env.getParent(), "background", ".txt");
            Process p = start(script(b, false), out);
            background.add(new Background(b, p, out));
            StatedOutput ready = stated.orElse(new StatedOutput(List.of()));
            // without stated output, "ready" is: still running after a first look
            String output = Eventually.until(
                    () -> Files.readString(out),
                    o -> !p.isAlive()
                            || (stated.isPresent() && ready.missingFrom(o).isEmpty()),
                    stated.isPresent() ? READY_TIMEOUT : Duration.ZERO);
            if (ready.missingFrom(output).isPresent() || (stated.isEmpty() && !p.isAlive())) {
                fail(where(b)
                        + (p.isAlive()
                                ? " did not print within " + READY_TIMEOUT + ":\n  "
                                        + ready.missingFrom(output).orElseThrow()
                                : " stopped (exit " + p.exitValue() + "):\n" + b.body())
                        + "\n--- output:\n" + output);
            }
            exportKeys(output);
        }

        /** Runs {@code script} with bash in the document's directory, its output (both streams) to {@code out}. */
        private Process start(String script, Path out) throws IOException {
            return new ProcessBuilder("bash", "-c", script)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
        }

        /** {@code   alice   clr_…} lines become {@code ALICE_KEY=clr_…} for the blocks that follow. */
        private void exportKeys(String output) throws IOException {
            StringBuilder vars = new StringBuilder();
            for (String line : output.lines().toList()) {
                Matcher m = KEY_LINE.matcher(line);
                if (m.matches()) {
                    vars.append("export ")
                            .append(m.group(1).toUpperCase(java.util.Locale.ROOT))
                            .append("_KEY=")
                            .append(m.group(2))
                            .append('\n');
                }
            }
            Files.writeString(env, vars.toString(), java.nio.file.StandardOpenOption.APPEND);
        }

        private String backgroundOutput() throws IOException {
            StringBuilder s = new StringBuilder();
            for (Background bg : background) {
                s.append("\n--- running in the background since line ")
                        .append(bg.block.line())
                        .append(":\n")
                        .append(Files.readString(bg.output));
            }
            return s.toString();
        }

        private String where(Markdown.Block b) {
            return document + ", the block at line " + b.line();
        }

        @Override
        public void close() throws Exception {
            for (Background bg : background) {
                bg.process.destroy(); // SIGTERM: the server closes its store and log
                if (!bg.process.waitFor(30, TimeUnit.SECONDS)) {
                    bg.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    bg.process.destroyForcibly();
                }
            }
        }

        private record Background(Markdown.Block block, Process process, Path output) {}

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        private static void copy(Path from, Path to) throws IOException {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.toList()) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }
}
