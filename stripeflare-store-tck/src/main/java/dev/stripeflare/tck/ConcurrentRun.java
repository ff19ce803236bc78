package dev.stripeflare.tck;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs workers on their own threads, released together by a start gate, and fails (rather than
 * hangs) when they do not all finish within a timeout: a deadlocked store fails its test.
 */
public final class ConcurrentRun {

    private ConcurrentRun() {
    }

    /**
     * Runs {@code worker.apply(i)} for each {@code i} in {@code [0, threads)} on its own thread,
     * all started at once, and returns their results in index order.
     *
     * @param <T>     what each worker returns
     * @param threads how many workers start at once
     * @param timeout how long all may take
     * @param worker  the work of worker {@code i}
     * @return each worker's result, in worker order
     * @throws AssertionError if a worker throws, or they do not all finish within {@code timeout}
     */
    public static <T> List<T> race(int threads, Duration timeout, IntFunction<T> worker) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "store-contract-worker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return worker.apply(index);
                }));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                fail("workers did not start within " + timeout);
            }
            start.countDown();
            List<T> results = new ArrayList<>(threads);
            for (Future<T> future : futures) {
                results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (TimeoutException e) {
            throw new AssertionError("workers did not finish within " + timeout
                    + " (deadlock or livelock in the store?)", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a worker failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for workers", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
