package org.diffeomotion.ros1.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded queue of serialized messages for one subscriber connection; when full, the oldest message
 * is dropped. Slots are byte arrays reused across messages (grown only when a larger message
 * arrives), so steady-state publishing allocates nothing.
 *
 * <p>Single consumer (the connection's writer thread), any number of producers. The critical
 * sections are one array copy, so the lock is a spin on {@code tryLock}-style CAS and the consumer
 * sleeps with {@link LockSupport#parkNanos}: unlike a {@code ReentrantLock} with a {@code
 * Condition}, neither allocates a wait-queue node per contended hand-off, which keeps the publish
 * and write paths allocation-free.
 */
final class OutQueue {

  private final java.util.concurrent.atomic.AtomicBoolean lock =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final byte[][] slots;
  private final int[] lengths;
  private int head;
  private int count;
  private long dropped;
  private volatile boolean closed;
  private volatile Thread waiter;

  /**
   * @param capacity messages held at most, ≥ 1
   */
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

  private void lock() {
    while (!lock.compareAndSet(false, true)) {
      Thread.onSpinWait();
    }
  }

  private void unlock() {
    lock.set(false);
  }

  /** Copies {@code len} bytes of {@code src} in; drops the oldest message if full. */
  void offer(byte[] src, int len) {
    if (closed) {
      return;
    }
    lock();
    try {
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
    } finally {
      unlock();
    }
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /**
   * Moves the oldest message into {@code dst}, waiting up to {@code timeoutMs} [ms]. Only one
   * thread may call this.
   *
   * @param dst holder whose array is replaced if too small. Modified.
   * @return the message length, 0 on timeout, -1 once closed
   */
  int take(Holder dst, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      if (closed) {
        return -1;
      }
      // Announce the wait before checking, so that an offer after the check unparks us.
      waiter = Thread.currentThread();
      lock();
      try {
        if (count > 0) {
          int len = lengths[head];
          if (dst.buf.length < len) {
            dst.buf = new byte[Math.max(len, dst.buf.length * 2)];
          }
          System.arraycopy(slots[head], 0, dst.buf, 0, len);
          head = (head + 1) % slots.length;
          count--;
          waiter = null;
          return len;
        }
      } finally {
        unlock();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        waiter = null;
        return 0;
      }
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        waiter = null;
        throw new InterruptedException();
      }
    }
  }

  void close() {
    closed = true;
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  long dropped() {
    lock();
    try {
      return dropped;
    } finally {
      unlock();
    }
  }

  int size() {
    lock();
    try {
      return count;
    } finally {
      unlock();
    }
  }

  /** A growable byte array owned by one consumer thread. */
  static final class Holder {
    byte[] buf = new byte[256];
  }
}
