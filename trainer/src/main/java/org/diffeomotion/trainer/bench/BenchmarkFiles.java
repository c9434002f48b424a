package org.diffeomotion.trainer.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.diffeomotion.model.AtomicFiles;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Files of the handwriting benchmark: a shape's demonstrations as CSV (the format {@link
 * org.diffeomotion.trainer.data.CsvDemoReader} reads, so {@code diffeo train S.csv} works) and a
 * PNG overview of shapes. Both written atomically.
 */
public final class BenchmarkFiles {

  private static final Color TRAIN = new Color(0x31, 0x82, 0xBD);
  private static final Color HELD_OUT = new Color(0xE6, 0x55, 0x0D);
  private static final Color START = new Color(0x31, 0xA3, 0x54);
  private static final Color GOAL = new Color(0xCB, 0x18, 0x1D);

  /** Overview panel size [px]. */
  private static final int PANEL = 180;

  /** Overview panels per row (at most). */
  private static final int COLUMNS = 6;

  private BenchmarkFiles() {}

  /**
   * Writes a shape's demonstrations as CSV: comment lines (shape, sources, seed, the Hershey
   * acknowledgement's file), the header {@code demo,t,x[mm],y[mm]}, one row per sample, numbers as
   * Java prints doubles (they read back bit-exact).
   */
  public static void writeCsv(BenchmarkShape shape, DemonstrationSet set, Path file)
      throws IOException {
    StringBuilder b = new StringBuilder(set.sampleCount() * 48);
    b.append("# diffeo-motion handwriting benchmark, shape ")
        .append(shape.name())
        .append(": ")
        .append(shape.description())
        .append('\n');
    b.append("# strokes: ")
        .append(String.join(" + ", shape.sources()))
        .append("; seed ")
        .append(shape.seed())
        .append("; train on demos ")
        .append(HandwritingBenchmark.TRAINING_DEMOS)
        .append(", held out ")
        .append(HandwritingBenchmark.HELD_OUT_DEMOS)
        .append('\n');
    b.append("# Made from the Hershey fonts: see the acknowledgement in trainer/BENCHMARK.md ")
        .append(
            "(The Hershey Fonts were originally created by Dr. A. V. Hershey while working at the ")
        .append("U. S. National Bureau of Standards)\n");
    b.append("demo,t");
    for (int k = 0; k < set.dimension(); k++) {
      String u = set.units().get(k);
      b.append(',').append(set.dimensionNames().get(k)).append(u.isEmpty() ? "" : "[" + u + "]");
    }
    b.append('\n');
    for (Demonstration d : set.demos()) {
      for (int i = 0; i < d.size(); i++) {
        b.append(d.name()).append(',').append(d.time(i));
        for (int k = 0; k < d.dimension(); k++) {
          b.append(',').append(d.state(i, k));
        }
        b.append('\n');
      }
    }
    AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes one PNG with a small panel per shape: every demonstration (training demos blue, held-out
   * demos orange), the starts (green circles) and the goal (red diamond), equal scales on both
   * axes.
   *
   * @param shapes the shapes, in panel order.
   * @param sets their demonstrations (2-D), same order.
   */
  public static void writeOverview(
      List<BenchmarkShape> shapes, List<DemonstrationSet> sets, Path png) throws IOException {
    List<XYChart> panels = new ArrayList<>();
    for (int s = 0; s < shapes.size(); s++) {
      panels.add(panel(shapes.get(s), sets.get(s)));
    }
    int cols = Math.min(COLUMNS, panels.size());
    int rows = (panels.size() + cols - 1) / cols;
    BufferedImage image = new BufferedImage(cols * PANEL, rows * PANEL, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      for (int i = 0; i < panels.size(); i++) {
        Graphics2D p = (Graphics2D) g.create((i % cols) * PANEL, (i / cols) * PANEL, PANEL, PANEL);
        // Pure strokes: the default normalisation snaps line ends to pixels, which draws
        // nearly straight paths as staircases.
        p.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        p.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        panels.get(i).paint(p, PANEL, PANEL);
        p.dispose();
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("no PNG writer in this JVM");
    }
    AtomicFiles.write(png, out.toByteArray());
  }

  private static XYChart panel(BenchmarkShape shape, DemonstrationSet set) {
    XYChart c = new XYChartBuilder().width(PANEL).height(PANEL).title(shape.name()).build();
    XYStyler st = c.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotGridLinesColor(new Color(0xEE, 0xEE, 0xEE));
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    st.setChartTitleBoxVisible(false);
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
    st.setLegendVisible(false);
    st.setAntiAlias(true);
    st.setMarkerSize(6);
    st.setXAxisDecimalPattern("0");
    st.setYAxisDecimalPattern("0");
    double[] box = {
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY
    };
    double[] sx = new double[set.size()];
    double[] sy = new double[set.size()];
    for (int i = 0; i < set.size(); i++) {
      Demonstration d = set.demo(i);
      double[] x = new double[d.size()];
      double[] y = new double[d.size()];
      for (int j = 0; j < d.size(); j++) {
        x[j] = d.state(j, 0);
        y[j] = d.state(j, 1);
        box[0] = Math.min(box[0], x[j]);
        box[1] = Math.max(box[1], x[j]);
        box[2] = Math.min(box[2], y[j]);
        box[3] = Math.max(box[3], y[j]);
      }
      sx[i] = x[0];
      sy[i] = y[0];
      XYSeries s = c.addSeries(d.name(), x, y);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(HandwritingBenchmark.HELD_OUT_DEMOS.contains(i) ? HELD_OUT : TRAIN);
      s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    XYSeries starts = c.addSeries("starts", sx, sy);
    starts.setMarker(SeriesMarkers.CIRCLE);
    starts.setMarkerColor(START);
    starts.setLineStyle(SeriesLines.NONE);
    Demonstration last = set.demo(0);
    XYSeries goal =
        c.addSeries(
            "goal",
            new double[] {last.state(last.size() - 1, 0)},
            new double[] {last.state(last.size() - 1, 1)});
    goal.setMarker(SeriesMarkers.DIAMOND);
    goal.setMarkerColor(GOAL);
    goal.setLineStyle(SeriesLines.NONE);
    // Equal scales: a square box around the demos (the plot area is about square).
    double cx = (box[0] + box[1]) / 2;
    double cy = (box[2] + box[3]) / 2;
    double half = 0.54 * Math.max(box[1] - box[0], box[3] - box[2]);
    st.setXAxisMin(cx - half);
    st.setXAxisMax(cx + half);
    st.setYAxisMin(cy - half);
    st.setYAxisMax(cy + half);
    return c;
  }
}
