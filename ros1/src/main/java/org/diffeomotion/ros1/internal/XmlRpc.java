package org.diffeomotion.ros1.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * XML-RPC encoding and decoding of method calls and responses (the subset ROS uses).
 *
 * <p>Java mapping: {@code <i4>/<int>} ↔ {@link Integer}, {@code <boolean>} ↔ {@link Boolean},
 * {@code <string>} and untyped values ↔ {@link String}, {@code <double>} ↔ {@link Double}, {@code
 * <array>} ↔ {@link List}, {@code <struct>} ↔ {@link Map} (insertion order kept), {@code <base64>}
 * ↔ {@code byte[]}. Encoding also accepts {@code Object[]}, {@code Long} that fits in 32 bits, and
 * {@code Float}.
 *
 * <p>Parsing is hardened: DOCTYPE declarations are refused outright (this kills XXE and entity
 * expansion bombs), external entities and XInclude are off, and the caller must bound the input
 * size before calling (see {@link #MAX_MESSAGE_BYTES}). Nesting depth is bounded too.
 */
public final class XmlRpc {

  /** Largest XML-RPC request or response body accepted [bytes]. ROS graph state fits easily. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  /** Deepest array/struct nesting accepted; ROS never nests deeper than ~4. */
  public static final int MAX_DEPTH = 64;

  private XmlRpc() {}

  /** A parsed method call. */
  public record Call(String method, List<Object> params) {}

  /** A fault response from a peer: {@code faultCode}, {@code faultString}. */
  public static final class Fault extends IOException {
    private static final long serialVersionUID = 1L;

    /** The peer's fault code. */
    public final int code;

    public Fault(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  // ---------------------------------------------------------------- encoding

  /** Encodes a method call document. */
  public static byte[] encodeCall(String method, List<?> params) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("<?xml version=\"1.0\"?>\n<methodCall><methodName>");
    escape(method, sb);
    sb.append("</methodName><params>");
    for (Object p : params) {
      sb.append("<param>");
      encodeValue(p, sb, 0);
      sb.append("</param>");
    }
    sb.append("</params></methodCall>\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Encodes a successful response carrying one value. */
  public static byte[] encodeResponse(Object value) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("<?xml version=\"1.0\"?>\n<methodResponse><params><param>");
    encodeValue(value, sb, 0);
    sb.append("</param></params></methodResponse>\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Encodes a fault response. */
  public static byte[] encodeFault(int code, String message) {
    Map<String, Object> fault = new LinkedHashMap<>();
    fault.put("faultCode", code);
    fault.put("faultString", message == null ? "" : message);
    StringBuilder sb = new StringBuilder(256);
    sb.append("<?xml version=\"1.0\"?>\n<methodResponse><fault>");
    encodeValue(fault, sb, 0);
    sb.append("</fault></methodResponse>\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void encodeValue(Object v, StringBuilder sb, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("XML-RPC value nested deeper than " + MAX_DEPTH);
    }
    if (v instanceof Object[] arr) {
      v = java.util.Arrays.asList(arr);
    }
    sb.append("<value>");
    if (v == null) {
      // XML-RPC has no null; ROS peers expect an empty string in its place.
      sb.append("<string></string>");
    } else if (v instanceof String s) {
      sb.append("<string>");
      escape(s, sb);
      sb.append("</string>");
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      sb.append("<i4>").append(((Number) v).intValue()).append("</i4>");
    } else if (v instanceof Long l) {
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("XML-RPC i4 cannot hold " + l);
      }
      sb.append("<i4>").append(l.intValue()).append("</i4>");
    } else if (v instanceof Boolean b) {
      sb.append("<boolean>").append(b ? '1' : '0').append("</boolean>");
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("XML-RPC double cannot hold " + d);
      }
      sb.append("<double>").append(d).append("</double>");
    } else if (v instanceof byte[] bytes) {
      sb.append("<base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64>");
    } else if (v instanceof List<?> list) {
      sb.append("<array><data>");
      for (Object o : list) {
        encodeValue(o, sb, depth + 1);
      }
      sb.append("</data></array>");
    } else if (v instanceof Map<?, ?> map) {
      sb.append("<struct>");
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append("<member><name>");
        escape(String.valueOf(e.getKey()), sb);
        sb.append("</name>");
        encodeValue(e.getValue(), sb, depth + 1);
        sb.append("</member>");
      }
      sb.append("</struct>");
    } else {
      throw new IllegalArgumentException("no XML-RPC encoding for " + v.getClass().getName());
    }
    sb.append("</value>");
  }

  private static void escape(String s, StringBuilder sb) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\r' -> sb.append("&#13;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            // Not representable in XML 1.0; refusing is clearer than silent loss.
            throw new IllegalArgumentException(
                "string contains control character 0x" + Integer.toHexString(c));
          }
          sb.append(c);
        }
      }
    }
  }

  // ---------------------------------------------------------------- decoding

  /** Parses a method call. @throws IOException naming what is malformed */
  public static Call decodeCall(byte[] xml) throws IOException {
    Element root = parse(xml).getDocumentElement();
    if (!"methodCall".equals(root.getTagName())) {
      throw new IOException("XML-RPC: expected <methodCall>, got <" + root.getTagName() + ">");
    }
    Element name = child(root, "methodName");
    if (name == null) {
      throw new IOException("XML-RPC: <methodCall> without <methodName>");
    }
    List<Object> params = new ArrayList<>();
    Element ps = child(root, "params");
    if (ps != null) {
      for (Element p : children(ps)) {
        Element v = child(p, "value");
        if (!"param".equals(p.getTagName()) || v == null) {
          throw new IOException("XML-RPC: malformed <param>");
        }
        params.add(decodeValue(v, 0));
      }
    }
    return new Call(name.getTextContent().trim(), params);
  }

  /**
   * Parses a method response and returns its single value.
   *
   * @throws Fault if the response is a fault
   * @throws IOException if it is malformed
   */
  public static Object decodeResponse(byte[] xml) throws IOException {
    Element root = parse(xml).getDocumentElement();
    if (!"methodResponse".equals(root.getTagName())) {
      throw new IOException("XML-RPC: expected <methodResponse>, got <" + root.getTagName() + ">");
    }
    Element fault = child(root, "fault");
    if (fault != null) {
      Element v = child(fault, "value");
      Object f = v == null ? null : decodeValue(v, 0);
      if (f instanceof Map<?, ?> m) {
        Object code = m.get("faultCode");
        throw new Fault(code instanceof Integer i ? i : -1, String.valueOf(m.get("faultString")));
      }
      throw new Fault(-1, "malformed fault");
    }
    Element ps = child(root, "params");
    Element p = ps == null ? null : child(ps, "param");
    Element v = p == null ? null : child(p, "value");
    if (v == null) {
      throw new IOException("XML-RPC: response without <params><param><value>");
    }
    return decodeValue(v, 0);
  }

  static Object decodeValue(Element value, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("XML-RPC: value nested deeper than " + MAX_DEPTH);
    }
    List<Element> kids = children(value);
    if (kids.isEmpty()) {
      return value.getTextContent(); // untyped value is a string
    }
    if (kids.size() != 1) {
      throw new IOException("XML-RPC: <value> with " + kids.size() + " typed children");
    }
    Element t = kids.get(0);
    String text = t.getTextContent();
    switch (t.getTagName()) {
      case "i4", "int" -> {
        try {
          return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
          throw new IOException("XML-RPC: bad <" + t.getTagName() + "> '" + text + "'");
        }
      }
      case "boolean" -> {
        String s = text.trim();
        if (s.equals("1") || s.equalsIgnoreCase("true")) {
          return Boolean.TRUE;
        }
        if (s.equals("0") || s.equalsIgnoreCase("false")) {
          return Boolean.FALSE;
        }
        throw new IOException("XML-RPC: bad <boolean> '" + text + "'");
      }
      case "string" -> {
        return text;
      }
      case "double" -> {
        String d = text.trim();
        // Python's xmlrpc writes non-finite floats as repr(): nan, inf, -inf.
        switch (d) {
          case "nan" -> {
            return Double.NaN;
          }
          case "inf" -> {
            return Double.POSITIVE_INFINITY;
          }
          case "-inf" -> {
            return Double.NEGATIVE_INFINITY;
          }
          default -> {}
        }
        try {
          return Double.parseDouble(d);
        } catch (NumberFormatException e) {
          throw new IOException("XML-RPC: bad <double> '" + text + "'");
        }
      }
      case "base64" -> {
        try {
          return Base64.getMimeDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
          throw new IOException("XML-RPC: bad <base64>: " + e.getMessage());
        }
      }
      case "array" -> {
        Element data = child(t, "data");
        List<Object> out = new ArrayList<>();
        if (data != null) {
          for (Element v : children(data)) {
            out.add(decodeValue(v, depth + 1));
          }
        }
        return out;
      }
      case "struct" -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Element m : children(t)) {
          Element n = child(m, "name");
          Element v = child(m, "value");
          if (n == null || v == null) {
            throw new IOException("XML-RPC: <member> without <name> or <value>");
          }
          out.put(n.getTextContent(), decodeValue(v, depth + 1));
        }
        return out;
      }
      case "nil" -> {
        return null;
      }
      default -> throw new IOException("XML-RPC: unsupported type <" + t.getTagName() + ">");
    }
  }

  private static Document parse(byte[] xml) throws IOException {
    if (xml.length > MAX_MESSAGE_BYTES) {
      throw new IOException(
          "XML-RPC: message of " + xml.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
    }
    try {
      return newBuilder().parse(new ByteArrayInputStream(xml));
    } catch (SAXException e) {
      throw new IOException("XML-RPC: malformed XML: " + e.getMessage(), e);
    }
  }

  private static DocumentBuilder newBuilder() throws IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(false);
      DocumentBuilder b = f.newDocumentBuilder();
      // The default handler prints to stderr; errors surface as exceptions instead.
      b.setErrorHandler(
          new org.xml.sax.ErrorHandler() {
            @Override
            public void warning(org.xml.sax.SAXParseException e) {
              // warnings do not make the document invalid
            }

            @Override
            public void error(org.xml.sax.SAXParseException e) throws SAXException {
              throw e;
            }

            @Override
            public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
              throw e;
            }
          });
      return b;
    } catch (ParserConfigurationException e) {
      throw new IOException("XML parser lacks a required security feature", e);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }
}
