package org.diffeomotion.ros1.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publisher side of one topic: serializes once per publish, then hands the bytes to one {@link
 * OutQueue} per subscriber connection, each drained by its own writer thread.
 */
public final class TopicPublisher<T extends Message> implements Publisher<T> {

  private static final Logger LOG = LoggerFactory.getLogger(TopicPublisher.class);
  static final AtomicInteger CONNECTION_IDS = new AtomicInteger();

  private final String topic;
  private final MessageType<T> type;
  private final boolean latch;
  private final int queueSize;
  private final String callerId;
  private final Runnable onClose;
  private final Object publishLock = new Object();
  private ByteBuffer scratch = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
  private byte[] latched;
  private int latchedLength = -1;

  /** Replaced, never mutated, so publish can iterate without locks or iterators. */
  private volatile SubscriberLink[] links = new SubscriberLink[0];

  private volatile boolean closed;
  private long messagesPublished;

  /**
   * @param queueSize outgoing queue per subscriber connection [messages], ≥ 1
   * @param onClose run once on {@link #close()} (unregisters from the master)
   */
  public TopicPublisher(
      String topic,
      MessageType<T> type,
      boolean latch,
      int queueSize,
      String callerId,
      Runnable onClose) {
    if (queueSize < 1) {
      throw new IllegalArgumentException(
          "queue size of publisher " + topic + " must be >= 1, got " + queueSize);
    }
    this.topic = topic;
    this.type = type;
    this.latch = latch;
    this.queueSize = queueSize;
    this.callerId = callerId;
    this.onClose = onClose;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public MessageType<T> type() {
    return type;
  }

  @Override
  public void publish(T message) {
    if (closed) {
      return;
    }
    synchronized (publishLock) {
      // The frame is [uint32 length][message]: built in one buffer and sent with one
      // write, so that Nagle's algorithm (rospy subscribers ask for tcp_nodelay=0) cannot
      // hold the body back behind a lone 4-byte length until the peer's delayed ACK.
      int size = 4 + message.serializedSize();
      if (scratch.capacity() < size) {
        scratch =
            ByteBuffer.allocate(Math.max(size, scratch.capacity() * 2))
                .order(ByteOrder.LITTLE_ENDIAN);
      }
      scratch.clear();
      scratch.position(4);
      message.encode(scratch);
      scratch.putInt(0, size - 4);
      byte[] bytes = scratch.array();
      if (latch) {
        if (latched == null || latched.length < size) {
          latched = new byte[Math.max(size, 64)];
        }
        System.arraycopy(bytes, 0, latched, 0, size);
        latchedLength = size;
      }
      SubscriberLink[] ls = links;
      for (int i = 0; i < ls.length; i++) {
        ls[i].queue.offer(bytes, size);
      }
      messagesPublished++;
    }
  }

  @Override
  public int numSubscribers() {
    return links.length;
  }

  /** The header this publisher answers a subscriber with. */
  Map<String, String> responseHeader() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("callerid", callerId);
    h.put("md5sum", type.md5());
    h.put("type", type.name());
    h.put("message_definition", type.definition());
    h.put("latching", latch ? "1" : "0");
    h.put("topic", topic);
    return h;
  }

  /** Checks a subscriber's header; returns null if acceptable, else the reason to refuse. */
  String check(Map<String, String> h) {
    String md5 = h.get("md5sum");
    if (md5 == null) {
      return "header lacks md5sum";
    }
    if (!md5.equals("*") && !md5.equals(type.md5())) {
      return "md5sum mismatch on "
          + topic
          + ": subscriber "
          + h.get("callerid")
          + " has "
          + md5
          + " ("
          + h.get("type")
          + "), publisher has "
          + type.md5()
          + " ("
          + type.name()
          + ")";
    }
    String t = h.get("type");
    if (t != null && !t.equals("*") && !t.equals(type.name()) && !md5.equals("*")) {
      return "type mismatch on "
          + topic
          + ": subscriber wants "
          + t
          + ", publisher has "
          + type.name();
    }
    return null;
  }

