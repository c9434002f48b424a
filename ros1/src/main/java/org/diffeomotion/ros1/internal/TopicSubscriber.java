package org.diffeomotion.ros1.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.diffeomotion.ros1.MessageListener;
import org.diffeomotion.ros1.Subscriber;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageFormatException;
import org.diffeomotion.ros1.msg.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriber side of one topic: one connection thread per publisher URI known from the master
 * (registerSubscriber result and publisherUpdate calls). Each thread negotiates TCPROS through the
 * publisher's requestTopic, validates the header, then decodes messages into a reused object and
 * calls the listener. Broken connections are retried with backoff while the publisher is still
 * listed. There is no receive queue: the listener runs on the connection thread, so a slow listener
 * pushes back through TCP onto the publisher's bounded, drop-oldest queue.
 */
public final class TopicSubscriber<T extends Message> implements Subscriber<T> {

  private static final Logger LOG = LoggerFactory.getLogger(TopicSubscriber.class);

  /** Shortest time between two "dropped malformed message" lines of one link [ns]. */
  private static final long MALFORMED_LOG_PERIOD_NS = 5_000_000_000L;

  private final String topic;
  private final MessageType<T> type;
  private final MessageListener<T> listener;
  private final String callerId;
  private final int maxMessageBytes;
  private final int timeoutMs;
  private final Runnable onClose;
  private final Object listenerLock = new Object();
  private final Map<String, PublisherLink> links = new LinkedHashMap<>();

  /** Longest wait between connection attempts to one publisher [ms]. */
  static final long MAX_BACKOFF_MS = 5000;

  private volatile boolean closed;

