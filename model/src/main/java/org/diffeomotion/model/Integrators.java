package org.diffeomotion.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.diffeomotion.model.internal.DormandPrince;
import org.diffeomotion.model.internal.ExplicitRungeKutta;

/**
 * The name table of integrators. Unknown names and unknown or out-of-range options are errors (not
 * warnings), so a typo never silently picks a default.
 *
 * <ul>
 *   <li>{@code euler}, {@code midpoint}, {@code rk4}: fixed step. Option {@code dt} [s], the
 *       largest step (default: one step per output interval, i.e. equal output resolution).
 *   <li>{@code dopri5}: adaptive Dormand-Prince 5(4) with dense output. Options {@code rtol}
 *       (default 1e-6), {@code atol} (default 1e-6), {@code h0} [s] first step (default:
 *       automatic), {@code max_steps} (default 1e6).
 * </ul>
 */
public final class Integrators {
  private static final Map<String, Function<Map<String, Double>, Integrator>> TABLE =
      new TreeMap<>(
          Map.of(
              "euler", o -> ExplicitRungeKutta.euler(fixedStep("euler", o)),
              "midpoint", o -> ExplicitRungeKutta.midpoint(fixedStep("midpoint", o)),
              "rk4", o -> ExplicitRungeKutta.rk4(fixedStep("rk4", o)),
              "dopri5", Integrators::dopri5));

  private Integrators() {}

  /** Registered names, sorted. */
  public static Set<String> names() {
    return TABLE.keySet();
  }

  /** An integrator with default options. */
  public static Integrator create(String name) {
    return create(name, Map.of());
  }

  /**
   * @throws IllegalArgumentException for an unknown name or option, naming the known ones
   */
  public static Integrator create(String name, Map<String, Double> options) {
    Function<Map<String, Double>, Integrator> f = TABLE.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown integrator '" + name + "'; known: " + names());
    }
    return f.apply(options);
  }

  private static double fixedStep(String name, Map<String, Double> o) {
    checkKeys(name, o, List.of("dt"));
    double dt = o.getOrDefault("dt", 0.0);
    if (o.containsKey("dt") && !(dt > 0 && Double.isFinite(dt))) {
      throw new IllegalArgumentException(
          name + ": option dt must be finite and > 0 [s], got " + dt);
    }
    return dt;
  }

  private static Integrator dopri5(Map<String, Double> o) {
    checkKeys("dopri5", o, List.of("rtol", "atol", "h0", "max_steps"));
    double rtol = positive("rtol", o.getOrDefault("rtol", 1e-6));
    double atol = positive("atol", o.getOrDefault("atol", 1e-6));
    double h0 = o.getOrDefault("h0", 0.0);
    if (o.containsKey("h0")) {
      positive("h0", h0);
    }
    double maxSteps = positive("max_steps", o.getOrDefault("max_steps", 1e6));
    return new DormandPrince(rtol, atol, h0, (long) maxSteps);
  }

  private static double positive(String key, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(
          "dopri5: option " + key + " must be finite and > 0, got " + v);
    }
    return v;
  }

  private static void checkKeys(String name, Map<String, Double> o, List<String> known) {
    for (String k : o.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(name + ": unknown option '" + k + "'; known: " + known);
      }
    }
  }
}