  /** Takes over an accepted socket whose header has been read and checked. */
  void addSubscriber(Socket socket, Map<String, String> header) throws IOException {
    if ("1".equals(header.get("tcp_nodelay"))) {
      socket.setTcpNoDelay(true);
    }
    // Sending blocks only this connection's writer thread; the socket has no read timeout
    // because nothing is read after the header.
    socket.setSoTimeout(0);
    SubscriberLink link =
        new SubscriberLink(
            this, socket, header.getOrDefault("callerid", "?"), new OutQueue(queueSize));
    ConnectionHeader.write(socket.getOutputStream(), responseHeader());
    synchronized (publishLock) {
      if (closed) {
        socket.close();
        return;
      }
      if (latch && latchedLength >= 0) {
        link.queue.offer(latched, latchedLength);
      }
      SubscriberLink[] old = links;
      SubscriberLink[] n = java.util.Arrays.copyOf(old, old.length + 1);
      n[old.length] = link;
      links = n;
    }
    link.start();
    LOG.debug(
        "{}: subscriber {} connected from {}", topic, link.peer, socket.getRemoteSocketAddress());
  }

  private void remove(SubscriberLink link) {
    synchronized (publishLock) {
      List<SubscriberLink> keep = new ArrayList<>();
      for (SubscriberLink l : links) {
        if (l != link) {
          keep.add(l);
        }
      }
      links = keep.toArray(new SubscriberLink[0]);
    }
  }

  /** Bus info rows: [connectionId, destinationId, direction, transport, topic, connected]. */
  void busInfo(List<Object> out) {
    for (SubscriberLink l : links) {
      out.add(List.of(l.id, l.peer, "o", "TCPROS", topic, true));
    }
  }

  /** Bus stats row: [topic, messagesPublished, [[connId, bytesSent, numSent, connected]]]. */
  Object busStats() {
    List<Object> conns = new ArrayList<>();
    for (SubscriberLink l : links) {
      conns.add(
          List.of(
              l.id,
              (int) Math.min(Integer.MAX_VALUE, l.bytesSent),
              (int) Math.min(Integer.MAX_VALUE, l.messagesSent),
              true));
    }
    return List.of(topic, (int) Math.min(Integer.MAX_VALUE, messagesPublished), conns);
  }

  /** Closes connections without unregistering (node shutdown does that in bulk). */
  void closeConnections() {
    SubscriberLink[] ls;
    synchronized (publishLock) {
      closed = true;
      ls = links;
      links = new SubscriberLink[0];
    }
    for (SubscriberLink l : ls) {
      l.close();
    }
    for (SubscriberLink l : ls) {
      l.join(1000);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closeConnections();
    onClose.run();
  }

  /** One subscriber connection: a bounded queue and the thread that drains it into the socket. */
  private static final class SubscriberLink implements Runnable {
    final TopicPublisher<?> owner;
    final String topic;
    final int id = CONNECTION_IDS.incrementAndGet();
    final Socket socket;
    final String peer;
    final OutQueue queue;
    final Thread thread;
    volatile long bytesSent;
    volatile long messagesSent;

    SubscriberLink(TopicPublisher<?> owner, Socket socket, String peer, OutQueue queue) {
      this.owner = owner;
      this.topic = owner.topic;
      this.socket = socket;
      this.peer = peer;
      this.queue = queue;
      this.thread = new Thread(this, "tcpros-pub" + topic + "->" + peer);
      this.thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    @Override
    public void run() {
      OutQueue.Holder buf = new OutQueue.Holder();
      try (socket) {
        OutputStream out = socket.getOutputStream();
        while (true) {
          int len = queue.take(buf, 1000);
          if (len < 0) {
            break;
          }
          if (len == 0) {
            continue;
          }
          out.write(buf.buf, 0, len); // one length-prefixed frame
          out.flush();
          bytesSent += len;
          messagesSent++;
        }
      } catch (IOException e) {
        LOG.info("{}: subscriber {} disconnected: {}", topic, peer, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        queue.close();
        owner.remove(this);
      }
    }

    void close() {
      queue.close();
      try {
        socket.close();
      } catch (IOException ignored) {
        // already closing
      }
    }

    void join(long ms) {
      try {
        thread.join(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
