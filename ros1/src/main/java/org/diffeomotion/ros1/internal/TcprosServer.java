package org.diffeomotion.ros1.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's single TCPROS listening socket, shared by its topics and services. Each accepted
 * connection gets a thread that reads the connection header (bounded size, read timeout) and hands
 * the socket to the publisher or service it names. Refusals answer with an {@code error=} header,
 * as roscpp and rospy do, and the server keeps serving.
 */
public final class TcprosServer {

  private static final Logger LOG = LoggerFactory.getLogger(TcprosServer.class);

  private final InetAddress bindAddress;
  private final int headerTimeoutMs;
  private final Function<String, TopicPublisher<?>> publishers;
  private final Function<String, ServiceServerImpl<?, ?>> services;
  private final Semaphore connectionSlots;
  private final Set<Socket> pending = ConcurrentHashMap.newKeySet();
  private ServerSocket server;
  private Thread acceptThread;
  private volatile boolean running;

  /**
   * @param headerTimeoutMs time a peer has to send its header [ms]
   * @param maxConnections connections in header negotiation or serving a service, at most
   */
  public TcprosServer(
      InetAddress bindAddress,
      int headerTimeoutMs,
      int maxConnections,
      Function<String, TopicPublisher<?>> publishers,
      Function<String, ServiceServerImpl<?, ?>> services) {
    this.bindAddress = bindAddress;
    this.headerTimeoutMs = headerTimeoutMs;
    this.connectionSlots = new Semaphore(maxConnections);
    this.publishers = publishers;
    this.services = services;
  }

  public synchronized void start() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(bindAddress, 0), 64);
    running = true;
    acceptThread = new Thread(this::acceptLoop, "tcpros-accept");
    acceptThread.setDaemon(true);
    acceptThread.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (running) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (running) {
          LOG.warn("TCPROS accept failed: {}", e.toString());
        }
        continue;
      }
      if (!connectionSlots.tryAcquire()) {
        LOG.warn("TCPROS: too many connections, refusing {}", s.getRemoteSocketAddress());
        close(s);
        continue;
      }
      Thread t =
          new Thread(
              () -> {
                try {
                  handle(s);
                } finally {
                  connectionSlots.release();
                }
              },
              "tcpros-conn-" + s.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void handle(Socket s) {
    String peer = String.valueOf(s.getRemoteSocketAddress());
    pending.add(s);
    boolean handedOver = false;
    try {
      s.setSoTimeout(headerTimeoutMs);
      InputStream in = new BufferedInputStream(s.getInputStream());
      Map<String, String> h = ConnectionHeader.read(in, peer);
      String who = h.getOrDefault("callerid", "?") + "@" + peer;
      if (h.containsKey("topic") && !h.containsKey("service")) {
        String topic = h.get("topic");
        TopicPublisher<?> p = publishers.apply(topic);
        String why = p == null ? "no publisher for topic " + topic : p.check(h);
        if (why != null) {
          refuse(s, why, who);
          return;
        }
        pending.remove(s);
        p.addSubscriber(s, h);
        handedOver = true;
      } else if (h.containsKey("service")) {
        String name = h.get("service");
        ServiceServerImpl<?, ?> srv = services.apply(name);
        String why = srv == null ? "no service " + name + " here" : srv.check(h);
        if (why != null) {
          refuse(s, why, who);
          return;
        }
        try {
          srv.serve(s, in, h, who);
        } finally {
          close(s);
        }
      } else {
        refuse(s, "header has neither 'topic' nor 'service'", who);
      }
    } catch (IOException e) {
      LOG.warn("TCPROS connection from {} failed: {}", peer, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("TCPROS connection from {}: unexpected failure", peer, e);
    } finally {
      pending.remove(s);
      if (!handedOver) {
        close(s);
      }
    }
  }

  private static void refuse(Socket s, String why, String who) {
    LOG.warn("TCPROS: refusing {}: {}", who, why);
    try {
      ConnectionHeader.write(s.getOutputStream(), Map.of("error", why));
    } catch (IOException ignored) {
      // the peer is gone already
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  public synchronized void stop(long timeoutMs) {
    if (!running) {
      return;
    }
    running = false;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : pending) {
      close(s);
    }
    try {
      acceptThread.join(timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
