package org.diffeomotion.ros1.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The slave XML-RPC server's handler: decodes the raw parameters of each slave API call (arity and
 * types), calls the typed {@link SlaveApi} and encodes {@code [code, status, value]}. A call with
 * missing or mistyped parameters answers code -1 naming the expected ones; a method that is not
 * part of the slave API answers an XML-RPC fault.
 */
public final class SlaveApiDispatcher implements XmlRpcServer.Handler {

  private final SlaveApi api;

  public SlaveApiDispatcher(SlaveApi api) {
    this.api = api;
  }

  private static List<Object> ok(Object value) {
    return List.of(1, "", value);
  }

  private static List<Object> error(String status) {
    return List.of(-1, status, 0);
  }

  @Override
  public Object handle(String method, List<Object> params) {
    String caller = params.isEmpty() ? "?" : String.valueOf(params.get(0));
    try {
      switch (method) {
        case "getPid":
          return ok(api.getPid(caller));
        case "getMasterUri":
          return ok(api.getMasterUri(caller));
        case "getPublications":
          return ok(encode(api.getPublications(caller)));
        case "getSubscriptions":
          return ok(encode(api.getSubscriptions(caller)));
        case "getBusInfo":
          return ok(api.getBusInfo(caller));
        case "getBusStats":
          {
            SlaveApi.BusStats s = api.getBusStats(caller);
            return ok(List.of(s.publish(), s.subscribe(), s.service()));
          }
        case "shutdown":
          api.shutdown(caller, params.size() > 1 ? String.valueOf(params.get(1)) : "");
          return ok(0);
        case "paramUpdate":
          if (params.size() < 3) {
            return error("paramUpdate needs caller_id, key, value");
          }
          api.paramUpdate(caller, String.valueOf(params.get(1)), params.get(2));
          return ok(0);
        case "publisherUpdate":
          if (params.size() < 3 || !(params.get(2) instanceof List<?> uris)) {
            return error("publisherUpdate needs caller_id, topic, publishers[]");
          }
          api.publisherUpdate(caller, String.valueOf(params.get(1)), strings(uris));
          return ok(0);
        case "requestTopic":
          {
            if (params.size() < 3 || !(params.get(2) instanceof List<?> protocols)) {
              return error("requestTopic needs caller_id, topic, protocols[]");
            }
            SlaveApi.Route r =
                api.requestTopic(caller, String.valueOf(params.get(1)), lists(protocols));
            return List.of(
                1,
                "ready on " + r.host() + ":" + r.port(),
                List.of(r.protocol(), r.host(), r.port()));
          }
        default:
          throw new IllegalArgumentException(
              "method '" + method + "' is not part of the ROS slave API");
      }
    } catch (SlaveApi.Refusal r) {
      return List.of(r.code(), r.getMessage(), r.value());
    }
  }

  private static List<Object> encode(List<SlaveApi.Topic> topics) {
    List<Object> l = new ArrayList<>(topics.size());
    for (SlaveApi.Topic t : topics) {
      l.add(List.of(t.name(), t.type()));
    }
    return l;
  }

  private static List<String> strings(List<?> values) {
    List<String> l = new ArrayList<>(values.size());
    for (Object o : values) {
      l.add(String.valueOf(o));
    }
    return l;
  }

  /** Each protocol as a list; an entry that is not one (no client sends that) matches nothing. */
  private static List<List<?>> lists(List<?> values) {
    List<List<?>> l = new ArrayList<>(values.size());
    for (Object o : values) {
      l.add(o instanceof List<?> p ? p : List.of());
    }
    return l;
  }
}
