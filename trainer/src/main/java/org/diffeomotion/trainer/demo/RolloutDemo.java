package org.diffeomotion.trainer.demo;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.ModelFactory;
import org.diffeomotion.model.ModelSpec;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The main job until training lands: make a 2-D model (random weights, or a model file),
 * write it, read it back, roll it out in closed form from several starts, print one rollout
 * and draw all of them with the goal to a PNG.
 *
 * <p>Usage: {@code RolloutDemo OUT_DIR [MODEL_FILE]}.
 */
public final class RolloutDemo {
  private RolloutDemo() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: RolloutDemo OUT_DIR [MODEL_FILE]");
      System.exit(2);
    }
    Path outDir = Path.of(args[0]);
    Files.createDirectories(outDir);
    MotionModel model;
    Path file;
    if (args.length == 2) {
      file = Path.of(args[1]);
      model = ModelArtifacts.read(file);
    } else {
      model = ModelFactory.random(new ModelSpec().name("demo").stateDim(2).blocks(8).hidden(64)
          .goal(0.6, 0.4).scale(0.5, 0.5).timeScale(1.5).frameId("map"), 7);
      file = outDir.resolve("demo.dmm");
      ModelArtifacts.write(model, file);
      model = ModelArtifacts.read(file);
    }
    if (model.stateDim() != 2) {
      System.err.println("RolloutDemo draws 2-D models; " + file + " has state_dim "
          + model.stateDim());
      System.exit(2);
    }
    System.out.printf(Locale.ROOT, "model %s (%s): d=%d, a=%d, %d multiply-adds per point%n",
        model.name(), file, model.stateDim(), model.augmentDim(), model.multiplyAddsPerPoint());
    System.out.println(model.stability());

    int n = 1000;
    double horizon = 8 * model.timeScale();
    double[] times = new double[n];
    for (int i = 0; i < n; i++) {
      times[i] = horizon * i / (n - 1);
    }
    Rollout rollout = new Rollout(model, n);
    VelocityField field = new VelocityField(model);
    double[] g = model.goal();
    double[] sc = model.scale();
    double[][] starts = new double[8][];
    for (int k = 0; k < starts.length; k++) {
      double ang = 2 * Math.PI * k / starts.length;
      starts[k] = new double[] {g[0] + 2.5 * sc[0] * Math.cos(ang), g[1] + 2.5 * sc[1] * Math.sin(ang)};
    }
    double[] out = new double[2 * n];
    double[] vel = new double[2 * n];
    long t0 = System.nanoTime();
    rollout.rollout(starts[0], times, n, out, vel);
    long t1 = System.nanoTime();
    System.out.printf(Locale.ROOT, "%nrollout from (%.3f, %.3f), %d points over %.1f s "
        + "(closed form, %s kernels, first call incl. warm-up %.2f ms):%n", starts[0][0],
        starts[0][1], n, horizon, rollout.kernels(), (t1 - t0) / 1e6);
    System.out.println("      t [s]        x [m]        y [m]     vx [m/s]     vy [m/s]   V(y)");
    for (int i = 0; i < n; i += 111) {
      double[] y = {out[2 * i], out[2 * i + 1]};
      System.out.printf(Locale.ROOT, "%11.4f %12.6f %12.6f %12.6f %12.6f   %.3e%n", times[i],
          y[0], y[1], vel[2 * i], vel[2 * i + 1], field.lyapunov(y));
    }
    System.out.printf(Locale.ROOT, "final distance to goal: %.3e m%n",
        Math.hypot(out[2 * n - 2] - g[0], out[2 * n - 1] - g[1]));

    XYChart chart = new XYChartBuilder().width(900).height(800)
        .title("diffeo-motion: closed-form rollouts of '" + model.name() + "'")
        .xAxisTitle(model.dimensionNames().get(0) + " [" + model.dimensionUnits().get(0) + "]")
        .yAxisTitle(model.dimensionNames().get(1) + " [" + model.dimensionUnits().get(1) + "]")
        .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setMarkerSize(6);
    for (int k = 0; k < starts.length; k++) {
      rollout.rollout(starts[k], times, n, out);
      double[] xs = new double[n];
      double[] ys = new double[n];
      for (int i = 0; i < n; i++) {
        xs[i] = out[2 * i];
        ys[i] = out[2 * i + 1];
      }
      XYSeries s = chart.addSeries("rollout " + k, xs, ys);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineWidth(2f);
      XYSeries st = chart.addSeries("start " + k, new double[] {starts[k][0]},
          new double[] {starts[k][1]});
      st.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      st.setMarker(SeriesMarkers.CIRCLE);
      st.setMarkerColor(Color.DARK_GRAY);
    }
    XYSeries goal = chart.addSeries("goal", new double[] {g[0]}, new double[] {g[1]});
    goal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    goal.setMarker(SeriesMarkers.DIAMOND);
    goal.setMarkerColor(Color.RED);
    Path png = outDir.resolve("rollouts.png");
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    System.out.println("plot: " + png.toAbsolutePath());
  }
}
