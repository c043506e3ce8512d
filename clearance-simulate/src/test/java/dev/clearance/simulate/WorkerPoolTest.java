package dev.clearance.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A pass that never ends is the failure here: every test has a generous timeout. */
@Timeout(60)
class WorkerPoolTest {
    @ParameterizedTest(name = "with {0} worker(s)")
    @ValueSource(ints = {1, 2, 3, 7})
    void every_index_is_worked_on_once_and_the_states_come_back_in_index_order(int workers) {
        int n = 10_001;
        AtomicLongArray seen = new AtomicLongArray(n);
        AtomicLong reported = new AtomicLong();
        Progress progress = new Progress() {
            @Override
            public void phase(String name, String unit, long total) {}

            @Override
            public void advance(long done) {
                reported.addAndGet(done);
            }
        };
        List<List<Integer>> slices = new WorkerPool(workers).slices(n, ArrayList::new, progress, (slice, i) -> {
            seen.incrementAndGet(i);
            slice.add(i);
        });
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i)).as("index %d", i).isEqualTo(1);
        }
        assertThat(slices).hasSize(workers);
        assertThat(slices.stream().flatMap(List::stream).toList()).isSorted().hasSize(n);
        assertThat(reported).hasValue(n);
    }

    @Test
    void a_feed_hands_every_batch_to_some_worker() throws Exception {
        List<AtomicInteger> sums = new WorkerPool(3)
                .<AtomicInteger, Integer>feed(
                        out -> {
                            for (int i = 1; i <= 1_000; i++) {
                                out.put(i);
                            }
                        },
                        AtomicInteger::new,
                        (sum, batch) -> {
                            sum.addAndGet(batch);
                            return true;
                        });
        assertThat(sums.stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(1_000 * 1_001 / 2);
    }

    @Test
    void a_failing_worker_stops_an_endless_reader_and_its_failure_is_rethrown() {
        AtomicInteger produced = new AtomicInteger();
        assertThatThrownBy(() -> new WorkerPool(2)
                        .<Object, Integer>feed(
                                out -> {
                                    while (!out.stopped()) {
                                        out.put(produced.incrementAndGet());
                                    }
                                },
                                () -> null,
                                (state, batch) -> {
                                    if (batch == 50) {
                                        throw new IllegalStateException("batch 50 is bad");
                                    }
                                    return true;
                                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("batch 50 is bad");
        assertThat(produced.get()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void a_batch_its_work_refuses_stops_the_reader_without_an_error() throws Exception {
        AtomicInteger worked = new AtomicInteger();
        new WorkerPool(2)
                .<Object, Integer>feed(
                        out -> {
                            for (int i = 0; !out.stopped(); i++) {
                                out.put(i);
                            }
                        },
                        () -> null,
                        (state, batch) -> {
                            worked.incrementAndGet();
                            return batch < 10;
                        });
        // It returns (the endless reader stopped), with no error; batches after the refused one may go undone.
        assertThat(worked.get()).isPositive();
    }

    @Test
    void the_readers_failure_is_rethrown_as_it_was_thrown() {
        assertThatThrownBy(() -> new WorkerPool(2)
                        .<Object, Integer>feed(
                                out -> {
                                    out.put(1);
                                    throw new IOException("disk gone");
                                },
                                () -> null,
                                (state, batch) -> true))
                .isInstanceOf(IOException.class)
                .hasMessage("disk gone");
    }

    @Test
    void a_worker_failure_wins_over_the_readers() {
        assertThatThrownBy(() -> new WorkerPool(1)
                        .<Object, Integer>feed(
                                out -> {
                                    out.put(1);
                                    // Wait until the worker has failed on the batch, then fail too.
                                    while (!out.stopped()) {
                                        Thread.onSpinWait();
                                    }
                                    throw new IOException("reader failed second");
                                },
                                () -> null,
                                (state, batch) -> {
                                    throw new IllegalArgumentException("worker failed first");
                                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("worker failed first");
    }
}
