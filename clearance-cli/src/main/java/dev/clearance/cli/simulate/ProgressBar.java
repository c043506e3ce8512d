package dev.clearance.cli.simulate;

import dev.clearance.simulate.Progress;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on the terminal's standard error, drawn only when standard error is a terminal and
 * only once a run has lasted {@value #QUIET_MILLIS} ms (short runs stay quiet). Workers add to a
 * counter; one daemon thread redraws it a few times a second.
 */
final class ProgressBar implements Progress, AutoCloseable {
    private static final long QUIET_MILLIS = 2_000;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long started = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile String phase = "";
    private volatile String unit = "";
    private volatile long total = -1;
    private volatile long phaseStarted = System.nanoTime();
    private volatile boolean drawn;
    private final Thread painter;

    private ProgressBar(PrintStream out) {
        this.out = out;
        this.painter = Thread.ofPlatform().daemon().name("simulate-progress").unstarted(this::paintLoop);
        painter.start();
    }

    /** A bar on {@code System.err} when it is a terminal, otherwise {@link Progress#NONE}. */
    static Progress forTerminal() {
        return interactive() ? new ProgressBar(System.err) : Progress.NONE;
    }

    /** Whether the console is a terminal (JDK 22+ returns a console even when redirected; ask it). */
    static boolean interactive() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console is a terminal
        }
    }

    @Override
    public void phase(String name, String unit, long total) {
        this.phase = name;
        this.unit = unit;
        this.total = total;
        this.done.set(0);
        this.phaseStarted = System.nanoTime();
    }

    @Override
    public void advance(long n) {
        done.addAndGet(n);
    }

    private void paintLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(200);
                if ((System.nanoTime() - started) / 1_000_000 >= QUIET_MILLIS) {
                    paint();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void paint() {
        long d = done.get();
        long t = total;
        double secs = Math.max(1e-3, (System.nanoTime() - phaseStarted) / 1e9);
        StringBuilder s = new StringBuilder("\r").append(String.format("%-10s ", phase));
        if (t > 0) {
            double f = Math.min(1.0, (double) d / t);
            int full = (int) Math.round(f * WIDTH);
            s.append('[')
                    .append("#".repeat(full))
                    .append(" ".repeat(WIDTH - full))
                    .append("] ")
                    .append(String.format("%3d%%", Math.round(f * 100)));
        }
        if ("bytes".equals(unit)) {
            s.append(String.format("  %,.1f MB/s", d / secs / 1e6));
        } else {
            s.append(String.format("  %,d %s  %,.0f/s", d, unit, d / secs));
        }
        if (t > 0 && d > 0 && d < t) {
            long eta = Math.round((t - d) / (d / secs));
            s.append(String.format("  ~%d:%02d left", eta / 60, eta % 60));
        }
        s.append("   ");
        out.print(s);
        out.flush();
        drawn = true;
    }

    @Override
    public void close() {
        painter.interrupt();
        try {
            painter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drawn) {
            synchronized (this) {
                out.print("\r" + " ".repeat(WIDTH + 50) + "\r");
                out.flush();
            }
        }
    }
}
