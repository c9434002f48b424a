package org.diffeomotion.ros1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionHeaderTest {

  @Test
  void knownBytesFromTheWiki() throws IOException {
    // wiki.ros.org/ROS/Connection Header: "topic=/chatter" etc., each length-prefixed.
    Map<String, String> h = new LinkedHashMap<>();
    h.put("topic", "/chatter");
    h.put("type", "std_msgs/String");
    byte[] b = ConnectionHeader.encode(h);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(4 + 14 + 4 + 20, bb.getInt());
    assertEquals(14, bb.getInt());
    assertEquals("topic=/chatter", new String(b, 8, 14, StandardCharsets.US_ASCII));
    assertEquals(h, ConnectionHeader.read(new ByteArrayInputStream(b), "test"));
  }

  @Test
  void valuesContainingEqualsSplitOnTheFirstOne() throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("message_definition", "byte DEBUG=1\nbyte INFO=2\n==== a=b=c");
    h.put("callerid", "/x");
    h.put("empty", "");
    Map<String, String> back =
        ConnectionHeader.read(new ByteArrayInputStream(ConnectionHeader.encode(h)), "test");
    assertEquals(h, back);
  }

  @Test
  void corruptHeadersAreRejectedNamingThePeer() {
    byte[] good = ConnectionHeader.encode(Map.of("topic", "/a"));
    // Field length larger than what follows.
    byte[] bad = Arrays.copyOf(good, good.length);
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1000);
    IOException e =
        assertThrows(
            IOException.class,
            () -> ConnectionHeader.read(new ByteArrayInputStream(bad), "peer:1"));
    assertTrue(
        e.getMessage().contains("peer:1") && e.getMessage().contains("1000"), e.getMessage());
    // Total length beyond the limit: refused before allocating.
    byte[] huge = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7fffffff).array();
    e =
        assertThrows(
            IOException.class,
            () -> ConnectionHeader.read(new ByteArrayInputStream(huge), "peer:2"));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    // A field without '='.
    byte[] noEq =
        ByteBuffer.allocate(12)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(8)
            .putInt(4)
            .put("abcd".getBytes(StandardCharsets.US_ASCII))
            .array();
    e =
        assertThrows(
            IOException.class,
            () -> ConnectionHeader.read(new ByteArrayInputStream(noEq), "peer:3"));
    assertTrue(e.getMessage().contains("'abcd'"), e.getMessage());
    // Truncated stream.
    assertThrows(
        IOException.class,
        () ->
            ConnectionHeader.read(
                new ByteArrayInputStream(Arrays.copyOf(good, good.length - 2)), "peer:4"));
  }

  @Test
  void outQueueDropsOldestWhenFull() throws InterruptedException {
    OutQueue q = new OutQueue(3);
    for (int i = 1; i <= 5; i++) {
      byte[] m = new byte[i * 100];
      m[0] = (byte) i;
      q.offer(m, m.length);
    }
    assertEquals(2, q.dropped());
    OutQueue.Holder h = new OutQueue.Holder();
    for (int i = 3; i <= 5; i++) {
      assertEquals(i * 100, q.take(h, 10));
      assertEquals(i, h.buf[0]);
    }
    assertEquals(0, q.take(h, 10), "empty queue times out");
    q.close();
    assertEquals(-1, q.take(h, 10));
  }
}
