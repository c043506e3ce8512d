package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Principal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower survives what goes wrong while following, tells its listener (so the node reports
 * not ready), and tells it again when it follows once more. Runs on a real SQLite store.
 */
class ChangeFollowerTest {
    @TempDir
    Path dir;

    private Store store;
    private final Events events = new Events();

    @BeforeEach
    void open() {
        store = Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** What a listener heard, in order: "changes:<subjects>", "failure:<exception>" or "recovered". */
    private static final class Events implements ChangeFollower.Listener {
        final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        final AtomicInteger deliveriesToRefuse = new AtomicInteger();
        Supplier<RuntimeException> refusal = () -> new IllegalStateException("cannot apply this batch");

        @Override
        public void onChanges(List<Change> changes) {
            if (deliveriesToRefuse.getAndDecrement() > 0) {
                throw refusal.get();
            }
            heard.add("changes:" + changes.stream().map(Change::subject).toList());
        }

        @Override
        public void onFailure(Throwable failure) {
            heard.add(failure);
        }

        @Override
        public void onRecovered() {
            heard.add("recovered");
        }

        Object next() throws InterruptedException {
            Object e = heard.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("the listener heard something within 20 s").isNotNull();
            return e;
        }
    }

    private static Principal person(String id) {
        return Principal.builder(id).name("Person " + id).build();
    }

    @Test
    void a_listener_that_throws_hears_of_its_failure_and_gets_the_same_changes_again() throws Exception {
        events.deliveriesToRefuse.set(1);
        long start = store.changes().lastSequence();

        try (ChangeFollower follower = ChangeFollower.start(store, start, events)) {
            store.principals().put(person("alice"), "admin");

            assertThat(events.next())
                    .isInstanceOf(IllegalStateException.class)
                    .hasFieldOrPropertyWithValue("message", "cannot apply this batch");
            assertThat(events.next()).isEqualTo("changes:[alice]");
            assertThat(events.next()).isEqualTo("recovered");
            assertThat(follower.position()).isEqualTo(store.changes().lastSequence());
        }
    }

    @Test
    void a_listener_that_keeps_failing_keeps_the_node_failing_and_nothing_is_skipped() throws Exception {
        events.deliveriesToRefuse.set(2);

        try (ChangeFollower follower =
                ChangeFollower.start(store, store.changes().lastSequence(), events)) {
            store.principals().put(person("alice"), "admin");

            assertThat(events.next()).isInstanceOf(IllegalStateException.class);
            assertThat(events.next()).isInstanceOf(IllegalStateException.class);
            assertThat(events.next()).isEqualTo("changes:[alice]");
            assertThat(events.next()).isEqualTo("recovered");
        }
    }

    @Test
    void an_error_that_is_not_fatal_does_not_end_the_follower() throws Exception {
        events.deliveriesToRefuse.set(1);
        events.refusal = () -> {
            throw new NoClassDefFoundError("dev/clearance/Missing");
        };

        try (ChangeFollower follower =
                ChangeFollower.start(store, store.changes().lastSequence(), events)) {
            store.principals().put(person("alice"), "admin");

            assertThat(events.next()).isInstanceOf(NoClassDefFoundError.class);
            assertThat(events.next()).isEqualTo("changes:[alice]");
            assertThat(events.next()).isEqualTo("recovered");
        }
    }

    @Test
    void a_feed_that_throws_an_unexpected_exception_is_reported_and_followed_again_once_it_reads() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        Store flaky = withFeed(store, failingFirst(store.changes(), failuresLeft, IllegalStateException::new));

        try (ChangeFollower follower =
                ChangeFollower.start(flaky, store.changes().lastSequence(), events)) {
            assertThat(events.next()).isInstanceOf(IllegalStateException.class);
            assertThat(events.next()).isInstanceOf(IllegalStateException.class);
            // Ready again as soon as the feed reads, even while nothing changes.
            assertThat(events.next()).isEqualTo("recovered");

            store.principals().put(person("bob"), "admin");

            assertThat(events.next()).isEqualTo("changes:[bob]");
        }
    }

    @Test
    void a_follower_confirms_it_is_current_only_while_it_reads_the_store() throws Exception {
        Store flaky = withFeed(store, failingFirst(store.changes(), new AtomicInteger(1), IllegalStateException::new));

        try (ChangeFollower follower =
                ChangeFollower.start(flaky, store.changes().lastSequence(), events)) {
            long started = follower.currentAsOf();
            assertThat(events.next()).isInstanceOf(IllegalStateException.class);
            assertThat(follower.currentAsOf())
                    .as("no confirmation while failing")
                    .isEqualTo(started);

            assertThat(events.next()).isEqualTo("recovered");
            assertThat(follower.currentAsOf()).isGreaterThan(started);
        }
    }

    @Test
    void a_fatal_error_ends_the_follower_only_after_the_listener_heard_of_it() throws Exception {
        Store broken = withFeed(
                store, failingFirst(store.changes(), new AtomicInteger(1), () -> new OutOfMemoryError("simulated")));

        try (ChangeFollower follower = ChangeFollower.start(broken, 0, events)) {
            assertThat(events.next()).isInstanceOf(OutOfMemoryError.class);
            store.principals().put(person("carol"), "admin");

            assertThat(events.heard.poll(3, TimeUnit.SECONDS))
                    .as("nothing after a fatal error: no recovery, no changes")
                    .isNull();
        }
    }

    /** {@code feed}, except that its first {@code failures} subscriptions fail with what {@code failure} makes. */
    private static ChangeFeed failingFirst(ChangeFeed feed, AtomicInteger failures, Supplier<Throwable> failure) {
        return new ChangeFeed() {
            @Override
            public long lastSequence() {
                return feed.lastSequence();
            }

            @Override
            public List<Change> since(long after, int limit) {
                return feed.since(after, limit);
            }

            @Override
            public Subscription subscribe() {
                if (failures.getAndDecrement() > 0) {
                    Throwable t = failure.get();
                    if (t instanceof Error e) {
                        throw e;
                    }
                    throw (RuntimeException) t;
                }
                return feed.subscribe();
            }
        };
    }

    /** {@code store} with another change feed. */
    private static Store withFeed(Store store, ChangeFeed feed) {
        return new Store() {
            @Override
            public PrincipalRegistry principals() {
                return store.principals();
            }

            @Override
            public ApiKeys keys() {
                return store.keys();
            }

            @Override
            public DirectiveVersions directives() {
                return store.directives();
            }

            @Override
            public PolicyVersions policies() {
                return store.policies();
            }

            @Override
            public ChangeFeed changes() {
                return feed;
            }

            @Override
            public Fleet fleet() {
                return store.fleet();
            }

            @Override
            public FileLoads fileLoads() {
                return store.fileLoads();
            }

            @Override
            public Provisioning provisioning() {
                return store.provisioning();
            }

            @Override
            public Database database() {
                return store.database();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
