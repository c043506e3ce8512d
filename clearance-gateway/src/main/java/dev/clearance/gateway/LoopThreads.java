package dev.clearance.gateway;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual threads whose scheduler is one of the model API's event loops, so a call written as plain
 * blocking code runs on the thread that does its connections' socket work: a wait on the upstream
 * unmounts the call's thread and the event loop goes on with other connections; the upstream's answer,
 * read on the same loop, mounts it again on the same OS thread, with no hand-off to another thread and
 * no wake-up of a sleeping one. On the JDK's own scheduler (a fork-join pool beside the loops) each of
 * those steps crosses threads: about 12 µs more CPU per proxied call on this project's benchmark
 * machine (docs/benchmarks.md, "Fifth session").
 *
 * <p>The JDK has no public API for a virtual thread's scheduler yet; its builder has a constructor
 * taking one (used by the JDK's own tests), reached here by reflection, which needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} ({@code bin/clearance} passes it). Only on a JDK
 * of version 24 or later: before JEP 491 a virtual thread waiting inside {@code synchronized} (Netty's
 * promises wait that way) would block its carrier, here the event loop it waits for. Without either,
 * calls run on the JDK's default scheduler: slower, otherwise the same.
 */
final class LoopThreads {
    private static final Logger LOG = LoggerFactory.getLogger(LoopThreads.class);
    private static final Constructor<?> WITH_SCHEDULER = withScheduler();

    private LoopThreads() {}

    /** Whether calls run on their event loops (false: on the JDK's default virtual-thread scheduler). */
    static boolean onLoops() {
        return WITH_SCHEDULER != null;
    }

    /** A builder of virtual threads scheduled on {@code loop}, or on the default scheduler when that is not possible. */
    static Thread.Builder.OfVirtual on(Executor loop) {
        if (WITH_SCHEDULER != null) {
            try {
                return (Thread.Builder.OfVirtual) WITH_SCHEDULER.newInstance(loop);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn(
                        "a virtual thread on an event loop could not be made ({}); using the default scheduler",
                        e.toString());
            }
        }
        return Thread.ofVirtual();
    }

    private static Constructor<?> withScheduler() {
        if (Runtime.version().feature() < 24) {
            LOG.warn(
                    "JDK {}: model API calls run on the default virtual-thread scheduler (event loops need JDK 24+)",
                    Runtime.version().feature());
            return null;
        }
        try {
            Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            Thread probe = ((Thread.Builder.OfVirtual) c.newInstance((Executor) Runnable::run)).unstarted(() -> {});
            if (!probe.isVirtual()) {
                return null;
            }
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "model API calls run on the default virtual-thread scheduler ({}); start the JVM with "
                            + "--add-opens java.base/java.lang=ALL-UNNAMED to run them on the event loops",
                    e.toString());
            return null;
        }
    }
}
