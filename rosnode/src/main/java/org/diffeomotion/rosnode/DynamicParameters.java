package org.diffeomotion.rosnode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.msg.DynamicReconfigure;
import org.diffeomotion.ros1.msg.DynamicReconfigure.Config;
import org.diffeomotion.ros1.msg.DynamicReconfigure.ConfigDescription;
import org.diffeomotion.ros1.msg.DynamicReconfigure.Reconfigure;

/**
 * The dynamic_reconfigure protocol for the parameters that may change while the node runs ({@code
 * rqt_reconfigure}, {@code dynparam}): the service {@code ~set_parameters}
 * (dynamic_reconfigure/Reconfigure), the latched topics {@code ~parameter_descriptions} (types,
 * ranges, defaults, one "Default" group) and {@code ~parameter_updates} (the values in force).
 *
 * <p>A request names some parameters; values out of range are clamped to [min, max] as
 * dynamic_reconfigure servers do, unknown names are ignored, and the merged set is validated as the
 * start-up parameters are (a combination that is invalid, e.g. ~horizon / ~dt beyond ~max_points,
 * is refused with the reason and nothing changes). The new set replaces the old one in one swap of
 * the {@link ServedMotion} in force, so each plan and each command sees either the old or the new
 * parameters, never a mix. The applied values are then published on {@code ~parameter_updates},
 * written to the parameter server (as the C++ server does) and returned.
 */
final class DynamicParameters {

  /** One reconfigurable parameter: its name, type ("int" or "double"), range and meaning. */
  record Param(String name, String type, double min, double max, String description) {}

  private final NodeContext ctx;
  private final Object lock;
  private final List<Param> params;
  private final Map<String, Double> defaults;
  private Publisher<ConfigDescription> descriptions;
  private Publisher<Config> updates;

  /**
   * @param lock serializes changes with goals and reloads (they swap the served motion too)
   */
  DynamicParameters(NodeContext ctx, Object lock) {
    this.ctx = ctx;
    this.lock = lock;
    int maxPoints = ctx.config.maxPoints();
    this.params =
        List.of(
            new Param(
                "time_scale",
                "double",
                0,
                1e6,
                "time scale tau [s], larger is slower; 0 = the model's"),
            new Param(
                "velocity_limit",
                "double",
                0,
                1e6,
                "largest commanded speed [state units/s]; 0 = no limit"),
            new Param(
                "points",
                "int",
                2,
                maxPoints,
                "plan points, both ends included (used when dt = 0)"),
            new Param("dt", "double", 0, 1e3, "plan point spacing [s]; 0 = use points"),
            new Param("horizon", "double", 0, 1e6, "plan duration [s]; 0 = until the plan arrives"),
            new Param(
                "goal_tolerance",
                "double",
                1e-9,
                1,
                "a plan has arrived within this many sigma of the goal ..."),
            new Param(
                "goal_speed_tolerance",
                "double",
                1e-9,
                10,
                "... moving slower than this many sigma/tau"),
            new Param("goal_offset_x", "double", -1e3, 1e3, "added to the goal's x [state units]"),
            new Param("goal_offset_y", "double", -1e3, 1e3, "added to the goal's y [state units]"),
            new Param(
                "goal_offset_z",
                "double",
                -1e3,
                1e3,
                "added to the goal's z (third state dimension) [state units]"));
    this.defaults = values(ctx.config);
  }

  /** The current value of every parameter of {@code c}, in the order of {@link #params}. */
  private static Map<String, Double> values(MotionNodeConfig c) {
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("time_scale", c.timeScale());
    v.put("velocity_limit", c.velocityLimit());
    v.put("points", (double) c.points());
    v.put("dt", c.dt());
    v.put("horizon", c.horizon());
    v.put("goal_tolerance", c.goalTolerance());
    v.put("goal_speed_tolerance", c.goalSpeedTolerance());
    double[] off = c.goalOffset();
    v.put("goal_offset_x", off[0]);
    v.put("goal_offset_y", off[1]);
    v.put("goal_offset_z", off[2]);
    return v;
  }

  /** Advertises the topics (latched, with the descriptions and the values) and the service. */
  void start(RosNode ros, List<AutoCloseable> open) {
    descriptions = ros.advertise("~parameter_descriptions", ConfigDescription.TYPE, true, 1);
    updates = ros.advertise("~parameter_updates", Config.TYPE, true, 1);
    open.add(descriptions);
    open.add(updates);
    descriptions.publish(description());
    updates.publish(config(values(ctx.served.get().config)));
    open.add(ros.advertiseService("~set_parameters", Reconfigure.TYPE, this::set));
  }

