package org.diffeomotion.ros1.msg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The .msg/.srv definition texts of the types this node speaks, and the ROS rules that derive from
 * them the md5sum (type identity on the wire) and the full definition text (the {@code
 * message_definition} connection header field, which rosbag stores).
 *
 * <p>md5 rule (genmsg {@code compute_md5_text}): comments and blank lines dropped; constants first
 * as {@code type name=value}, then fields as {@code type name}, where a field of a message type
 * (array or not) is written as {@code <md5 of that type> name}; {@code Header} means {@code
 * std_msgs/Header}; an unqualified type is in the same package. The md5 of a service is that of the
 * request text followed directly by the response text.
 *
 * <p>Types of an application's own package (its {@code .msg} / {@code .srv} files) are added with
 * {@link #define} (usually through {@link MessageType#define} and {@link ServiceType#define}); the
 * built-in texts cannot be replaced.
 */
public final class Definitions {

  private static final Map<String, String> MSG =
      Map.ofEntries(
          Map.entry(
              "std_msgs/Header",
              """
                    # Standard metadata for higher-level stamped data types.
                    uint32 seq
                    time stamp
                    string frame_id
                    """),
          Map.entry(
              "geometry_msgs/Point",
              """
                    # This contains the position of a point in free space
                    float64 x
                    float64 y
                    float64 z
                    """),
          Map.entry(
              "geometry_msgs/Vector3",
              """
                    # This represents a vector in free space.
                    float64 x
                    float64 y
                    float64 z
                    """),
          Map.entry(
              "geometry_msgs/Quaternion",
              """
                    # This represents an orientation in free space in quaternion form.
                    float64 x
                    float64 y
                    float64 z
                    float64 w
                    """),
          Map.entry(
              "geometry_msgs/Pose",
              """
                    # A representation of pose in free space, composed of position and orientation.
                    Point position
                    Quaternion orientation
                    """),
          Map.entry(
              "geometry_msgs/PoseStamped",
              """
                    # A Pose with reference coordinate frame and timestamp
                    Header header
                    Pose pose
                    """),
          Map.entry(
              "geometry_msgs/PointStamped",
              """
                    # This represents a Point with reference coordinate frame and timestamp
                    Header header
                    Point point
                    """),
          Map.entry(
              "geometry_msgs/Twist",
              """
                    # This expresses velocity in free space broken into its linear and angular parts.
                    Vector3  linear
                    Vector3  angular
                    """),
          Map.entry(
              "geometry_msgs/TwistStamped",
              """
                    # A twist with reference coordinate frame and timestamp
                    Header header
                    Twist twist
                    """),
          Map.entry(
              "nav_msgs/Path",
              """
                    #An array of poses that represents a Path for a robot to follow
                    Header header
                    geometry_msgs/PoseStamped[] poses
                    """),
          Map.entry(
              "sensor_msgs/JointState",
              """
                    # State of a set of torque controlled joints: name, position [rad or m],
                    # velocity [rad/s or m/s], effort [Nm or N]; arrays are empty or of equal length.
                    Header header

                    string[] name
                    float64[] position
                    float64[] velocity
                    float64[] effort
                    """),
          Map.entry(
              "trajectory_msgs/JointTrajectory",
              """
                    Header header
                    string[] joint_names
                    JointTrajectoryPoint[] points
                    """),
          Map.entry(
              "trajectory_msgs/JointTrajectoryPoint",
              """
                    # Each trajectory point specifies either positions[, velocities[, accelerations]]
                    # or positions[, effort] for the trajectory to be executed.
                    # All specified values are in the same order as the joint names in JointTrajectory.msg

                    float64[] positions
                    float64[] velocities
                    float64[] accelerations
                    float64[] effort
                    duration time_from_start
                    """),
          Map.entry(
              "rosgraph_msgs/Log",
              """
                    ##
                    ## Severity level constants
                    ##
                    byte DEBUG=1 #debug level
                    byte INFO=2  #general level
                    byte WARN=4  #warning level
                    byte ERROR=8 #error level
                    byte FATAL=16 #fatal/critical level
                    ##
                    ## Fields
                    ##
                    Header header
                    byte level
                    string name # name of the node
                    string msg # message\s
                    string file # file the message came from
                    string function # function the message came from
                    uint32 line # line the message came from
                    string[] topics # topic names that the node publishes
                    """),
          Map.entry(
              "rosgraph_msgs/Clock",
              """
                    # roslib/Clock is used for publishing simulated time in ROS.\s
                    # This message simply communicates the current time.
                    # For more information, see http://www.ros.org/wiki/Clock
                    time clock
                    """),
          Map.entry(
              "nav_msgs/GetPlanRequest",
              """
                    # Get a plan from the current position to the goal Pose\s

                    # The start pose for the plan
                    geometry_msgs/PoseStamped start

                    # The final pose of the goal position
                    geometry_msgs/PoseStamped goal

                    # If the goal is obstructed, how many meters the planner can\s
                    # relax the constraint in x and y before failing.\s
                    float32 tolerance
                    """),
          Map.entry(
              "nav_msgs/GetPlanResponse",
              """
                    nav_msgs/Path plan
                    """),
          Map.entry(
              "dynamic_reconfigure/BoolParameter",
              """
                    string name
                    bool value
                    """),
          Map.entry(
              "dynamic_reconfigure/IntParameter",
              """
                    string name
                    int32 value
                    """),
          Map.entry(
              "dynamic_reconfigure/StrParameter",
              """
                    string name
                    string value
                    """),
          Map.entry(
              "dynamic_reconfigure/DoubleParameter",
              """
                    string name
                    float64 value
                    """),
          Map.entry(
              "dynamic_reconfigure/GroupState",
              """
                    string name
                    bool state
                    int32 id
                    int32 parent
                    """),
          Map.entry(
              "dynamic_reconfigure/Config",
              """
                    BoolParameter[] bools
                    IntParameter[] ints
                    StrParameter[] strs
                    DoubleParameter[] doubles
                    GroupState[] groups
                    """),
          Map.entry(
              "dynamic_reconfigure/ParamDescription",
              """
                    string name
                    string type
                    uint32 level
                    string description
                    string edit_method
                    """),
          Map.entry(
              "dynamic_reconfigure/Group",
              """
                    string name
                    string type
                    ParamDescription[] parameters
                    int32 parent
                    int32 id
                    """),
          Map.entry(
              "dynamic_reconfigure/ConfigDescription",
              """
                    Group[] groups
                    Config max
                    Config min
                    Config dflt
                    """),
          Map.entry(
              "dynamic_reconfigure/ReconfigureRequest",
              """
                    Config config
                    """),
          Map.entry(
              "dynamic_reconfigure/ReconfigureResponse",
              """
                    Config config
                    """),
          Map.entry(
              "visualization_msgs/Marker",
"""
                    # See http://www.ros.org/wiki/rviz/DisplayTypes/Marker and http://www.ros.org/wiki/rviz/Tutorials/Markers%3A%20Basic%20Shapes for more information on using this message with rviz

                    uint8 ARROW=0
                    uint8 CUBE=1
                    uint8 SPHERE=2
                    uint8 CYLINDER=3
                    uint8 LINE_STRIP=4
                    uint8 LINE_LIST=5
                    uint8 CUBE_LIST=6
                    uint8 SPHERE_LIST=7
                    uint8 POINTS=8
                    uint8 TEXT_VIEW_FACING=9
                    uint8 MESH_RESOURCE=10
                    uint8 TRIANGLE_LIST=11

                    uint8 ADD=0
                    uint8 MODIFY=0
                    uint8 DELETE=2
                    uint8 DELETEALL=3

                    Header header                        # header for time/frame information
                    string ns                            # Namespace to place this object in... used in conjunction with id to create a unique name for the object
                    int32 id 		                         # object ID useful in conjunction with the namespace for manipulating and deleting the object later
                    int32 type 		                       # Type of object
                    int32 action 	                       # 0 add/modify an object, 1 (deprecated), 2 deletes an object, 3 deletes all objects
                    geometry_msgs/Pose pose                 # Pose of the object
                    geometry_msgs/Vector3 scale             # Scale of the object 1,1,1 means default (usually 1 meter square)
                    std_msgs/ColorRGBA color             # Color [0.0-1.0]
                    duration lifetime                    # How long the object should last before being automatically deleted.  0 means forever
                    bool frame_locked                    # If this marker should be frame-locked, i.e. retransformed into its frame every timestep

                    #Only used if the type specified has some use for them (eg. POINTS, LINE_STRIP, ...)
                    geometry_msgs/Point[] points
                    #Only used if the type specified has some use for them (eg. POINTS, LINE_STRIP, ...)
                    #number of colors must either be 0 or equal to the number of points
                    #NOTE: alpha is not yet used
                    std_msgs/ColorRGBA[] colors

                    # NOTE: only used for text markers
                    string text

                    # NOTE: only used for MESH_RESOURCE markers
                    string mesh_resource
                    bool mesh_use_embedded_materials
"""),
          Map.entry(
              "std_msgs/ColorRGBA",
"""
                    float32 r
                    float32 g
                    float32 b
                    float32 a
"""),
          Map.entry("std_srvs/TriggerRequest", ""),
          Map.entry(
              "std_srvs/TriggerResponse",
              """
                    bool success   # indicate successful run of triggered service
                    string message # informational, e.g. for error messages
                    """));

  private static final Set<String> BUILTIN =
      Set.of(
          "bool",
          "int8",
          "uint8",
          "byte",
          "char",
          "int16",
          "uint16",
          "int32",
          "uint32",
          "int64",
          "uint64",
          "float32",
          "float64",
          "string",
          "time",
          "duration");

  /** Definitions added at run time by {@link #define}. */
  private static final Map<String, String> DEFINED = new ConcurrentHashMap<>();

  private Definitions() {}

  /** True if a definition for {@code type} ("pkg/Name") is known here. */
  public static boolean isKnown(String type) {
    return MSG.containsKey(type) || DEFINED.containsKey(type);
  }

  /**
   * Adds the definition of an application's own type, e.g. {@code ("my_pkg/GetThingRequest",
   * text)}: the text of its .msg file, or of one half of a .srv file (a service {@code pkg/Name}
   * has the two types {@code pkg/NameRequest} and {@code pkg/NameResponse}). Every field's type
   * must be a built-in or already known, so that the md5 and the full text can be derived. Defining
   * the same text again is a no-op.
   *
   * @throws IllegalArgumentException naming the problem: a name that is not {@code pkg/Name}, a
   *     built-in type's name, another text under a name already defined, a line that is not a field
   *     or constant, or a field of an unknown type
   */
  public static void define(String type, String text) {
    if (type == null || !type.matches("[A-Za-z][A-Za-z0-9_]*/[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("type name '" + type + "' is not of the form pkg/Name");
    }
    if (text == null) {
      throw new IllegalArgumentException("definition text of " + type + " is null");
    }
    if (MSG.containsKey(type)) {
      throw new IllegalArgumentException(type + " is a built-in type; it cannot be redefined");
    }
    String before = DEFINED.putIfAbsent(type, text);
    if (before != null) {
      if (!before.equals(text)) {
        throw new IllegalArgumentException(type + " is already defined with another text");
      }
      return;
    }
    try {
      String pkg = type.substring(0, type.indexOf('/'));
      for (String[] f : parse(type)) {
        if (f[2] != null) {
          continue;
        }
        String base = baseType(f[0]);
        if (!BUILTIN.contains(base) && !isKnown(resolve(base, pkg))) {
          throw new IllegalArgumentException(
              type + ": field '" + f[1] + "' has the unknown type " + resolve(base, pkg));
        }
      }
    } catch (RuntimeException e) {
      DEFINED.remove(type, text);
      throw e instanceof IllegalArgumentException iae
          ? iae
          : new IllegalArgumentException(type + ": " + e.getMessage(), e);
    }
  }

  /** The definition text of {@code type} as in its .msg file. */
  public static String text(String type) {
    String t = MSG.get(type);
    if (t == null) {
      t = DEFINED.get(type);
    }
    if (t == null) {
      throw new IllegalArgumentException("no message definition for type '" + type + "'");
    }
    return t;
  }

  /** The md5sum of a message type, as {@code rosmsg md5} prints it. */
  public static String md5(String type) {
    return hex(md5Text(type));
  }

  /** The md5sum of a service type ("pkg/Name"), as {@code rossrv md5} prints it. */
  public static String serviceMd5(String service) {
    return hex(md5Text(service + "Request") + md5Text(service + "Response"));
  }

  /** The text whose MD5 is the type's md5sum (see the class comment). */
  static String md5Text(String type) {
    String pkg = type.substring(0, type.indexOf('/'));
    List<String> constants = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (String[] f : parse(type)) {
      String ftype = f[0];
      String name = f[1];
      String constValue = f[2];
      if (constValue != null) {
        constants.add(ftype + " " + name + "=" + constValue);
      } else {
        String base = baseType(ftype);
        if (BUILTIN.contains(base)) {
          fields.add(ftype + " " + name);
        } else {
          fields.add(md5(resolve(base, pkg)) + " " + name);
        }
      }
    }
    List<String> all = new ArrayList<>(constants);
    all.addAll(fields);
    return String.join("\n", all);
  }

  /**
   * The full definition: the type's text, then each dependency's text after a line of 80 '=' and
   * {@code MSG: pkg/Name}, as genmsg writes it for the {@code message_definition} header.
   */
  public static String fullText(String type) {
    Set<String> deps = new LinkedHashSet<>();
    collectDeps(type, deps);
    StringBuilder sb = new StringBuilder(text(type));
    for (String d : deps) {
      sb.append("=".repeat(80)).append('\n').append("MSG: ").append(d).append('\n').append(text(d));
    }
    String s = sb.toString();
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static void collectDeps(String type, Set<String> out) {
    String pkg = type.substring(0, type.indexOf('/'));
    for (String[] f : parse(type)) {
      if (f[2] != null) {
        continue;
      }
      String base = baseType(f[0]);
      if (!BUILTIN.contains(base)) {
        String dep = resolve(base, pkg);
        if (out.add(dep)) {
          collectDeps(dep, out);
        }
      }
    }
  }

  /** Parses the definition into {type, name, constantValueOrNull} triples. */
  private static List<String[]> parse(String type) {
    List<String[]> out = new ArrayList<>();
    for (String raw : text(type).split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] tn = line.split("\\s+", 2);
      if (tn.length < 2) {
        throw new IllegalStateException("bad line in " + type + ": '" + raw + "'");
      }
      String ftype = tn[0];
      String rest = tn[1];
      int eq = rest.indexOf('=');
      int hash = rest.indexOf('#');
      if (eq >= 0 && (hash < 0 || eq < hash)) {
        String name = rest.substring(0, eq).strip();
        String value = rest.substring(eq + 1);
        // String constants keep everything after '=' (comments included) per genmsg.
        value = ftype.equals("string") ? value.strip() : stripComment(value).strip();
        out.add(new String[] {ftype, name, value});
      } else {
        out.add(new String[] {ftype, stripComment(rest).strip(), null});
      }
    }
    return out;
  }

  private static String stripComment(String s) {
    int h = s.indexOf('#');
    return h < 0 ? s : s.substring(0, h);
  }

  private static String baseType(String t) {
    int b = t.indexOf('[');
    return b < 0 ? t : t.substring(0, b);
  }

  private static String resolve(String base, String pkg) {
    if (base.equals("Header")) {
      return "std_msgs/Header";
    }
    return base.contains("/") ? base : pkg + "/" + base;
  }

  private static String hex(String text) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(32);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks MD5", e);
    }
  }
}
