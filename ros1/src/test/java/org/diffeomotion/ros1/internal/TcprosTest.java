package org.diffeomotion.ros1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.Trigger;
import org.diffeomotion.ros1.msg.TwistStamped;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCPROS publisher, service and subscriber of this package over loopback, fed with hostile peers:
 * corrupt headers, wrong md5sums, huge lengths, a subscriber that never reads.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcprosTest {

  private TopicPublisher<TwistStamped> pub;
  private ServiceServerImpl<Trigger.Request, Trigger.Response> srv;
  private TcprosServer server;

  @BeforeEach
  void start() throws IOException {
    pub = new TopicPublisher<>("/cmd_vel", TwistStamped.TYPE, true, 4, "/test_node", () -> {});
    srv =
        new ServiceServerImpl<>(
            "/trigger",
            Trigger.TYPE,
            (q, r) -> {
              r.success = true;
              r.message("done");
            },
            "/test_node",
            1024,
            5000,
            () -> {});
    server =
        new TcprosServer(
            InetAddress.getLoopbackAddress(),
            2000,
            16,
            t -> t.equals(pub.topic()) ? pub : null,
            s -> s.equals(srv.name()) ? srv : null);
    server.start();
  }

  @AfterEach
  void stop() {
    pub.closeConnections();
    srv.closeConnections();
    server.stop(2000);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(5000);
    return s;
  }

  private static Map<String, String> subHeader(String md5) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("callerid", "/raw");
    h.put("topic", "/cmd_vel");
    h.put("md5sum", md5);
    h.put("type", "geometry_msgs/TwistStamped");
    h.put("tcp_nodelay", "1");
    return h;
  }

  private static TwistStamped readTwist(DataInputStream in) throws IOException {
    int len = Integer.reverseBytes(in.readInt());
    byte[] b = new byte[len];
    in.readFully(b);
    TwistStamped t = new TwistStamped();
    t.decode(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
    return t;
  }

  @Test
  void subscriberGetsHeaderLatchedMessageAndStream() throws Exception {
    TwistStamped m = new TwistStamped();
    m.header.frameId("base");
    m.twist.linear.x = 1.5;
    pub.publish(m);
    try (Socket s = connect()) {
      ConnectionHeader.write(s.getOutputStream(), subHeader(TwistStamped.TYPE.md5()));
      DataInputStream in = new DataInputStream(s.getInputStream());
      Map<String, String> h = ConnectionHeader.read(in, "pub");
      assertEquals(TwistStamped.TYPE.md5(), h.get("md5sum"));
      assertEquals("1", h.get("latching"));
      assertEquals(TwistStamped.TYPE.definition(), h.get("message_definition"));
      assertEquals(1.5, readTwist(in).twist.linear.x, "latched message first");
      RosToolsWait.until("subscriber registered", () -> pub.numSubscribers() == 1);
      m.twist.linear.x = 2.5;
      pub.publish(m);
      TwistStamped got = readTwist(in);
      assertEquals(2.5, got.twist.linear.x);
      assertEquals("base", got.header.frameId());
    }
  }

  @Test
  void badPeersGetClearErrorsAndTheServerKeepsServing() throws Exception {
    // Wrong md5: an error header naming both md5sums.
    try (Socket s = connect()) {
      ConnectionHeader.write(s.getOutputStream(), subHeader("0123456789abcdef0123456789abcdef"));
      Map<String, String> h = ConnectionHeader.read(s.getInputStream(), "pub");
      assertTrue(
          h.get("error").contains("md5sum mismatch")
              && h.get("error").contains(TwistStamped.TYPE.md5()),
          h.toString());
    }
    // Unknown topic.
    try (Socket s = connect()) {
      Map<String, String> sh = subHeader("*");
      sh.put("topic", "/nope");
      ConnectionHeader.write(s.getOutputStream(), sh);
      assertTrue(ConnectionHeader.read(s.getInputStream(), "pub").get("error").contains("/nope"));
    }
    // Huge header length, garbage, and a peer that says nothing: the connection is closed.
    for (byte[] junk :
        new byte[][] {
          {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
          "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
          {}
        }) {
      try (Socket s = connect()) {
        s.getOutputStream().write(junk);
        s.getOutputStream().flush();
        assertEquals(-1, s.getInputStream().read(), "server closes the bad connection");
      }
    }
    // Wildcard md5 (rosbag, rostopic) is accepted.
    try (Socket s = connect()) {
      ConnectionHeader.write(s.getOutputStream(), subHeader("*"));
      assertEquals(
          TwistStamped.TYPE.md5(), ConnectionHeader.read(s.getInputStream(), "pub").get("md5sum"));
    }
    // The service still answers.
    assertEquals("done", callTrigger(false, 1).get(0));
  }

  /**
   * Calls the Trigger service {@code n} times on one connection; returns the messages or errors.
   */
  private List<String> callTrigger(boolean persistent, int n) throws IOException {
    try (Socket s = connect()) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("callerid", "/raw");
      h.put("service", "/trigger");
      h.put("md5sum", Trigger.TYPE.md5());
      h.put("persistent", persistent ? "1" : "0");
      ConnectionHeader.write(s.getOutputStream(), h);
      DataInputStream in = new DataInputStream(s.getInputStream());
      Map<String, String> resp = ConnectionHeader.read(in, "srv");
      assertEquals("std_srvs/Trigger", resp.get("type"));
      java.util.ArrayList<String> out = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        s.getOutputStream().write(new byte[4]); // empty request
        int ok = in.read();
        int len = Integer.reverseBytes(in.readInt());
        byte[] b = new byte[len];
        in.readFully(b);
        if (ok == 1) {
          Trigger.Response r = new Trigger.Response();
          r.decode(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
          assertTrue(r.success);
          out.add(r.message());
        } else {
          out.add("ERROR " + new String(b, StandardCharsets.UTF_8));
        }
      }
      return out;
    }
  }

  @Test
  void serviceRequestSentRightBehindTheHeaderIsNotLost() throws Exception {
    // Header and an empty Trigger request (length 0) in one write: the bytes after the header
    // sit in the stream's buffer when the header has been parsed.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    ConnectionHeader.write(bytes, Map.of("callerid", "/raw", "service", "/trigger", "md5sum", "*"));
    bytes.write(new byte[] {0, 0, 0, 0});
    try (Socket s = connect()) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(bytes.toByteArray());
      s.getOutputStream().flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      ConnectionHeader.read(in, "srv");
      assertEquals(1, in.read(), "ok byte");
      byte[] msg = new byte[Integer.reverseBytes(in.readInt())];
      in.readFully(msg);
      assertTrue(msg.length > 0, "a Trigger response carries success and message");
    }
  }

  @Test
  void servicePersistentCallsHandlerErrorsAndOversizeRequests() throws Exception {
    assertEquals(List.of("done", "done", "done"), callTrigger(true, 3));
    ServiceServerImpl<Trigger.Request, Trigger.Response> failing =
        new ServiceServerImpl<>(
            "/trigger",
            Trigger.TYPE,
            (q, r) -> {
              throw new IllegalStateException("model not loaded");
            },
            "/test_node",
            1024,
            5000,
            () -> {});
    srv = failing;
    TcprosServer s2 =
        new TcprosServer(InetAddress.getLoopbackAddress(), 2000, 16, t -> null, n -> failing);
    s2.start();
    TcprosServer keep = server;
    server = s2;
    try {
      assertEquals(List.of("ERROR model not loaded"), callTrigger(false, 1));
      // A request length over the limit is answered with ok=0 and the connection closed.
      try (Socket s = connect()) {
        ConnectionHeader.write(
            s.getOutputStream(), Map.of("callerid", "/raw", "service", "/trigger", "md5sum", "*"));
        DataInputStream in = new DataInputStream(s.getInputStream());
        ConnectionHeader.read(in, "srv");
        s.getOutputStream().write(new byte[] {0, 0, 0, 0x10}); // 256 MiB
        assertEquals(0, in.read());
        byte[] msg = new byte[Integer.reverseBytes(in.readInt())];
        in.readFully(msg);
        assertTrue(new String(msg, StandardCharsets.UTF_8).contains("exceeds 1024"));
      }
    } finally {
      s2.stop(2000);
      server = keep;
    }
  }

  @Test
  void slowSubscriberNeverStallsPublisherOrOthers() throws Exception {
    TopicPublisher<PoseStamped> big =
        new TopicPublisher<>("/big", PoseStamped.TYPE, false, 4, "/t", () -> {});
    TcprosServer s2 =
        new TcprosServer(InetAddress.getLoopbackAddress(), 2000, 16, t -> big, n -> null);
    s2.start();
    try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), s2.port());
        Socket reader = new Socket(InetAddress.getLoopbackAddress(), s2.port())) {
      stalled.setReceiveBufferSize(4096);
      Map<String, String> h = Map.of("callerid", "/x", "topic", "/big", "md5sum", "*");
      ConnectionHeader.write(stalled.getOutputStream(), h);
      ConnectionHeader.write(reader.getOutputStream(), h);
      reader.setSoTimeout(5000);
      DataInputStream in = new DataInputStream(reader.getInputStream());
      ConnectionHeader.read(in, "big");
      RosToolsWait.until("two subscribers", () -> big.numSubscribers() == 2);
      PoseStamped m = new PoseStamped();
      m.header.frameId("x".repeat(100_000)); // 100 kB messages fill socket buffers fast
      BlockingQueue<Double> received = new ArrayBlockingQueue<>(10_000);
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    byte[] b = new byte[Integer.reverseBytes(in.readInt())];
                    in.readFully(b);
                    PoseStamped p = new PoseStamped();
                    p.decode(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
                    received.offer(p.pose.position.x);
                  }
                } catch (IOException e) {
                  // closed at the end of the test
                }
              });
      t.setDaemon(true);
      t.start();
      long start = System.nanoTime();
      for (int i = 0; i < 2000; i++) {
        m.pose.position.x = i;
        big.publish(m);
        if (i % 100 == 0) {
          Thread.sleep(1);
        }
      }
      long publishMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(publishMs < 10_000, "2000 publishes took " + publishMs + " ms");
      // The reading subscriber sees the last message although the other never reads.
      RosToolsWait.until("reader got the last message", () -> received.contains(1999.0));
      assertFalse(received.isEmpty());
    } finally {
      big.closeConnections();
      s2.stop(2000);
    }
  }

  @Test
  void subscriberRejectsWrongMd5AndHugeLengthsThenReconnects() throws Exception {
    // A hostile publisher: first connection answers a wrong md5, second sends a 2 GB length,
    // third behaves. The subscriber must survive both and deliver the good message.
    ServerSocket fake = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    XmlRpcServer slave =
        new XmlRpcServer(
            InetAddress.getLoopbackAddress(),
            0,
            (method, params) -> List.of(1, "", List.of("TCPROS", "127.0.0.1", fake.getLocalPort())),
            2000,
            "fake");
    slave.start();
    BlockingQueue<Double> got = new ArrayBlockingQueue<>(10);
    TopicSubscriber<TwistStamped> sub =
        new TopicSubscriber<>(
            "/cmd_vel",
            TwistStamped.TYPE,
            m -> got.offer(m.twist.angular.z),
            "/sub",
            1 << 20,
            2000,
            () -> {});
    // The peer reports the md5sum of each connection header it got (or its failure) to the
    // test thread, which asserts on it.
    CompletableFuture<List<String>> peerGot = new CompletableFuture<>();
    Thread peer =
        new Thread(
            () -> {
              List<String> md5s = new ArrayList<>();
              try {
                for (int round = 0; round < 3; round++) {
                  try (Socket s = fake.accept()) {
                    Map<String, String> h = ConnectionHeader.read(s.getInputStream(), "sub");
                    md5s.add(h.get("md5sum"));
                    OutputStream out = s.getOutputStream();
                    Map<String, String> resp = new LinkedHashMap<>();
                    resp.put("callerid", "/fake");
                    resp.put(
                        "md5sum",
                        round == 0 ? "ffffffffffffffffffffffffffffffff" : TwistStamped.TYPE.md5());
                    resp.put("type", "geometry_msgs/TwistStamped");
                    ConnectionHeader.write(out, resp);
                    if (round == 1) {
                      out.write(new byte[] {0, 0, 0, (byte) 0x80});
                    } else if (round == 2) {
                      TwistStamped m = new TwistStamped();
                      m.twist.angular.z = -0.5;
                      ByteBuffer b =
                          ByteBuffer.allocate(4 + m.serializedSize())
                              .order(ByteOrder.LITTLE_ENDIAN);
                      b.putInt(m.serializedSize());
                      m.encode(b);
                      out.write(b.array());
                      out.flush();
                      Thread.sleep(2000);
                    }
                    out.flush();
                    try {
                      s.getInputStream().read(); // wait for the subscriber to hang up
                    } catch (IOException e) {
                      // it hung up with a reset
                    }
                  }
                }
                peerGot.complete(md5s);
              } catch (Exception e) {
                peerGot.completeExceptionally(
                    new AssertionError("the fake publisher failed after headers " + md5s, e));
              }
            });
    peer.setDaemon(true);
    peer.start();
    try {
      sub.updatePublishers(List.of("http://127.0.0.1:" + slave.port() + "/"));
      // A wrong md5 waits the capped back-off (5 s) before the next attempt.
      Double z = got.poll(30, TimeUnit.SECONDS);
      assertNotNull(z, "no message after the hostile rounds");
      assertEquals(-0.5, z);
    } finally {
      sub.closeConnections();
      slave.stop(1000);
      fake.close();
    }
    String md5 = TwistStamped.TYPE.md5();
    assertEquals(
        List.of(md5, md5, md5),
        peerGot.get(10, TimeUnit.SECONDS),
        "the subscriber's md5sum in each of the three connection headers");
  }

  /** The error headers of rospy, roscpp and our publisher for a type mismatch are recognised. */
  @Test
  void typeMismatchErrorsOfEveryPublisherAreRecognised() {
    // rospy (tcpros_pubsub.py), roscpp (Dropping connection), ours (TopicPublisher).
    for (String e :
        List.of(
            "topic types do not match: [sensor_msgs/JointState] vs. [geometry_msgs/PoseStamped]",
            "Client [/motion_generator] wants topic [/state] to have datatype/md5sum "
                + "[geometry_msgs/PoseStamped/d3812c3cbc69362b77dc0b19b345f8f5], but our version has "
                + "[sensor_msgs/JointState/3066dcd76a6cfaef579bd0f34173e9fd] Dropping connection.",
            "md5sum mismatch on /state: subscriber /a has 1 (x/Y), publisher has 2 (z/W)")) {
      assertTrue(TopicSubscriber.TypeMismatch.describes(e), e);
    }
    assertFalse(TopicSubscriber.TypeMismatch.describes("no topic /state"));
    assertFalse(TopicSubscriber.TypeMismatch.describes("shutting down"));
  }

  // Tag "isolated": a JVM of its own (the parent pom's surefire execution); which tests ran
  // before in a shared JVM changes the JIT's profiles (measured: 232 bytes per 100k here after
  // the module split reordered the tests, 0 alone).
  @Test
  @Tag("isolated")
  void publishAllocatesNothingWithAConnectedSubscriber() throws Exception {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (Socket s = connect()) {
      ConnectionHeader.write(s.getOutputStream(), subHeader("*"));
      DataInputStream in = new DataInputStream(s.getInputStream());
      ConnectionHeader.read(in, "pub");
      RosToolsWait.until("subscriber registered", () -> pub.numSubscribers() == 1);
      AtomicLong drained = new AtomicLong();
      Thread drain =
          new Thread(
              () -> {
                byte[] buf = new byte[1 << 16];
                try {
                  for (int n; (n = in.read(buf)) >= 0; ) {
                    drained.addAndGet(n);
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      drain.setDaemon(true);
      drain.start();
      TwistStamped m = new TwistStamped();
      m.header.frameId("base_link");
      long tid = Thread.currentThread().getId();
      long allocated = Long.MAX_VALUE;
      for (int round = 0; round < 5 && allocated != 0; round++) {
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
          m.twist.linear.x = i;
          pub.publish(m);
        }
        allocated = Math.min(allocated, mx.getThreadAllocatedBytes(tid) - before);
      }
      // The smallest of up to five rounds of 100k: early rounds include JIT warm-up and slot
      // growth. A shared CI machine once showed 2512 bytes in every one of three rounds (JIT
      // recompilation, safepoint bookkeeping charged to the thread), so the bound is one byte per
      // 20 messages, as in HotPathAllocationTest: a single 16-byte allocation per message would be
      // 1.6 MB, one per 100 messages 16 kB; both still fail.
      long bound = 100_000 / 20;
      assertTrue(
          allocated <= bound,
          "publish() allocated " + allocated + " bytes per 100k messages (bound " + bound + ")");
      // publish() left the caller's message alone, and the subscriber got messages over a
      // connection that is still up (its queue drops the oldest, the link stays).
      assertEquals(99_999.0, m.twist.linear.x, "message modified by publish()");
      assertEquals("base_link", m.header.frameId(), "message modified by publish()");
      RosToolsWait.until("the subscriber to receive messages", () -> drained.get() > 0);
      assertEquals(1, pub.numSubscribers(), "subscriber connection after 100k publishes");
    }
  }

  /** Bounded polling without the ROS tools. */
  static final class RosToolsWait {
    static void until(String what, java.util.function.BooleanSupplier c)
        throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!c.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out waiting for " + what);
        }
        Thread.sleep(10);
      }
    }
  }
}
