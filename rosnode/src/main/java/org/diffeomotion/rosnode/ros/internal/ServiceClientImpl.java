package org.diffeomotion.rosnode.ros.internal;

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

import org.diffeomotion.rosnode.ros.RosException;
import org.diffeomotion.rosnode.ros.ServiceClient;
import org.diffeomotion.rosnode.ros.msg.Message;
import org.diffeomotion.rosnode.ros.msg.MessageFormatException;
import org.diffeomotion.rosnode.ros.msg.ServiceType;

/** Non-persistent TCPROS service client (one connection per call). */
public final class ServiceClientImpl<Q extends Message, R extends Message> implements ServiceClient<Q, R> {

    private final String name;
    private final ServiceType<Q, R> type;
    private final String callerId;
    private final NodeRuntime node;

    public ServiceClientImpl(String name, ServiceType<Q, R> type, String callerId, NodeRuntime node) {
        this.name = name;
        this.type = type;
        this.callerId = callerId;
        this.node = node;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void call(Q request, R response, int timeoutMs) {
        String uri = new MasterClient(node.config().masterUri(), callerId, timeoutMs, timeoutMs).lookupService(name);
        URI u = URI.create(uri);
        if (!"rosrpc".equals(u.getScheme()) || u.getHost() == null || u.getPort() <= 0) {
            throw new RosException("service " + name + ": master returned unusable URI '" + uri + "'");
        }
        String peer = u.getHost() + ":" + u.getPort() + " (service " + name + ")";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), timeoutMs);
            s.setSoTimeout(timeoutMs);
            s.setTcpNoDelay(true);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("callerid", callerId);
            h.put("service", name);
            h.put("md5sum", type.md5());
            h.put("type", type.name());
            h.put("persistent", "0");
            ConnectionHeader.write(s.getOutputStream(), h);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            Map<String, String> resp = ConnectionHeader.read(in, peer);
            if (resp.containsKey("error")) {
                throw new RosException("service " + name + " at " + peer + " refused the call: " + resp.get("error"));
            }
            int size = request.serializedSize();
            ByteBuffer b = ByteBuffer.allocate(4 + size).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(size);
            request.encode(b);
            s.getOutputStream().write(b.array());
            s.getOutputStream().flush();
            int ok = in.read();
            if (ok < 0) {
                throw new RosException("service " + name + " at " + peer + " closed without answering");
            }
            int len = Integer.reverseBytes(in.readInt());
            if (len < 0 || len > NodeRuntime.MAX_MESSAGE_BYTES) {
                throw new RosException("service " + name + " at " + peer + ": response length "
                        + Integer.toUnsignedLong(len) + " exceeds " + NodeRuntime.MAX_MESSAGE_BYTES);
            }
            byte[] body = new byte[len];
            in.readFully(body);
            if (ok != 1) {
                throw new RosException("service " + name + " at " + peer + " failed: "
                        + new String(body, StandardCharsets.UTF_8));
            }
            response.decode(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException | MessageFormatException e) {
            throw new RosException("service call " + name + " to " + peer + " failed: " + e.getMessage(), e);
        }
    }
}
