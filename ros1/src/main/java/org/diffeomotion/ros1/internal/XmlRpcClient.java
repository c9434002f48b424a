package org.diffeomotion.ros1.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A blocking XML-RPC client over HTTP/1.1 with one connection per call ("Connection: close").
 *
 * <p>ROS masters and slaves are few and calls are rare, so connection reuse is not worth the
 * complexity; every call is bounded by the connect and read timeouts given here.
 */
public final class XmlRpcClient {

  private final URI uri;
  private final int connectTimeoutMs;
  private final int readTimeoutMs;

  /**
   * @param uri http URI of the peer, e.g. {@code http://localhost:11311/}
   * @param connectTimeoutMs connect timeout [ms], &gt; 0
   * @param readTimeoutMs timeout of each socket read [ms], &gt; 0
   */
  public XmlRpcClient(URI uri, int connectTimeoutMs, int readTimeoutMs) {
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "XML-RPC URI must be http://host:port/, got '" + uri + "'");
    }
    if (connectTimeoutMs <= 0 || readTimeoutMs <= 0) {
      throw new IllegalArgumentException("timeouts must be > 0 ms");
    }
    this.uri = uri;
    this.connectTimeoutMs = connectTimeoutMs;
    this.readTimeoutMs = readTimeoutMs;
  }

  public URI uri() {
    return uri;
  }

  /** Calls {@code method(params...)} and returns the response value. */
  public Object call(String method, Object... params) throws IOException {
    return call(method, Arrays.asList(params));
  }

  /**
   * Calls {@code method(params)} and returns the response value.
   *
   * @throws XmlRpc.Fault on a fault response
   * @throws IOException on connection, timeout, HTTP or XML errors; the message names the peer
   */
  public Object call(String method, List<?> params) throws IOException {
    byte[] body = XmlRpc.encodeCall(method, params);
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String peer = uri.getHost() + ":" + port + " (" + method + ")";
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMs);
      s.setSoTimeout(readTimeoutMs);
      s.setTcpNoDelay(true);
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\n"
              + "Host: "
              + uri.getHost()
              + ":"
              + port
              + "\r\n"
              + "User-Agent: diffeo-motion-ros1\r\n"
              + "Content-Type: text/xml\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      InputStream in = new BufferedInputStream(s.getInputStream());
      Http.Head resp = Http.readHead(in, peer);
      String[] status = resp.startLine().split(" ", 3);
      if (status.length < 2 || !status[0].startsWith("HTTP/")) {
        throw new IOException(
            "HTTP: bad status line from " + peer + ": '" + resp.startLine() + "'");
      }
      if (!status[1].equals("200")) {
        throw new IOException("HTTP: " + peer + " answered '" + resp.startLine() + "'");
      }
      byte[] respBody = Http.readBody(in, resp, XmlRpc.MAX_MESSAGE_BYTES, true, peer);
      return XmlRpc.decodeResponse(respBody);
    } catch (XmlRpc.Fault f) {
      throw f;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains(peer)) {
        throw e;
      }
      throw new IOException("XML-RPC call " + method + " to " + uri + " failed: " + e, e);
    }
  }
}