  private ConfigDescription description() {
    ConfigDescription d = new ConfigDescription();
    DynamicReconfigure.Group g = new DynamicReconfigure.Group();
    g.name = "Default";
    g.type = "";
    g.parent = 0;
    g.id = 0;
    Map<String, Double> mins = new LinkedHashMap<>();
    Map<String, Double> maxs = new LinkedHashMap<>();
    for (Param p : params) {
      g.parameters.add(
          new DynamicReconfigure.ParamDescription(p.name(), p.type(), 0, p.description(), ""));
      mins.put(p.name(), p.min());
      maxs.put(p.name(), p.max());
    }
    d.groups.add(g);
    fill(d.min, mins);
    fill(d.max, maxs);
    fill(d.dflt, defaults);
    return d;
  }

  private Config config(Map<String, Double> v) {
    Config c = new Config();
    fill(c, v);
    return c;
  }

  private void fill(Config c, Map<String, Double> v) {
    for (Param p : params) {
      double x = v.get(p.name());
      if (p.type().equals("int")) {
        c.ints.add(new DynamicReconfigure.IntParameter(p.name(), (int) x));
      } else {
        c.doubles.add(new DynamicReconfigure.DoubleParameter(p.name(), x));
      }
    }
    c.groups.add(new DynamicReconfigure.GroupState("Default", true, 0, 0));
  }

  /**
   * {@code ~set_parameters}: merges, clamps, validates and applies the request; answers the values
   * in force.
   *
   * @throws IllegalArgumentException naming the parameter when the merged set is invalid (the
   *     service answers a failure; nothing changes)
   */
  void set(Reconfigure.ConfigHolder req, Reconfigure.ConfigHolder res) {
    Map<String, Double> applied;
    List<String> clamped = new ArrayList<>();
    synchronized (lock) {
      ServedMotion s = ctx.served.get();
      Map<String, Double> v = values(s.config);
      for (DynamicReconfigure.IntParameter p : req.config.ints) {
        put(v, p.name, p.value, clamped);
      }
      for (DynamicReconfigure.DoubleParameter p : req.config.doubles) {
        put(v, p.name, p.value, clamped);
      }
      MotionNodeConfig next =
          s.config.toBuilder()
              .timeScale(v.get("time_scale"))
              .velocityLimit(v.get("velocity_limit"))
              .points((int) Math.round(v.get("points")))
              .dt(v.get("dt"))
              .horizon(v.get("horizon"))
              .goalTolerance(v.get("goal_tolerance"))
              .goalSpeedTolerance(v.get("goal_speed_tolerance"))
              .goalOffset(v.get("goal_offset_x"), v.get("goal_offset_y"), v.get("goal_offset_z"))
              .build();
      ServedMotion moved = s.withConfig(next);
      int outside = moved.bounds.outside(moved.goal);
      if (outside >= 0) {
        throw new IllegalArgumentException(
            "the goal offset moves the goal outside the workspace: "
                + moved.bounds.describe("goal[" + outside + "]", outside, moved.goal[outside]));
      }
      ctx.served.set(moved);
      applied = values(next);
    }
    ctx.announceGoal();
    Config now = config(applied);
    res.config.ints.addAll(now.ints);
    res.config.doubles.addAll(now.doubles);
    res.config.groups.addAll(now.groups);
    updates.publish(now);
    for (Map.Entry<String, Double> e : applied.entrySet()) {
      try {
        Object value =
            e.getKey().equals("points") ? (Object) (int) (double) e.getValue() : e.getValue();
        ctx.ros.params().set("~" + e.getKey(), value);
      } catch (RuntimeException ex) {
        ctx.warn("dynamic_reconfigure: could not write ~" + e.getKey() + ": " + ex.getMessage());
      }
    }
    ctx.info(
        "dynamic_reconfigure: "
            + applied
            + (clamped.isEmpty()
                ? ""
                : " (clamped to the range: " + String.join(", ", clamped) + ")"));
  }

  private void put(Map<String, Double> v, String name, double value, List<String> clamped) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        double x = value;
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException(name + " = " + value + ", must be finite");
        }
        if (x < p.min() || x > p.max()) {
          x = Math.max(p.min(), Math.min(p.max(), x));
          clamped.add(String.format(Locale.ROOT, "%s %s -> %s", name, value, x));
        }
        v.put(name, x);
        return;
      }
    }
    // Unknown names are ignored, as dynamic_reconfigure servers do.
  }
}
