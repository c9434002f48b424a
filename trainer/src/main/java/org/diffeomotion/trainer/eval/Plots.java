package org.diffeomotion.trainer.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG plots, drawn with XChart (works headless: run with {@code
 * -Djava.awt.headless=true}). Each method writes one file atomically.
 *
 * <ul>
 *   <li>{@link #rollouts}: demos and the model's rollouts from the same starts; d = 2 in the plane,
 *       otherwise one panel per dimension over time.
 *   <li>{@link #field}: streamlines of the learned motion from a grid of starts over the workspace,
 *       with the demos and the goal (d >= 2; for d > 2 the plane of the first two dimensions
 *       through the goal).
 *   <li>{@link #trainingCurve}: training loss and held-out MSE per iteration, log scale.
 *   <li>{@link #demoProfiles}: per held-out demo (or, without any, per training demo) its path and
 *       its speed over time against the model's rollout from the same start.
 * </ul>
 */
public final class Plots {

  private static final Color TRAIN_DEMO = new Color(0x9E, 0xCA, 0xE1);
  private static final Color TRAIN_ROLLOUT = new Color(0x08, 0x51, 0x9C);
  private static final Color VAL_DEMO = new Color(0xFD, 0xAE, 0x6B);
  private static final Color VAL_ROLLOUT = new Color(0xD9, 0x48, 0x01);
  private static final Color EVAL_DEMO = new Color(0xA1, 0xD9, 0x9B);
  private static final Color EVAL_ROLLOUT = new Color(0x00, 0x6D, 0x2C);
  private static final Color GOAL = new Color(0xCB, 0x18, 0x1D);
  private static final Color STREAM = new Color(0x73, 0x73, 0x73);
  private static final BasicStroke DEMO_LINE =
      new BasicStroke(4.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  private static final BasicStroke ROLLOUT_LINE =
      new BasicStroke(
          1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f);

  /** Size of the plane plots [px]; the legend takes about LEGEND_WIDTH on the right. */
  private static final int PLANE_WIDTH = 1040;

  private static final int PLANE_HEIGHT = 800;

  /** Width / height of the plot area of a plane plot, for equal scales on both axes. */
  private static final double PLANE_ASPECT = (PLANE_WIDTH - 300.0) / (PLANE_HEIGHT - 110.0);

  private Plots() {}

  /**
   * Demos (wide light lines) and rollouts from their starts (dashed dark lines), coloured by split,
   * with the starts and the goal.
   *
   * @param title e.g. the model name.
   */
  public static void rollouts(MotionModel model, Evaluation ev, String title, Path png)
      throws IOException {
    int d = model.stateDim();
    if (d == 2) {
      XYChart c =
          planeChart(model, title + ": demonstrations and rollouts from their starts", 0, 1);
      addDemos(c, ev, model, 0, 1);
      addGoal(c, model.goal(), 0, 1);
      fitEqualAspect(c, ev, model, null, 0, 1, 0.08);
      write(c, png);
      return;
    }
    List<XYChart> panels = new ArrayList<>();
    for (int k = 0; k < d; k++) {
      XYChart c =
          new XYChartBuilder()
              .width(900)
              .height(300)
              .title(k == 0 ? title + ": demonstrations and rollouts over time" : "")
              .xAxisTitle("t [s]")
              .yAxisTitle(axis(model, k))
              .build();
      style(c);
      addTimeSeries(c, ev, model, k);
      panels.add(c);
    }
    writeGrid(panels, d, 1, png);
  }

  /**
   * Streamlines of the learned motion: closed-form rollouts from a grid of starts over the demos'
   * bounding box (enlarged by 25 %), with an arrowhead showing the direction, the demos and the
   * goal. For d > 2, starts lie in the plane of dims 0, 1 through the goal and the rollouts are
   * projected onto it.
   *
   * @param grid starts per side (>= 2).
   */
  public static void field(MotionModel model, Evaluation ev, int grid, String title, Path png)
      throws IOException {
    int d = model.stateDim();
    if (d < 2) {
      throw new IllegalArgumentException("field plot needs d >= 2, got " + d);
    }
    double[] goal = model.goal();
    double[] box = box(ev, goal, 0, 1, 0.25);
    double tau = model.timeScale();
    int n = 240;
    double[] times = new double[n];
    double horizon = 10 * tau;
    for (int i = 0; i < n; i++) {
      times[i] = horizon * Math.pow((double) i / (n - 1), 2); // denser early, where it moves fast
    }
    Rollout r = new Rollout(model, n);
    List<Double> sx = new ArrayList<>();
    List<Double> sy = new ArrayList<>();
    List<Double> ax = new ArrayList<>();
    List<Double> ay = new ArrayList<>();
    double span = Math.max(box[1] - box[0], box[3] - box[2]);
    double head = 0.018 * span;
    double[] y0 = goal.clone();
    double[] out = new double[n * d];
    double[] vel = new double[n * d];
    for (int gi = 0; gi < grid; gi++) {
      for (int gj = 0; gj < grid; gj++) {
        y0[0] = box[0] + (box[1] - box[0]) * gi / (grid - 1);
        y0[1] = box[2] + (box[3] - box[2]) * gj / (grid - 1);
        r.rollout(y0, times, n, out, vel);
        for (int i = 0; i < n; i++) {
          sx.add(out[i * d]);
          sy.add(out[i * d + 1]);
        }
        sx.add(Double.NaN);
        sy.add(Double.NaN);
        // Arrowhead a little way along the streamline, where it is still moving.
        int at = n / 8;
        double vx = vel[at * d];
        double vy = vel[at * d + 1];
        double vn = Math.hypot(vx, vy);
        if (vn > 0) {
          double ux = vx / vn;
          double uy = vy / vn;
          double px = out[at * d];
          double py = out[at * d + 1];
          for (int side = -1; side <= 1; side += 2) {
            ax.add(px - head * (ux - 0.5 * side * uy));
            ay.add(py - head * (uy + 0.5 * side * ux));
            ax.add(px);
            ay.add(py);
          }
          ax.add(Double.NaN);
          ay.add(Double.NaN);
        }
      }
    }
    XYChart c =
        planeChart(
            model,
            title
                + ": learned motion from a "
                + grid
                + " x "
                + grid
                + " grid of starts"
                + (d > 2 ? " (plane through the goal)" : ""),
            0,
            1);
    XYSeries s =
        c.addSeries("streamlines (closed form, " + fmt(horizon) + " s)", unbox(sx), unbox(sy));
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(STREAM);
    s.setLineStyle(new BasicStroke(0.8f));
    XYSeries a = c.addSeries("direction", unbox(ax), unbox(ay));
    a.setMarker(SeriesMarkers.NONE);
    a.setLineColor(STREAM);
    a.setLineStyle(new BasicStroke(1.6f));
    a.setShowInLegend(false);
    addDemosOnly(c, ev, 0, 1);
    addGoal(c, goal, 0, 1);
    fitEqualAspect(c, ev, model, box, 0, 1, 0.0);
    write(c, png);
  }

  /** Training loss (line) and held-out MSE (markers) against the iteration, log-scale y. */
  public static void trainingCurve(TrainingCurve curve, String title, Path png) throws IOException {
    XYChart c =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title(title + ": training curve")
            .xAxisTitle("iteration")
            .yAxisTitle("MSE [normalised units^2] (log scale)")
            .build();
    style(c);
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setXAxisDecimalPattern("#");
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    long[] it = curve.iterations();
    double[] loss = curve.losses();
    double[] val = curve.validationMses();
    double[] x = new double[it.length];
    for (int i = 0; i < it.length; i++) {
      x[i] = it[i];
    }
    XYSeries s = c.addSeries("training loss", x, positive(loss));
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(TRAIN_ROLLOUT);
    s.setLineStyle(new BasicStroke(1.6f));
    List<Double> vx = new ArrayList<>();
    List<Double> vy = new ArrayList<>();
    for (int i = 0; i < val.length; i++) {
      if (Double.isFinite(val[i]) && val[i] > 0) {
        vx.add(x[i]);
        vy.add(val[i]);
      }
    }
    if (!vx.isEmpty()) {
      XYSeries v = c.addSeries("held-out MSE", unbox(vx), unbox(vy));
      v.setMarker(SeriesMarkers.CIRCLE);
      v.setMarkerColor(VAL_ROLLOUT);
      v.setLineColor(VAL_ROLLOUT);
      v.setLineStyle(new BasicStroke(1.2f));
    }
    write(c, png);
  }

  // ---- helpers

  /** At most this many demos get a row in {@link #demoProfiles}. */
  public static final int MAX_PROFILE_DEMOS = 6;

  /**
   * One row per demo: the path (the plane of dims 0, 1; for d = 1 the state over time) and the
   * speed over time [units/s], demo against the model's rollout from its start. The held-out demos
   * when there are any (labelled interpolation / extrapolation by {@link Coverage}), otherwise the
   * first training demos; at most {@value #MAX_PROFILE_DEMOS}.
   *
   * @param labels per demo name, e.g. "held out, interpolation"; demos without a label are not
   *     drawn unless no demo has one. Not modified.
   */
  public static void demoProfiles(
      MotionModel model,
      Evaluation ev,
      java.util.Map<String, String> labels,
      String title,
      Path png)
      throws IOException {
    int d = model.stateDim();
    List<DemoMetrics> shown = new ArrayList<>();
    for (DemoMetrics m : ev.demos()) {
      if (labels.containsKey(m.name()) && shown.size() < MAX_PROFILE_DEMOS) {
        shown.add(m);
      }
    }
    if (shown.isEmpty()) {
      for (DemoMetrics m : ev.demos()) {
        if (shown.size() < MAX_PROFILE_DEMOS) {
          shown.add(m);
        }
      }
    }
    String u = model.dimensionUnits().isEmpty() ? "" : model.dimensionUnits().get(0);
    List<XYChart> panels = new ArrayList<>();
    for (DemoMetrics m : shown) {
      String label = labels.getOrDefault(m.name(), m.split().label());
      int n = m.points();
      XYChart path =
          new XYChartBuilder()
              .width(560)
              .height(380)
              .title(m.name() + " (" + label + "): path")
              .xAxisTitle(d >= 2 ? axis(model, 0) : "t [s]")
              .yAxisTitle(d >= 2 ? axis(model, 1) : axis(model, 0))
              .build();
      style(path);
      double[] dx = new double[n];
      double[] dy = new double[n];
      double[] rx = new double[n];
      double[] ry = new double[n];
      for (int i = 0; i < n; i++) {
        dx[i] = d >= 2 ? m.demo()[i * d] : m.times()[i];
        dy[i] = d >= 2 ? m.demo()[i * d + 1] : m.demo()[i * d];
        rx[i] = d >= 2 ? m.rollout()[i * d] : m.times()[i];
        ry[i] = d >= 2 ? m.rollout()[i * d + 1] : m.rollout()[i * d];
      }
      XYSeries ds = path.addSeries("demo", dx, dy);
      ds.setMarker(SeriesMarkers.NONE);
      ds.setLineColor(demoColor(m.split()));
      ds.setLineStyle(DEMO_LINE);
      XYSeries rs = path.addSeries("rollout", rx, ry);
      rs.setMarker(SeriesMarkers.NONE);
      rs.setLineColor(rolloutColor(m.split()));
      rs.setLineStyle(ROLLOUT_LINE);
      if (d >= 2) {
        addGoal(path, model.goal(), 0, 1);
      }
      panels.add(path);
      XYChart speed =
          new XYChartBuilder()
              .width(560)
              .height(380)
              .title(
                  String.format(
                      java.util.Locale.ROOT, "%s: speed (DTW %.3g %s)", m.name(), m.dtw(), u))
              .xAxisTitle("t [s]")
              .yAxisTitle("speed [" + (u.isEmpty() ? "units" : u) + "/s]")
              .build();
      style(speed);
      speed.getStyler().setXAxisDecimalPattern("0.0#");
      double[] tm = new double[n - 1];
      double[] vd = new double[n - 1];
      double[] vr = new double[n - 1];
      for (int i = 1; i < n; i++) {
        double dt = m.times()[i] - m.times()[i - 1];
        double a = 0;
        double b = 0;
        for (int k = 0; k < d; k++) {
          double e = m.demo()[i * d + k] - m.demo()[(i - 1) * d + k];
          double f = m.rollout()[i * d + k] - m.rollout()[(i - 1) * d + k];
          a += e * e;
          b += f * f;
        }
        tm[i - 1] = 0.5 * (m.times()[i] + m.times()[i - 1]);
        vd[i - 1] = Math.sqrt(a) / dt;
        vr[i - 1] = Math.sqrt(b) / dt;
      }
      XYSeries sd = speed.addSeries("demo", tm, vd);
      sd.setMarker(SeriesMarkers.NONE);
      sd.setLineColor(demoColor(m.split()));
      sd.setLineStyle(DEMO_LINE);
      XYSeries sr = speed.addSeries("rollout", tm, vr);
      sr.setMarker(SeriesMarkers.NONE);
      sr.setLineColor(rolloutColor(m.split()));
      sr.setLineStyle(ROLLOUT_LINE);
      panels.add(speed);
    }
    if (!panels.isEmpty()) {
      panels.get(0).setTitle(title + " — " + panels.get(0).getTitle());
    }
    writeGrid(panels, shown.size(), 2, png);
  }

  private static XYChart planeChart(MotionModel model, String title, int i, int j) {
    XYChart c =
        new XYChartBuilder()
            .width(PLANE_WIDTH)
            .height(PLANE_HEIGHT)
            .title(title)
            .xAxisTitle(axis(model, i))
            .yAxisTitle(axis(model, j))
            .build();
    style(c);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setXAxisDecimalPattern("0.0##");
    c.getStyler().setYAxisDecimalPattern("0.0##");
    return c;
  }

  private static void style(XYChart c) {
    org.knowm.xchart.style.XYStyler s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(0xE0, 0xE0, 0xE0));
    s.setLegendBorderColor(new Color(0xC0, 0xC0, 0xC0));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setAntiAlias(true);
    s.setChartTitleBoxVisible(false);
    s.setPlotBorderVisible(true);
    c.getStyler().setMarkerSize(8);
  }

  static String axis(MotionModel model, int k) {
    String u = model.dimensionUnits().get(k);
    String name = model.dimensionNames().get(k);
    return u.isEmpty() ? name : name + " [" + u + "]";
  }

  private static Color demoColor(Split s) {
    return switch (s) {
      case TRAIN -> TRAIN_DEMO;
      case VALIDATION -> VAL_DEMO;
      case EVALUATED -> EVAL_DEMO;
    };
  }

  private static Color rolloutColor(Split s) {
    return switch (s) {
      case TRAIN -> TRAIN_ROLLOUT;
      case VALIDATION -> VAL_ROLLOUT;
      case EVALUATED -> EVAL_ROLLOUT;
    };
  }

  private static String label(Split s) {
    return switch (s) {
      case TRAIN -> "training";
      case VALIDATION -> "held-out";
      case EVALUATED -> "given";
    };
  }

  /** Demo lines and rollouts in the plane (i, j), one legend entry per kind and split. */
  private static void addDemos(XYChart c, Evaluation ev, MotionModel model, int i, int j) {
    int d = model.stateDim();
    for (Split sp : Split.values()) {
      List<DemoMetrics> l = ev.of(sp);
      if (l.isEmpty()) {
        continue;
      }
      XYSeries demo =
          c.addSeries(
              label(sp) + " demos (" + l.size() + ")", col(l, i, d, false), col(l, j, d, false));
      demo.setMarker(SeriesMarkers.NONE);
      demo.setLineColor(demoColor(sp));
      demo.setLineStyle(DEMO_LINE);
    }
    for (Split sp : Split.values()) {
      List<DemoMetrics> l = ev.of(sp);
      if (l.isEmpty()) {
        continue;
      }
      XYSeries roll =
          c.addSeries(
              "rollouts from " + label(sp) + " starts", col(l, i, d, true), col(l, j, d, true));
      roll.setMarker(SeriesMarkers.NONE);
      roll.setLineColor(rolloutColor(sp));
      roll.setLineStyle(ROLLOUT_LINE);
    }
    List<Double> px = new ArrayList<>();
    List<Double> py = new ArrayList<>();
    for (DemoMetrics m : ev.demos()) {
      px.add(m.demo()[i]);
      py.add(m.demo()[j]);
    }
    XYSeries st = c.addSeries("starts", unbox(px), unbox(py));
    st.setMarker(SeriesMarkers.CIRCLE);
    st.setMarkerColor(Color.BLACK);
    st.setLineStyle(SeriesLines.NONE);
  }

  private static void addDemosOnly(XYChart c, Evaluation ev, int i, int j) {
    for (Split sp : Split.values()) {
      List<DemoMetrics> l = ev.of(sp);
      if (l.isEmpty()) {
        continue;
      }
      int d = l.get(0).demo().length / l.get(0).points();
      XYSeries demo = c.addSeries(label(sp) + " demos", col(l, i, d, false), col(l, j, d, false));
      demo.setMarker(SeriesMarkers.NONE);
      demo.setLineColor(rolloutColor(sp));
      demo.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
  }

  private static void addTimeSeries(XYChart c, Evaluation ev, MotionModel model, int k) {
    int d = model.stateDim();
    for (Split sp : Split.values()) {
      List<DemoMetrics> l = ev.of(sp);
      if (l.isEmpty()) {
        continue;
      }
      List<Double> t = new ArrayList<>();
      for (DemoMetrics m : l) {
        for (double v : m.times()) {
          t.add(v);
        }
        t.add(Double.NaN);
      }
      double[] tx = unbox(t);
      XYSeries demo = c.addSeries(label(sp) + " demos", tx, col(l, k, d, false));
      demo.setMarker(SeriesMarkers.NONE);
      demo.setLineColor(demoColor(sp));
      demo.setLineStyle(DEMO_LINE);
      XYSeries roll = c.addSeries("rollouts (" + label(sp) + ")", tx, col(l, k, d, true));
      roll.setMarker(SeriesMarkers.NONE);
      roll.setLineColor(rolloutColor(sp));
      roll.setLineStyle(ROLLOUT_LINE);
    }
    double g = model.goal()[k];
    double tmax = 0;
    for (DemoMetrics m : ev.demos()) {
      tmax = Math.max(tmax, m.duration());
    }
    XYSeries gs = c.addSeries("goal", new double[] {0, tmax}, new double[] {g, g});
    gs.setMarker(SeriesMarkers.NONE);
    gs.setLineColor(GOAL);
    gs.setLineStyle(SeriesLines.DOT_DOT);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
  }

  private static void addGoal(XYChart c, double[] goal, int i, int j) {
    XYSeries g = c.addSeries("goal", new double[] {goal[i]}, new double[] {goal[j]});
    g.setMarker(SeriesMarkers.DIAMOND);
    g.setMarkerColor(GOAL);
    g.setLineStyle(SeriesLines.NONE);
  }

  /** Column k of every demo (or rollout) of l, demos separated by NaN. */
  private static double[] col(List<DemoMetrics> l, int k, int d, boolean rollout) {
    List<Double> v = new ArrayList<>();
    for (DemoMetrics m : l) {
      double[] a = rollout ? m.rollout() : m.demo();
      for (int p = 0; p < m.points(); p++) {
        v.add(a[p * d + k]);
      }
      v.add(Double.NaN);
    }
    return unbox(v);
  }

  /** [xmin, xmax, ymin, ymax] of the demos and the goal, enlarged by margin on each side. */
  private static double[] box(Evaluation ev, double[] goal, int i, int j, double margin) {
    double x0 = goal[i];
    double x1 = goal[i];
    double y0 = goal[j];
    double y1 = goal[j];
    for (DemoMetrics m : ev.demos()) {
      int d = m.demo().length / m.points();
      for (int p = 0; p < m.points(); p++) {
        x0 = Math.min(x0, m.demo()[p * d + i]);
        x1 = Math.max(x1, m.demo()[p * d + i]);
        y0 = Math.min(y0, m.demo()[p * d + j]);
        y1 = Math.max(y1, m.demo()[p * d + j]);
      }
    }
    double w = Math.max(x1 - x0, 1e-9);
    double h = Math.max(y1 - y0, 1e-9);
    return new double[] {x0 - margin * w, x1 + margin * w, y0 - margin * h, y1 + margin * h};
  }

  /**
   * Axis ranges with equal units per pixel on both axes (the plot area is about square), so that
   * shapes are not distorted: the box (or the demos' box) padded to a square.
   */
  private static void fitEqualAspect(
      XYChart c, Evaluation ev, MotionModel model, double[] box, int i, int j, double margin) {
    double[] b = box != null ? box : box(ev, model.goal(), i, j, margin);
    if (box == null) {
      // Rollouts may leave the demos' box; include them.
      int d = model.stateDim();
      for (DemoMetrics m : ev.demos()) {
        for (int p = 0; p < m.points(); p++) {
          b[0] = Math.min(b[0], m.rollout()[p * d + i]);
          b[1] = Math.max(b[1], m.rollout()[p * d + i]);
          b[2] = Math.min(b[2], m.rollout()[p * d + j]);
          b[3] = Math.max(b[3], m.rollout()[p * d + j]);
        }
      }
    }
    double cx = (b[0] + b[1]) / 2;
    double cy = (b[2] + b[3]) / 2;
    double halfY = Math.max((b[1] - b[0]) / 2 / PLANE_ASPECT, (b[3] - b[2]) / 2);
    double halfX = halfY * PLANE_ASPECT;
    c.getStyler().setXAxisMin(cx - halfX);
    c.getStyler().setXAxisMax(cx + halfX);
    c.getStyler().setYAxisMin(cy - halfY);
    c.getStyler().setYAxisMax(cy + halfY);
  }

  private static double[] positive(double[] v) {
    double[] o = v.clone();
    for (int i = 0; i < o.length; i++) {
      if (!(o[i] > 0)) {
        o[i] = Double.NaN;
      }
    }
    return o;
  }

  private static double[] unbox(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.3g", v);
  }

  private static void write(XYChart c, Path png) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
    org.diffeomotion.model.AtomicFiles.write(png, out.toByteArray());
  }

  private static void writeGrid(List<XYChart> charts, int rows, int cols, Path png)
      throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
    org.diffeomotion.model.AtomicFiles.write(png, out.toByteArray());
  }
}
