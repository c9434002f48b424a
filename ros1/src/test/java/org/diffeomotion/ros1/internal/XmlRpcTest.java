package org.diffeomotion.ros1.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.diffeomotion.ros1.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestSeed.class)
class XmlRpcTest {

  private static final long SEED = TestSeed.SEED;

  private static Object randomValue(Random r, int depth) {
    int k = r.nextInt(depth > 3 ? 5 : 8);
    switch (k) {
      case 0:
        return r.nextInt();
      case 1:
        return r.nextBoolean();
      case 2:
        {
          StringBuilder sb = new StringBuilder();
          String alphabet = "ab<>&\"' \n\t=é中/~_";
          for (int i = r.nextInt(10); i > 0; i--) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
          }
          return sb.toString();
        }
      case 3:
        return r.nextGaussian() * 1e6;
      case 4:
        {
          byte[] b = new byte[r.nextInt(20)];
          r.nextBytes(b);
          return b;
        }
      case 5:
      case 6:
        {
          List<Object> l = new ArrayList<>();
          for (int i = r.nextInt(4); i > 0; i--) {
            l.add(randomValue(r, depth + 1));
          }
          return l;
        }
      default:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = r.nextInt(4); i > 0; i--) {
            m.put("k" + r.nextInt(100), randomValue(r, depth + 1));
          }
          return m;
        }
    }
  }

  private static void assertValueEquals(Object exp, Object act) {
    if (exp instanceof byte[] b) {
      assertArrayEquals(b, (byte[]) act);
    } else if (exp instanceof List<?> l) {
      List<?> a = (List<?>) act;
      assertEquals(l.size(), a.size());
      for (int i = 0; i < l.size(); i++) {
        assertValueEquals(l.get(i), a.get(i));
      }
    } else if (exp instanceof Map<?, ?> m) {
      Map<?, ?> a = (Map<?, ?>) act;
      assertEquals(m.keySet(), a.keySet());
      for (Object k : m.keySet()) {
        assertValueEquals(m.get(k), a.get(k));
      }
    } else {
      assertEquals(exp, act);
    }
  }

  @Test
  void randomValuesRoundTripThroughCallsAndResponses() throws IOException {
    Random r = new Random(SEED);
    for (int i = 0; i < 500; i++) {
      Object v = randomValue(r, 0);
      assertValueEquals(v, XmlRpc.decodeResponse(XmlRpc.encodeResponse(v)));
      XmlRpc.Call c = XmlRpc.decodeCall(XmlRpc.encodeCall("m" + i, List.of(v, "x")));
      assertEquals("m" + i, c.method());
      assertValueEquals(v, c.params().get(0));
    }
  }

  @Test
  void decodesWhatRospyAndRosmasterSend() throws IOException {
    String xml =
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n"
            + "<value><int>1</int></value>\n<value><string>ok</string></value>\n"
            + "<value>untyped</value>\n<value><boolean>1</boolean></value>\n<value><double>2.5</double></value>\n"
            + "</data></array></value>\n</param>\n</params>\n</methodResponse>\n";
    assertEquals(
        List.of(1, "ok", "untyped", true, 2.5),
        XmlRpc.decodeResponse(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pythonNonFiniteDoublesAreRead() throws IOException {
    String xml =
        "<methodResponse><params><param><value><array><data>"
            + "<value><double>nan</double></value><value><double>inf</double></value>"
            + "<value><double>-inf</double></value><value><double>1e-3</double></value>"
            + "</data></array></value></param></params></methodResponse>";
    List<?> l = (List<?>) XmlRpc.decodeResponse(xml.getBytes(StandardCharsets.UTF_8));
    assertTrue(Double.isNaN((Double) l.get(0)));
    assertEquals(
        List.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-3), l.subList(1, 4));
  }

  @Test
  void faultsSurfaceWithCodeAndMessage() {
    XmlRpc.Fault f =
        assertThrows(
            XmlRpc.Fault.class,
            () -> XmlRpc.decodeResponse(XmlRpc.encodeFault(42, "no such method")));
    assertEquals(42, f.code);
    assertEquals("no such method", f.getMessage());
  }

  @Test
  void doctypeAndExternalEntitiesAreRejected() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + "<methodCall><methodName>&xxe;</methodName><params/></methodCall>";
    IOException e =
        assertThrows(
            IOException.class, () -> XmlRpc.decodeCall(xxe.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    String bomb =
        "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
            + "<methodResponse><params><param><value>&b;</value></param></params></methodResponse>";
    assertThrows(
        IOException.class, () -> XmlRpc.decodeResponse(bomb.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void oversizeAndMalformedAreRejected() {
    byte[] big = new byte[XmlRpc.MAX_MESSAGE_BYTES + 1];
    IOException e = assertThrows(IOException.class, () -> XmlRpc.decodeCall(big));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    assertThrows(
        IOException.class,
        () ->
            XmlRpc.decodeResponse(
                "<methodResponse><params><param><value><i4>x</i4>"
                    .getBytes(StandardCharsets.UTF_8)));
    IOException bad =
        assertThrows(
            IOException.class,
            () ->
                XmlRpc.decodeResponse(
                    "<methodResponse><params><param><value><i4>12x</i4></value></param></params></methodResponse>"
                        .getBytes(StandardCharsets.UTF_8)));
    assertTrue(bad.getMessage().contains("12x"), bad.getMessage());
    StringBuilder deep = new StringBuilder("<methodResponse><params><param>");
    for (int i = 0; i < 100; i++) {
      deep.append("<value><array><data>");
    }
    for (int i = 0; i < 100; i++) {
      deep.append("</data></array></value>");
    }
    deep.append("</param></params></methodResponse>");
    assertThrows(
        IOException.class,
        () -> XmlRpc.decodeResponse(deep.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void clientAndServerTalkOverLoopbackAndSurviveGarbage() throws Exception {
    XmlRpcServer server =
        new XmlRpcServer(
            InetAddress.getLoopbackAddress(),
            0,
            (method, params) -> {
              if (method.equals("echo")) {
                return params;
              }
              throw new IllegalArgumentException("unknown method " + method);
            },
            2000,
            "test");
    server.start();
    try {
      XmlRpcClient c =
          new XmlRpcClient(URI.create("http://127.0.0.1:" + server.port() + "/"), 1000, 2000);
      assertEquals(List.of(1, "a=b", true), c.call("echo", 1, "a=b", true));
      XmlRpc.Fault f = assertThrows(XmlRpc.Fault.class, () -> c.call("nope"));
      assertTrue(f.getMessage().contains("unknown method nope"));
      // Garbage, a huge Content-Length and a silent client must not stop the server.
      for (String junk :
          new String[] {
            "GARBAGE\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n<a/>x"
          }) {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
          s.setSoTimeout(3000);
          OutputStream out = s.getOutputStream();
          out.write(junk.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          InputStream in = s.getInputStream();
          String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
          assertTrue(reply.startsWith("HTTP/1.1 "), reply);
        }
      }
      assertEquals(List.of("still here"), c.call("echo", "still here"));
      XmlRpcClient dead = new XmlRpcClient(URI.create("http://127.0.0.1:1/"), 500, 500);
      IOException e = assertThrows(IOException.class, () -> dead.call("getPid", "/x"));
      assertTrue(e.getMessage().contains("getPid"), e.getMessage());
    } finally {
      server.stop(2000);
    }
  }
}
