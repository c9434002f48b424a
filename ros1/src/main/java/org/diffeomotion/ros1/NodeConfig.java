package org.diffeomotion.ros1;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.diffeomotion.ros1.internal.Names;

/**
 * Everything a node needs to know before it starts, taken from the command line (ROS remapping
 * arguments) and the environment, with the precedence of roscpp/rospy: special {@code __x:=}
 * arguments win over environment variables, which win over defaults.
 *
 * <ul>
 *   <li>{@code from:=to} remaps a name; both sides are resolved in the node's namespace ({@code
 *       ~from} against the node name).
 *   <li>{@code __name:=n}, {@code __ns:=/ns}, {@code __master:=http://h:p/}, {@code __ip:=}, {@code
 *       __hostname:=}, {@code __log:=path}.
 *   <li>{@code _param:=value} sets the private parameter {@code ~param} when the node starts; value
 *       typed like YAML scalars (int, double, bool, else string).
 *   <li>Environment: ROS_MASTER_URI, ROS_IP, ROS_HOSTNAME, ROS_NAMESPACE.
 * </ul>
 *
 * Immutable; building it never touches the network.
 */
public final class NodeConfig {

  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  private static final Pattern DOUBLE =
      Pattern.compile(
          "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private final String name;
  private final String namespace;
  private final URI masterUri;
  private final String host;
  private final String logPath;
  private final Map<String, String> remappings;
  private final Map<String, Object> privateParams;
  private final List<String> nonRosArgs;

  private NodeConfig(
      String name,
      String namespace,
      URI masterUri,
      String host,
      String logPath,
      Map<String, String> remappings,
      Map<String, Object> privateParams,
      List<String> nonRosArgs) {
    this.name = name;
    this.namespace = namespace;
    this.masterUri = masterUri;
    this.host = host;
    this.logPath = logPath;
    this.remappings = Collections.unmodifiableMap(remappings);
    this.privateParams = Collections.unmodifiableMap(privateParams);
    this.nonRosArgs = List.copyOf(nonRosArgs);
  }

  /**
   * Builds a configuration from program arguments and environment variables.
   *
   * @param defaultName base name of the node unless {@code __name:=} overrides it
   * @param args program arguments; those without ":=" are kept in {@link #nonRosArgs()}
   * @param env environment, usually {@code System.getenv()}
   * @throws IllegalArgumentException naming the bad argument or variable
   */
  public static NodeConfig fromArgs(
      String defaultName, List<String> args, Map<String, String> env) {
    String baseName = defaultName;
    String ns = env.getOrDefault("ROS_NAMESPACE", "/");
    String master = env.get("ROS_MASTER_URI");
    String host = env.get("ROS_HOSTNAME");
    if (host == null || host.isEmpty()) {
      host = env.get("ROS_IP");
    }
    String logPath = null;
    Map<String, String> rawRemaps = new LinkedHashMap<>();
    Map<String, String> rawParams = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      int i = a.indexOf(":=");
      if (i < 0) {
        rest.add(a);
        continue;
      }
      String key = a.substring(0, i);
      String value = a.substring(i + 2);
      switch (key) {
        case "__name" -> baseName = value;
        case "__ns" -> ns = value;
        case "__master" -> master = value;
        case "__ip", "__hostname" -> host = value;
        case "__log" -> logPath = value;
        default -> {
          if (key.startsWith("__")) {
            // Unknown special keys (e.g. __anonymous) are ignored like roscpp does.
            continue;
          }
          if (key.startsWith("_")) {
            rawParams.put(key.substring(1), value);
          } else {
            rawRemaps.put(key, value);
          }
        }
      }
    }
    Names.validateBase(baseName, "node name");
    if (!ns.startsWith("/")) {
      ns = "/" + ns; // rospy makes a relative ROS_NAMESPACE absolute
    }
    Names.validate(ns, "namespace");
    ns = Names.canonical(ns);
    String nodeName = Names.join(ns, baseName);

    if (master == null || master.isEmpty()) {
      throw new IllegalArgumentException(
          "ROS_MASTER_URI is not set and no __master:= argument was given");
    }
    URI masterUri;
    try {
      masterUri = URI.create(master);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad master URI '" + master + "': " + e.getMessage());
    }
    if (!"http".equals(masterUri.getScheme())
        || masterUri.getHost() == null
        || masterUri.getPort() <= 0) {
      throw new IllegalArgumentException(
          "bad master URI '" + master + "': expected http://host:port/");
    }
    if (host == null || host.isEmpty()) {
      host = defaultHost(masterUri);
    }

    Map<String, String> remaps = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : rawRemaps.entrySet()) {
      Names.validate(e.getKey(), "remapping source");
      Names.validate(e.getValue(), "remapping target for '" + e.getKey() + "'");
      remaps.put(
          Names.resolve(ns, nodeName, e.getKey()), Names.resolve(ns, nodeName, e.getValue()));
    }
    Map<String, Object> params = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : rawParams.entrySet()) {
      Names.validate(e.getKey(), "private parameter");
      params.put(Names.resolve(ns, nodeName, "~" + e.getKey()), parseScalar(e.getValue()));
    }
    return new NodeConfig(nodeName, ns, masterUri, host, logPath, remaps, params, rest);
  }

  /** Loopback masters get a loopback host; otherwise the machine's hostname, like roscpp. */
  private static String defaultHost(URI master) {
    String h = master.getHost();
    if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1")) {
      return "127.0.0.1";
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /** Types a command-line parameter value like a YAML scalar: int, double, bool, or string. */
  public static Object parseScalar(String v) {
    String s = v.strip();
    if (INT.matcher(s).matches()) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        return Double.parseDouble(s); // too big for XML-RPC i4
      }
    }
    if (DOUBLE.matcher(s).matches() && (s.contains(".") || s.contains("e") || s.contains("E"))) {
      String t = s.toLowerCase(java.util.Locale.ROOT);
      if (t.endsWith(".inf")) {
        return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      if (t.endsWith(".nan")) {
        return Double.NaN;
      }
      return Double.parseDouble(s);
    }
    switch (s) {
      case "true", "True", "TRUE" -> {
        return Boolean.TRUE;
      }
      case "false", "False", "FALSE" -> {
        return Boolean.FALSE;
      }
      default -> {
        if (s.length() >= 2
            && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
          return s.substring(1, s.length() - 1);
        }
        return v;
      }
    }
  }

  /**
   * Resolves a name for this node and applies the remappings; the way every topic, service and
   * parameter name given to the node API is turned into a graph name.
   *
   * @throws IllegalArgumentException if the name is illegal
   */
  public String resolveName(String n) {
    String resolved = Names.resolve(namespace, name, n);
    return remappings.getOrDefault(resolved, resolved);
  }

  /** Full node name, e.g. {@code /robot/diffeo_motion}. */
  public String name() {
    return name;
  }

  /** Namespace of the node, e.g. {@code /robot}, or {@code /}. */
  public String namespace() {
    return namespace;
  }

  public URI masterUri() {
    return masterUri;
  }

  /** Host name or IP this node advertises in its URIs and binds its servers to. */
  public String host() {
    return host;
  }

  /** {@code __log:=} path or null. */
  public String logPath() {
    return logPath;
  }

  /** Resolved remappings, source → target. */
  public Map<String, String> remappings() {
    return remappings;
  }

  /** Private parameters from {@code _name:=value} arguments, by resolved name. */
  public Map<String, Object> privateParams() {
    return privateParams;
  }

  /** Arguments that are not ROS remapping arguments. */
  public List<String> nonRosArgs() {
    return nonRosArgs;
  }

  @Override
  public String toString() {
    return "NodeConfig[name="
        + name
        + ", master="
        + masterUri
        + ", host="
        + host
        + ", remappings="
        + remappings
        + "]";
  }
}
