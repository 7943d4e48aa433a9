package dev.candor.application;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Delivers items one at a time in the order they were added, on whichever caller thread drains first, without holding
 * a lock while delivering. Add under your own lock to fix the order; drain after releasing it. A held queue keeps its
 * items until it is released.
 */
public final class InOrder<T> {

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Consumer<T> sink;
    private volatile boolean held;

    public InOrder(Consumer<T> sink) {
        this(sink, false);
    }

    /** {@code held}: items wait until {@link #release()}. */
    public InOrder(Consumer<T> sink, boolean held) {
        this.sink = sink;
        this.held = held;
    }

    /** Lets held items go, in order. */
    public void release() {
        held = false;
        drain();
    }

    /** Drops everything queued, for good: nothing queued or added later is delivered. */
    public void discard() {
        held = true;
        queue.clear();
    }

    public void add(T item) {
        queue.add(item);
    }

    /** Delivers what is queued, unless another thread is delivering already: that thread then delivers it. */
    public void drain() {
        while (!held && !queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                T item;
                while (!held && (item = queue.poll()) != null) {
                    sink.accept(item);
                }
            } finally {
                draining.set(false);
            }
        }
    }
}
