package org.diffeomotion.ros1;

import java.util.List;

/**
 * The parameter server, with names resolved (and remapped) for this node: {@code "~rate"} is the
 * node's private parameter. Values are Integer, Double, Boolean, String, byte[], List or
 * Map&lt;String, Object&gt; (namespaces come back as maps). Every call is a bounded XML-RPC call to
 * the master; failures throw {@link RosException} naming the call and the key.
 */
public interface ParameterClient {

  /**
   * @throws RosException if the parameter is not set
   */
  Object get(String key);

  /** The value, or {@code fallback} if the parameter is not set. */
  Object get(String key, Object fallback);

  /** A number parameter as double, or {@code fallback} if unset. */
  double getDouble(String key, double fallback);

  void set(String key, Object value);

  boolean has(String key);

  /** Deletes the parameter; deleting an unset key is not an error. */
  void delete(String key);

  /** Searches up the namespace tree (wiki "searchParam"); null if not found. */
  String search(String key);

  /** All parameter names on the server. */
  List<String> names();

  /**
   * Subscribes to updates of a parameter (and the keys below it). The master is told again after it
   * restarts.
   *
   * @return the current value, or null if unset
   */
  Object subscribe(String key, ParamListener listener);

  /** Removes all listeners of the key and unsubscribes from the master. */
  void unsubscribe(String key);

  /** Receives parameter updates on an XML-RPC worker thread. */
  @FunctionalInterface
  interface ParamListener {
    /**
     * @param key the resolved key that changed
     * @param value its new value ({@code Map} empty when deleted)
     */
    void onUpdate(String key, Object value);
  }
}
