package org.diffeomotion.ros1.internal;

import java.util.List;
import org.diffeomotion.ros1.ParameterClient;
import org.diffeomotion.ros1.RosException;

/** {@link ParameterClient} over the master's Parameter Server API with node-relative names. */
public final class ParameterClientImpl implements ParameterClient {

  private final NodeRuntime node;

  public ParameterClientImpl(NodeRuntime node) {
    this.node = node;
  }

  private String key(String k) {
    return node.config().resolveName(k);
  }

  @Override
  public Object get(String key) {
    return node.master().getParam(key(key));
  }

  @Override
  public Object get(String key, Object fallback) {
    String k = key(key);
    // hasParam first: a missing key is normal here and should not be an exception upstream.
    return node.master().hasParam(k) ? node.master().getParam(k) : fallback;
  }

  @Override
  public double getDouble(String key, double fallback) {
    Object v = get(key, null);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new RosException("parameter " + key(key) + " is not a number: " + v);
  }

  @Override
  public void set(String key, Object value) {
    node.master().setParam(key(key), value);
  }

  @Override
  public boolean has(String key) {
    return node.master().hasParam(key(key));
  }

  @Override
  public void delete(String key) {
    String k = key(key);
    if (node.master().hasParam(k)) {
      node.master().deleteParam(k);
    }
  }

  @Override
  public String search(String key) {
    return node.master().searchParam(key);
  }

  @Override
  public List<String> names() {
    return node.master().getParamNames();
  }

  @Override
  public Object subscribe(String key, ParamListener listener) {
    return node.subscribeParam(key, listener);
  }

  @Override
  public void unsubscribe(String key) {
    node.unsubscribeParam(key);
  }
}