  /**
   * @param maxMessageBytes largest message accepted [bytes]; a larger length closes the connection
   * @param timeoutMs connect/read timeout for negotiation and the header [ms]
   */
  public TopicSubscriber(
      String topic,
      MessageType<T> type,
      MessageListener<T> listener,
      String callerId,
      int maxMessageBytes,
      int timeoutMs,
      Runnable onClose) {
    this.topic = topic;
    this.type = type;
    this.listener = listener;
    this.callerId = callerId;
    this.maxMessageBytes = maxMessageBytes;
    this.timeoutMs = timeoutMs;
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
  public synchronized int numPublishers() {
    int n = 0;
    for (PublisherLink l : links.values()) {
      if (l.connected) {
        n++;
      }
    }
    return n;
  }

  /** Connects to new publishers and drops the ones no longer listed. */
  public synchronized void updatePublishers(List<String> publisherUris) {
    if (closed) {
      return;
    }
    Set<String> wanted = new HashSet<>(publisherUris);
    List<String> gone = new ArrayList<>();
    for (String uri : links.keySet()) {
      if (!wanted.contains(uri)) {
        gone.add(uri);
      }
    }
    for (String uri : gone) {
      links.remove(uri).close();
    }
    for (String uri : publisherUris) {
      if (!links.containsKey(uri)) {
        PublisherLink l = new PublisherLink(uri);
        links.put(uri, l);
        l.thread.start();
      }
    }
  }

  void busInfo(List<Object> out) {
    synchronized (this) {
      for (PublisherLink l : links.values()) {
        out.add(List.of(l.id, l.uri, "i", "TCPROS", topic, l.connected));
      }
    }
  }

  /** [topic, [[connId, bytesReceived, dropEstimate, connected]]]. */
  synchronized Object busStats() {
    List<Object> conns = new ArrayList<>();
    for (PublisherLink l : links.values()) {
      conns.add(List.of(l.id, (int) Math.min(Integer.MAX_VALUE, l.bytesReceived), -1, l.connected));
    }
    return List.of(topic, conns);
  }

  /** Closes connections without unregistering. */
  void closeConnections() {
    List<PublisherLink> ls;
    synchronized (this) {
      closed = true;
      ls = new ArrayList<>(links.values());
      links.clear();
    }
    for (PublisherLink l : ls) {
      l.close();
    }
    for (PublisherLink l : ls) {
      try {
        l.thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
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

  /** One connection to one publisher, kept up while the publisher is listed. */
  private final class PublisherLink implements Runnable {
    final int id = TopicPublisher.CONNECTION_IDS.incrementAndGet();
    final String uri;
    final Thread thread;
    final T message = type.newMessage();
    volatile boolean running = true;
    volatile boolean connected;
    volatile Socket socket;
    volatile long bytesReceived;

    /** Whether a type mismatch with this publisher has been logged (at WARN, once). */
    private boolean mismatchReported;

    /** Malformed messages dropped since the last log line, and when that line was written [ns]. */
    private long malformed;

    private long lastMalformedLog;

    PublisherLink(String uri) {
      this.uri = uri;
      this.thread = new Thread(this, "tcpros-sub" + topic + "<-" + uri);
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      long backoffMs = 100;
      while (running) {
        try {
          connectAndReceive();
          backoffMs = 100;
        } catch (TypeMismatch e) {
          // Not transient in practice (a node publishing another type): once at WARN
          // with both types, then quietly; the link keeps retrying at the capped
          // back-off, so a publisher that is restarted with the right type is picked up.
          if (!running) {
            break;
          }
          if (!mismatchReported) {
            mismatchReported = true;
            LOG.warn(
                "{}: publisher {} sends another message type (retrying quietly every {} s): {}",
                topic,
                uri,
                MAX_BACKOFF_MS / 1000,
                e.getMessage());
          } else {
            LOG.debug("{}: publisher {} still sends another type: {}", topic, uri, e.getMessage());
          }
          backoffMs = MAX_BACKOFF_MS;
        } catch (IOException | RuntimeException e) {
          if (!running) {
            break;
          }
          LOG.info(
              "{}: connection to publisher {} failed ({}); retrying in {} ms",
              topic,
              uri,
              e.getMessage(),
              backoffMs);
        } finally {
          connected = false;
        }
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }

    private void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        running = false;
      }
    }

    private void connectAndReceive() throws IOException {
      // Negotiate the transport through the publisher's slave API.
      XmlRpcClient rpc = new XmlRpcClient(URI.create(uri), timeoutMs, timeoutMs);
      Object r = rpc.call("requestTopic", callerId, topic, List.of(List.of("TCPROS")));
      Object v = MasterClient.checkResult("requestTopic(" + topic + ")", uri, r);
      if (!(v instanceof List<?> p)
          || p.size() < 3
          || !"TCPROS".equals(p.get(0))
          || !(p.get(2) instanceof Integer port)) {
        throw new IOException(
            "requestTopic(" + topic + ") to " + uri + ": unexpected protocol params " + v);
      }
      String host = String.valueOf(p.get(1));
      try (Socket s = new Socket()) {
        socket = s;
        if (!running) {
          return;
        }
        s.connect(new InetSocketAddress(host, port), timeoutMs);
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMs);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("callerid", callerId);
        h.put("topic", topic);
        h.put("md5sum", type.md5());
        h.put("type", type.name());
        h.put("message_definition", type.definition());
        h.put("tcp_nodelay", "1");
        ConnectionHeader.write(s.getOutputStream(), h);
        DataInputStream in =
            new DataInputStream(new BufferedInputStream(s.getInputStream(), 65536));
        String peer = host + ":" + port + " (" + uri + ")";
        Map<String, String> resp = ConnectionHeader.read(in, peer);
        if (resp.containsKey("error")) {
          String error = resp.get("error");
          if (TypeMismatch.describes(error)) {
            throw new TypeMismatch(
                "this node subscribes "
                    + type.name()
                    + " (md5sum "
                    + type.md5()
                    + "); the publisher "
                    + peer
                    + " answered: "
                    + error);
          }
          throw new IOException("publisher " + peer + " refused " + topic + ": " + error);
        }
        String md5 = resp.get("md5sum");
        if (md5 == null || !(md5.equals(type.md5()) || md5.equals("*"))) {
          throw new TypeMismatch(
              "publisher "
                  + peer
                  + " of "
                  + topic
                  + " has md5sum "
                  + md5
                  + " ("
                  + resp.get("type")
                  + "), this node subscribes "
                  + type.name()
                  + " (md5sum "
                  + type.md5()
                  + ")");
        }
        // Publishers may stay silent for long; the wait ends when close() closes the socket.
        s.setSoTimeout(0);
        connected = true;
        LOG.debug("{}: connected to publisher {}", topic, peer);
        receive(in, peer);
      } finally {
        socket = null;
      }
    }

    private void receive(DataInputStream in, String peer) throws IOException {
      byte[] buf = new byte[1024];
      ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
      while (running) {
        int len;
        try {
          len = Integer.reverseBytes(in.readInt());
        } catch (EOFException e) {
          throw new IOException("publisher " + peer + " closed the connection");
        }
        if (len < 0 || len > maxMessageBytes) {
          throw new IOException(
              "message of "
                  + Integer.toUnsignedLong(len)
                  + " bytes on "
                  + topic
                  + " from "
                  + peer
                  + " exceeds the limit of "
                  + maxMessageBytes
                  + " bytes");
        }
        if (buf.length < len) {
          buf = new byte[Math.max(len, buf.length * 2)];
          bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        }
        in.readFully(buf, 0, len);
        bytesReceived += 4 + len;
        bb.clear().limit(len);
        try {
          message.decode(bb);
        } catch (MessageFormatException e) {
          // Framing is intact (length-prefixed), so skip the bad message and keep the
          // connection; log at most once per period per link, with the count, so a
          // broken 1 kHz publisher cannot flood the log.
          malformed++;
          long now = System.nanoTime();
          if (lastMalformedLog == 0 || now - lastMalformedLog >= MALFORMED_LOG_PERIOD_NS) {
            LOG.warn(
                "{}: dropped malformed {} from {} ({} since the last report): {}",
                topic,
                type.name(),
                peer,
                malformed,
                e.getMessage());
            lastMalformedLog = now;
            malformed = 0;
          }
          continue;
        }
        synchronized (listenerLock) {
          try {
            listener.onMessage(message);
          } catch (RuntimeException e) {
            LOG.error("{}: listener failed", topic, e);
          }
        }
      }
    }

    void close() {
      running = false;
      Socket s = socket;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      thread.interrupt();
    }
  }

  /** The publisher's message type (md5sum) is not this subscriber's. */
  static final class TypeMismatch extends IOException {
    private static final long serialVersionUID = 1L;

    TypeMismatch(String message) {
      super(message);
    }

    /**
     * Whether a publisher's error header reports a type mismatch: ours ("md5sum mismatch"), rospy's
     * ("md5sums do not match", "topic types do not match") and roscpp's ("wants topic ... to have
     * datatype/md5sum").
     */
    static boolean describes(String error) {
      String e = error.toLowerCase(java.util.Locale.ROOT);
      return e.contains("md5sum") || e.contains("types do not match") || e.contains("datatype");
    }
  }
}
