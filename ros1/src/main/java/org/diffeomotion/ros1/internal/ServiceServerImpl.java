package org.diffeomotion.ros1.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.ServiceServer;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageFormatException;
import org.diffeomotion.ros1.msg.ServiceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service over TCPROS (wiki.ros.org/ROS/TCPROS, "Services"): after the header exchange each
 * request (uint32 length + body) is answered with an ok byte, then either the serialized response
 * or, if ok = 0, an error string. Non-persistent connections serve one request; persistent ones
 * serve until the client closes or the idle timeout passes. A {@code probe=1} header gets the
 * response header only (rosservice uses it to learn the type).
 */
public final class ServiceServerImpl<Q extends Message, R extends Message>
    implements ServiceServer {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceServerImpl.class);

  private final String name;
  private final ServiceType<Q, R> type;
  private final ServiceHandler<Q, R> handler;
  private final String callerId;
  private final int maxRequestBytes;
  private final int idleTimeoutMs;
  private final Runnable onClose;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param maxRequestBytes largest request accepted [bytes]
   * @param idleTimeoutMs a persistent connection idle this long is closed [ms]
   */
  public ServiceServerImpl(
      String name,
      ServiceType<Q, R> type,
      ServiceHandler<Q, R> handler,
      String callerId,
      int maxRequestBytes,
      int idleTimeoutMs,
      Runnable onClose) {
    this.name = name;
    this.type = type;
    this.handler = handler;
    this.callerId = callerId;
    this.maxRequestBytes = maxRequestBytes;
    this.idleTimeoutMs = idleTimeoutMs;
    this.onClose = onClose;
  }

  @Override
  public String name() {
    return name;
  }

  public ServiceType<Q, R> type() {
    return type;
  }

  String check(Map<String, String> h) {
    String md5 = h.get("md5sum");
    if ("1".equals(h.get("probe")) && (md5 == null || md5.equals("*"))) {
      return null;
    }
    if (md5 == null) {
      return "header lacks md5sum";
    }
    if (!md5.equals("*") && !md5.equals(type.md5())) {
      return "md5sum mismatch on service "
          + name
          + ": client "
          + h.get("callerid")
          + " has "
          + md5
          + ", server has "
          + type.md5()
          + " ("
          + type.name()
          + ")";
    }
    return null;
  }

  Map<String, String> responseHeader() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("callerid", callerId);
    h.put("md5sum", type.md5());
    h.put("type", type.name());
    h.put("request_type", type.request().name());
    h.put("response_type", type.response().name());
    return h;
  }

  /**
   * Serves one accepted connection on the calling (TCPROS connection) thread.
   *
   * @param stream the stream the connection header was read from: its buffer may already hold the
   *     first request (a client may send header and request back to back)
   */
  void serve(Socket s, InputStream stream, Map<String, String> header, String peer)
      throws IOException {
    if (closed) {
      return;
    }
    sockets.add(s);
    try {
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      ConnectionHeader.write(out, responseHeader());
      if ("1".equals(header.get("probe"))) {
        return;
      }
      boolean persistent = "1".equals(header.get("persistent"));
      s.setSoTimeout(idleTimeoutMs);
      DataInputStream in = new DataInputStream(stream);
      Q request = type.request().newMessage();
      R response = type.response().newMessage();
      ByteBuffer rb = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer wb = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
      do {
        int len;
        try {
          len = Integer.reverseBytes(in.readInt());
        } catch (EOFException e) {
          return; // client done
        }
        if (len < 0 || len > maxRequestBytes) {
          writeError(
              out,
              "request of " + Integer.toUnsignedLong(len) + " bytes exceeds " + maxRequestBytes);
          return; // framing cannot be trusted any more
        }
        if (rb.capacity() < len) {
          rb = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        }
        in.readFully(rb.array(), 0, len);
        rb.clear().limit(len);
        String error = null;
        try {
          request.decode(rb);
          if (rb.hasRemaining()) {
            throw new MessageFormatException(rb.remaining() + " trailing bytes after the request");
          }
          handler.handle(request, response);
        } catch (Exception e) {
          error = e.getMessage() == null ? e.toString() : e.getMessage();
          LOG.warn("service {}: call from {} failed: {}", name, peer, error);
        }
        if (error != null) {
          writeError(out, error);
          continue;
        }
        int size = response.serializedSize();
        if (wb.capacity() < 4 + size) {
          wb = ByteBuffer.allocate(4 + size).order(ByteOrder.LITTLE_ENDIAN);
        }
        wb.clear();
        wb.putInt(size);
        response.encode(wb);
        out.write(1);
        out.write(wb.array(), 0, wb.position());
        out.flush();
      } while (persistent && !closed);
    } finally {
      sockets.remove(s);
    }
  }

  private static void writeError(OutputStream out, String message) throws IOException {
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(5 + m.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0).putInt(m.length).put(m);
    out.write(b.array());
    out.flush();
  }

  void closeConnections() {
    closed = true;
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
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
}
