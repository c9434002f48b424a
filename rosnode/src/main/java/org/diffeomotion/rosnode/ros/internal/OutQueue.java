package org.diffeomotion.rosnode.ros.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded queue of serialized messages for one subscriber connection; when full, the oldest
 * message is dropped. Slots are byte arrays reused across messages (grown only when a larger
 * message arrives), so steady-state publishing allocates nothing.
 */
final class OutQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final byte[][] slots;
    private final int[] lengths;
    private int head;
    private int count;
    private long dropped;
    private boolean closed;

    /** @param capacity messages held at most, ≥ 1 */
    OutQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue size must be >= 1, got " + capacity);
        }
        slots = new byte[capacity][];
        lengths = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new byte[64];
        }
    }

    /** Copies {@code len} bytes of {@code src} in; drops the oldest message if full. */
    void offer(byte[] src, int len) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (count == slots.length) {
                head = (head + 1) % slots.length;
                count--;
                dropped++;
            }
            int idx = (head + count) % slots.length;
            if (slots[idx].length < len) {
                slots[idx] = new byte[Math.max(len, slots[idx].length * 2)];
            }
            System.arraycopy(src, 0, slots[idx], 0, len);
            lengths[idx] = len;
            count++;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the oldest message into {@code dst}, waiting up to {@code timeoutMs} [ms].
     *
     * @param dst holder whose array is replaced if too small. Modified.
     * @return the message length, 0 on timeout, -1 once closed
     */
    int take(Holder dst, long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (count == 0 && !closed) {
                if (nanos <= 0) {
                    return 0;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (closed) {
                return -1;
            }
            int len = lengths[head];
            if (dst.buf.length < len) {
                dst.buf = new byte[Math.max(len, dst.buf.length * 2)];
            }
            System.arraycopy(slots[head], 0, dst.buf, 0, len);
            head = (head + 1) % slots.length;
            count--;
            return len;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** A growable byte array owned by one consumer thread. */
    static final class Holder {
        byte[] buf = new byte[256];
    }
}
