package org.diffeomotion.ros1.internal;

import java.util.regex.Pattern;

/**
 * ROS graph names (wiki.ros.org/Names): validation and resolution of global ({@code /a}), relative
 * ({@code a}, against the node's namespace) and private ({@code ~a}, against the node's full name)
 * names. Resolved names are canonical: absolute, no trailing or doubled slash.
 */
public final class Names {

  private static final Pattern LEGAL = Pattern.compile("[~/A-Za-z][\\w/]*");
  private static final Pattern BASE = Pattern.compile("[A-Za-z][\\w]*");

  private Names() {}

  /**
   * Checks that {@code name} is a legal graph name.
   *
   * @param what what the name is for, used in the error ("topic", "node name", ...)
   * @throws IllegalArgumentException naming the bad name and why it is bad
   */
  public static String validate(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (!LEGAL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "illegal "
              + what
              + " '"
              + name
              + "': must start with a letter, '/' or '~' and contain only letters, digits, '_' and '/'");
    }
    if (name.contains("//")) {
      throw new IllegalArgumentException("illegal " + what + " '" + name + "': contains '//'");
    }
    if (name.indexOf('~', 1) >= 0) {
      throw new IllegalArgumentException(
          "illegal " + what + " '" + name + "': '~' only allowed first");
    }
    return name;
  }

  /** Checks a base name (no namespace), such as a node name given by {@code __name}. */
  public static String validateBase(String name, String what) {
    if (name == null || !BASE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "illegal "
              + what
              + " '"
              + name
              + "': must be a base name (a letter, then letters, digits or '_')");
    }
    return name;
  }

  /** Canonical form of an absolute name: no trailing slash except for the root "/". */
  public static String canonical(String absolute) {
    String s = absolute;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** Joins a namespace and a relative name. */
  public static String join(String namespace, String relative) {
    if (relative.isEmpty()) {
      return canonical(namespace);
    }
    return namespace.endsWith("/") ? namespace + relative : namespace + "/" + relative;
  }

  /**
   * Resolves {@code name} as seen by the node {@code nodeName} living in {@code namespace}.
   *
   * @param namespace absolute namespace of the node, e.g. "/wg"
   * @param nodeName absolute name of the node, e.g. "/wg/node1"
   * @param name the name to resolve
   * @return the canonical absolute name
   */
  public static String resolve(String namespace, String nodeName, String name) {
    if (name.isEmpty()) {
      return canonical(namespace);
    }
    validate(name, "name");
    if (name.startsWith("/")) {
      return canonical(name);
    }
    if (name.startsWith("~")) {
      return canonical(join(nodeName, name.substring(1)));
    }
    return canonical(join(namespace, name));
  }

  /** The namespace of an absolute name: "/a/b/c" → "/a/b", "/a" → "/". */
  public static String parent(String absolute) {
    int i = absolute.lastIndexOf('/');
    return i <= 0 ? "/" : absolute.substring(0, i);
  }
}
