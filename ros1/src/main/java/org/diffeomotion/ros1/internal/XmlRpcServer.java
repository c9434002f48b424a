package org.diffeomotion.ros1.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small XML-RPC server over HTTP/1.1: one request per connection, bounded worker pool, bounded
 * request size, a read timeout on every connection. Handler exceptions become XML-RPC faults and
 * never stop the server.
 */
public final class XmlRpcServer {

  private static final Logger LOG = LoggerFactory.getLogger(XmlRpcServer.class);

  /** Invoked for every call; return the response value or throw to answer with a fault. */
  @FunctionalInterface
  public interface Handler {
    Object handle(String method, List<Object> params) throws Exception;
  }

  private final InetAddress bindAddress;
  private final int requestedPort;
  private final Handler handler;
  private final int readTimeoutMs;
  private final String name;
  private ServerSocket serverSocket;
  private Thread acceptThread;
  private ThreadPoolExecutor workers;
  private volatile boolean running;

  /**
   * Does not bind; call {@link #start()}.
   *
   * @param bindAddress address to listen on
   * @param port port, 0 for an ephemeral one
   * @param readTimeoutMs read timeout per connection [ms]
   * @param name used in thread names and logs
   */
  public XmlRpcServer(
      InetAddress bindAddress, int port, Handler handler, int readTimeoutMs, String name) {
    this.bindAddress = bindAddress;
    this.requestedPort = port;
    this.handler = handler;
    this.readTimeoutMs = readTimeoutMs;
    this.name = name;
  }

  /** Binds and starts accepting. */
  public synchronized void start() throws IOException {
    if (running) {
      return;
    }
    serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new InetSocketAddress(bindAddress, requestedPort), 64);
    // Bounded pool and queue: a flood of callers is refused rather than exhausting threads.
    workers =
        new ThreadPoolExecutor(
            1,
            8,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            r -> daemon(r, name + "-xmlrpc-worker"));
    running = true;
    acceptThread = daemon(this::acceptLoop, name + "-xmlrpc-accept");
    acceptThread.start();
  }

  /** The bound port; valid after {@link #start()}. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  private static Thread daemon(Runnable r, String n) {
    Thread t = new Thread(r, n);
    t.setDaemon(true);
    return t;
  }

  private void acceptLoop() {
    while (running) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        if (running) {
          LOG.warn("{}: XML-RPC accept failed: {}", name, e.toString());
        }
        continue;
      }
      try {
        workers.execute(() -> serve(s));
      } catch (RejectedExecutionException e) {
        LOG.warn(
            "{}: XML-RPC server busy, dropping connection from {}",
            name,
            s.getRemoteSocketAddress());
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket s) {
    String peer = String.valueOf(s.getRemoteSocketAddress());
    try (s) {
      s.setSoTimeout(readTimeoutMs);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      Http.Head head;
      byte[] body;
      try {
        head = Http.readHead(in, peer);
        if (!head.startLine().startsWith("POST ")) {
          respond(out, 405, "Method Not Allowed", "only POST".getBytes(StandardCharsets.UTF_8));
          return;
        }
        body = Http.readBody(in, head, XmlRpc.MAX_MESSAGE_BYTES, false, peer);
      } catch (IOException e) {
        LOG.warn("{}: bad HTTP request from {}: {}", name, peer, e.getMessage());
        respond(
            out,
            400,
            "Bad Request",
            String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] reply;
      try {
        XmlRpc.Call call = XmlRpc.decodeCall(body);
        reply = XmlRpc.encodeResponse(handler.handle(call.method(), call.params()));
      } catch (Exception e) {
        LOG.debug("{}: XML-RPC fault for {}: {}", name, peer, e.toString());
        reply = XmlRpc.encodeFault(1, e.getMessage() == null ? e.toString() : e.getMessage());
      }
      respond(out, 200, "OK", reply);
    } catch (SocketException e) {
      LOG.debug("{}: connection from {} dropped: {}", name, peer, e.toString());
    } catch (IOException e) {
      LOG.warn("{}: XML-RPC I/O with {} failed: {}", name, peer, e.toString());
    } catch (RuntimeException e) {
      LOG.error("{}: XML-RPC handler failure for {}", name, peer, e);
    }
  }

  private static void respond(OutputStream out, int code, String reason, byte[] body)
      throws IOException {
    String head =
        "HTTP/1.1 "
            + code
            + " "
            + reason
            + "\r\n"
            + "Server: diffeo-motion-ros1\r\n"
            + "Content-Type: text/xml\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Stops accepting, closes the socket and waits for workers up to {@code timeoutMs} [ms]. */
  public synchronized void stop(long timeoutMs) {
    if (!running) {
      return;
    }
    running = false;
    closeQuietly(serverSocket);
    workers.shutdown();
    try {
      acceptThread.join(timeoutMs);
      if (!workers.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing on the way out; nothing useful to do
    }
  }
}
