package org.diffeomotion.ros1.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Minimal HTTP/1.x message framing for XML-RPC: start line, headers, a bounded body. */
final class Http {

  /** Longest start line or header line accepted [bytes]. */
  static final int MAX_LINE = 8192;

  /** Most header lines accepted. */
  static final int MAX_HEADERS = 64;

  private Http() {}

  /** A parsed message head: start line plus headers with lower-cased names. */
  record Head(String startLine, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Head readHead(InputStream in, String peer) throws IOException {
    String start = readLine(in, peer);
    if (start == null) {
      throw new IOException("HTTP: " + peer + " closed before sending a start line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      if (i > MAX_HEADERS) {
        throw new IOException("HTTP: more than " + MAX_HEADERS + " headers from " + peer);
      }
      String line = readLine(in, peer);
      if (line == null) {
        throw new IOException("HTTP: " + peer + " closed inside the headers");
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("HTTP: malformed header line from " + peer + ": '" + line + "'");
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return new Head(start, headers);
  }

  /**
   * Reads the body: exactly Content-Length bytes if given, else (responses only) up to EOF. Either
   * way at most {@code limit} bytes.
   */
  static byte[] readBody(InputStream in, Head head, int limit, boolean allowUntilEof, String peer)
      throws IOException {
    String te = head.header("transfer-encoding");
    if (te != null && !te.equalsIgnoreCase("identity")) {
      throw new IOException("HTTP: unsupported Transfer-Encoding '" + te + "' from " + peer);
    }
    String cl = head.header("content-length");
    if (cl == null) {
      if (!allowUntilEof) {
        throw new IOException("HTTP: request from " + peer + " lacks Content-Length");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > limit) {
          throw new IOException("HTTP: body from " + peer + " exceeds " + limit + " bytes");
        }
      }
      return out.toByteArray();
    }
    long len;
    try {
      len = Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      throw new IOException("HTTP: bad Content-Length '" + cl + "' from " + peer);
    }
    if (len < 0 || len > limit) {
      throw new IOException(
          "HTTP: Content-Length " + len + " from " + peer + " exceeds " + limit + " bytes");
    }
    byte[] body = in.readNBytes((int) len);
    if (body.length != len) {
      throw new IOException(
          "HTTP: " + peer + " sent " + body.length + " of " + len + " body bytes");
    }
    return body;
  }

  /** Reads a CRLF- or LF-terminated line; null at EOF before any byte. */
  private static String readLine(InputStream in, String peer) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
      if (line.size() > MAX_LINE) {
        throw new IOException("HTTP: line from " + peer + " longer than " + MAX_LINE + " bytes");
      }
    }
  }
}
