package org.diffeomotion.ros1.internal;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.diffeomotion.ros1.RosException;

/**
 * Typed calls of the ROS Master API and Parameter Server API (wiki.ros.org/ROS/Master_API,
 * /ROS/Parameter Server API). Every ROS call returns {@code [code, statusMessage, value]}; a code
 * other than 1 and any transport failure become a {@link RosException} naming the call and its
 * subject, so that logs say which registration failed and why.
 */
public final class MasterClient {

  private final XmlRpcClient rpc;
  private final String callerId;

  /**
   * @param masterUri http URI of the master
   * @param callerId this node's full name
   * @param connectTimeoutMs connect timeout per call [ms]
   * @param readTimeoutMs read timeout per call [ms]
   */
  public MasterClient(URI masterUri, String callerId, int connectTimeoutMs, int readTimeoutMs) {
    this.rpc = new XmlRpcClient(masterUri, connectTimeoutMs, readTimeoutMs);
    this.callerId = callerId;
  }

  public URI uri() {
    return rpc.uri();
  }

  /**
   * Calls a ROS API method (caller id prepended) and returns the value of a code-1 result. Errors
   * name the method and its first argument.
   */
  public Object call(String method, Object... args) {
    return callAbout(args.length > 0 ? String.valueOf(args[0]) : "", method, args);
  }

  /** As {@link #call}, with the subject named in errors given explicitly. */
  private Object callAbout(String subject, String method, Object... args) {
    Object[] params = new Object[args.length + 1];
    params[0] = callerId;
    System.arraycopy(args, 0, params, 1, args.length);
    String what = method + "(" + subject + ")";
    Object r;
    try {
      r = rpc.call(method, params);
    } catch (IOException e) {
      throw new RosException(what + " on master " + rpc.uri() + " failed: " + e.getMessage(), e);
    }
    return checkResult(what, String.valueOf(rpc.uri()), r);
  }

  /** Checks a {@code [code, statusMessage, value]} triple and returns the value. */
  static Object checkResult(String what, String peer, Object r) {
    if (!(r instanceof List<?> l) || l.size() != 3 || !(l.get(0) instanceof Integer code)) {
      throw new RosException(what + " to " + peer + ": malformed result " + r);
    }
    if (code != 1) {
      throw new RosException(what + " to " + peer + " failed with code " + code + ": " + l.get(1));
    }
    return l.get(2);
  }

  /**
   * @return URIs of current publishers of the topic
   */
  public List<String> registerSubscriber(String topic, String type, String callerApi) {
    return stringList(call("registerSubscriber", topic, type, callerApi), "registerSubscriber");
  }

  public void unregisterSubscriber(String topic, String callerApi) {
    call("unregisterSubscriber", topic, callerApi);
  }

  /**
   * @return URIs of current subscribers of the topic
   */
  public List<String> registerPublisher(String topic, String type, String callerApi) {
    return stringList(call("registerPublisher", topic, type, callerApi), "registerPublisher");
  }

  public void unregisterPublisher(String topic, String callerApi) {
    call("unregisterPublisher", topic, callerApi);
  }

  /**
   * @param serviceApi rosrpc://host:port of the TCPROS server
   */
  public void registerService(String service, String serviceApi, String callerApi) {
    call("registerService", service, serviceApi, callerApi);
  }

  public void unregisterService(String service, String serviceApi) {
    call("unregisterService", service, serviceApi);
  }

  /**
   * @return XML-RPC URI of the node
   */
  public String lookupNode(String node) {
    return String.valueOf(call("lookupNode", node));
  }

  /**
   * @return rosrpc:// URI of the service
   */
  public String lookupService(String service) {
    return String.valueOf(call("lookupService", service));
  }

  /**
   * @return [[topic, type], ...] of published topics within the subgraph ("" for all)
   */
  public List<?> getPublishedTopics(String subgraph) {
    return (List<?>) call("getPublishedTopics", subgraph);
  }

  /**
   * @return [[topic, type], ...] of all known topics
   */
  public List<?> getTopicTypes() {
    return (List<?>) call("getTopicTypes");
  }

  /**
   * @return [publishers, subscribers, services], each [[name, [node, ...]], ...]
   */
  public List<?> getSystemState() {
    return (List<?>) call("getSystemState");
  }

  public String getUri() {
    return String.valueOf(call("getUri"));
  }

  /**
   * @return the master process id; changes when the master restarts
   */
  public int getPid() {
    Object v = call("getPid");
    if (!(v instanceof Integer i)) {
      throw new RosException("getPid on master " + rpc.uri() + ": not an int: " + v);
    }
    return i;
  }

  // ---------------------------------------------------------------- parameter server

  public Object getParam(String key) {
    return call("getParam", key);
  }

  public void setParam(String key, Object value) {
    call("setParam", key, value);
  }

  public boolean hasParam(String key) {
    return Boolean.TRUE.equals(call("hasParam", key));
  }

  public void deleteParam(String key) {
    call("deleteParam", key);
  }

  /**
   * @return the found key, or null if none
   */
  public String searchParam(String key) {
    try {
      Object v = call("searchParam", key);
      return v instanceof String s && !s.isEmpty() ? s : null;
    } catch (RosException e) {
      // The master answers code -1 when nothing is found.
      if (e.getMessage().contains("code -1")) {
        return null;
      }
      throw e;
    }
  }

  /**
   * @return the current value ({@code {}} if unset)
   */
  public Object subscribeParam(String callerApi, String key) {
    return callAbout(key, "subscribeParam", callerApi, key);
  }

  public void unsubscribeParam(String callerApi, String key) {
    callAbout(key, "unsubscribeParam", callerApi, key);
  }

  public List<String> getParamNames() {
    return stringList(call("getParamNames"), "getParamNames");
  }

  private static List<String> stringList(Object v, String what) {
    if (!(v instanceof List<?> l)) {
      throw new RosException(what + ": expected a list, got " + v);
    }
    for (Object o : l) {
      if (!(o instanceof String)) {
        throw new RosException(what + ": expected strings, got " + o);
      }
    }
    @SuppressWarnings("unchecked")
    List<String> s = (List<String>) l;
    return s;
  }
}
