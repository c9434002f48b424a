package org.diffeomotion.rosnode;

import java.awt.image.BufferedImage;

/**
 * The 3-D view of an rviz screenshot (RvizIntegrationTest, RvizPoseIntegrationTest): dark text of
 * menus and icons has the background colour too, but in a few pixels per row, not hundreds.
 */
final class RvizViews {
  private RvizViews() {}

  /**
   * The columns and rows that are mostly background colour (48, 48, 48): {x0, x1, y0, y1}, or null
   * when there is no view of at least 300 x 300 px.
   */
  static int[] view(BufferedImage img) {
    int[] perColumn = new int[img.getWidth()];
    int[] perRow = new int[img.getHeight()];
    for (int v = 0; v < img.getHeight(); v++) {
      for (int u = 0; u < img.getWidth(); u++) {
        if ((img.getRGB(u, v) & 0xffffff) == 0x303030) {
          perColumn[u]++;
          perRow[v]++;
        }
      }
    }
    int x0 = img.getWidth();
    int y0 = img.getHeight();
    int x1 = -1;
    int y1 = -1;
    for (int u = 0; u < perColumn.length; u++) {
      if (perColumn[u] > 100) {
        x0 = Math.min(x0, u);
        x1 = Math.max(x1, u);
      }
    }
    for (int v = 0; v < perRow.length; v++) {
      if (perRow[v] > 100) {
        y0 = Math.min(y0, v);
        y1 = Math.max(y1, v);
      }
    }
    return x1 - x0 < 300 || y1 - y0 < 300 ? null : new int[] {x0, x1, y0, y1};
  }
}
