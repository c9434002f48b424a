package org.diffeomotion.ros1.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffeomotion.ros1.RosException;
import org.diffeomotion.ros1.ServiceClient;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageFormatException;
import org.diffeomotion.ros1.msg.ServiceType;

/**
 * TCPROS service client. Non-persistent: lookup + connection per call. Persistent: the connection
 * is kept between calls; after any failure it is closed and the next call looks the service up and
 * connects again. A failed call is never retried, since the server may already have acted on it.
 */
public final class ServiceClientImpl<Q extends Message, R extends Message>
    implements ServiceClient<Q, R> {

  private final String name;
  private final ServiceType<Q, R> type;
  private final String callerId;
  private final NodeRuntime node;
  private final boolean persistent;
  private Socket socket;
  private DataInputStream in;
  private String peer;

  public ServiceClientImpl(
      String name, ServiceType<Q, R> type, String callerId, NodeRuntime node, boolean persistent) {
    this.name = name;
    this.type = type;
    this.callerId = callerId;
    this.node = node;
    this.persistent = persistent;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void call(Q request, R response, int timeoutMs) {
    try {
      if (socket == null) {
        connect(timeoutMs);
      }
      socket.setSoTimeout(timeoutMs);
      exchange(request, response);
    } catch (IOException | MessageFormatException e) {
      close();
      throw new RosException(
          "service call " + name + " to " + peer + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (!persistent) {
      close();
    }
  }

  private void connect(int timeoutMs) throws IOException {
    String uri =
        new MasterClient(node.config().masterUri(), callerId, timeoutMs, timeoutMs)
            .lookupService(name);
    URI u = URI.create(uri);
    if (!"rosrpc".equals(u.getScheme()) || u.getHost() == null || u.getPort() <= 0) {
      throw new RosException("service " + name + ": master returned unusable URI '" + uri + "'");
    }
    peer = u.getHost() + ":" + u.getPort() + " (service " + name + ")";
    Socket s = new Socket();
    socket = s;
    s.connect(new InetSocketAddress(u.getHost(), u.getPort()), timeoutMs);
    s.setSoTimeout(timeoutMs);
    s.setTcpNoDelay(true);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("callerid", callerId);
    h.put("service", name);
    h.put("md5sum", type.md5());
    h.put("type", type.name());
    h.put("persistent", persistent ? "1" : "0");
    ConnectionHeader.write(s.getOutputStream(), h);
    in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
    Map<String, String> resp = ConnectionHeader.read(in, peer);
    if (resp.containsKey("error")) {
      throw new RosException(
          "service " + name + " at " + peer + " refused the call: " + resp.get("error"));
    }
  }

  private void exchange(Q request, R response) throws IOException {
    int size = request.serializedSize();
    ByteBuffer b = ByteBuffer.allocate(4 + size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(size);
    request.encode(b);
    socket.getOutputStream().write(b.array());
    socket.getOutputStream().flush();
    int ok = in.read();
    if (ok < 0) {
      throw new IOException("closed without answering");
    }
    int len = Integer.reverseBytes(in.readInt());
    if (len < 0 || len > NodeRuntime.MAX_MESSAGE_BYTES) {
      throw new IOException(
          "response length "
              + Integer.toUnsignedLong(len)
              + " exceeds "
              + NodeRuntime.MAX_MESSAGE_BYTES);
    }
    byte[] body = new byte[len];
    in.readFully(body);
    if (ok != 1) {
      // The connection stays usable after a handler error; only transport errors drop it.
      throw new RosException(
          "service "
              + name
              + " at "
              + peer
              + " failed: "
              + new String(body, StandardCharsets.UTF_8));
    }
    response.decode(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN));
  }

  @Override
  public synchronized void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
      in = null;
    }
  }
}
