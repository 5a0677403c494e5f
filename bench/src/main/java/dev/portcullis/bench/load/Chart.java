package dev.portcullis.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the load table as a PNG with Java2D: latency (p50 solid, p99 dashed, log scale) against the offered rate, and
 * throughput against the number of clients, one colour per target (Portcullis in reds and orange, the direct calls in
 * blues, the plain proxies in green and brown, lighter on the 2026 wire).
 */
final class Chart {
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 600;
  /** Every target the harness measures, in legend order, with its colour. */
  private static final Map<String, Color> COLORS = legend();
  private static final Stroke SOLID = new BasicStroke(2.2f);
  private static final Stroke DASHED = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
      new float[] {7, 5}, 0);

  private Chart() {}

  /** Redraws a chart from a run's table: {@code Chart LOAD_CSV PNG}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: Chart LOAD_CSV PNG (the load.csv of a run, and where to draw it)");
    }
    List<String> lines = java.nio.file.Files.readAllLines(Path.of(args[0]));
    draw(lines.stream().skip(1).filter(l -> !l.isBlank()).map(RunResult::fromCsv).toList(), Path.of(args[1]));
  }

  static void draw(List<RunResult> table, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Panel latency = new Panel(g, 80, 50, 500, 380, true);
    latency.title("Latency vs offered load (open loop; p50 solid, p99 dashed)");
    latency.plot(rows(table, "rate"), RunResult::p50, RunResult::p99, "offered calls/s", "µs");
    Panel throughput = new Panel(g, 680, 50, 480, 380, false);
    throughput.title("Throughput vs concurrent clients (closed loop)");
    throughput.plot(rows(table, "clients"), RunResult::throughput, null, "clients", "calls/s");
    int i = 0;
    for (Map.Entry<String, Color> target : COLORS.entrySet()) {
      int x = 80 + (i % 4) * 270;
      int y = HEIGHT - 102 + (i / 4) * 24;
      g.setColor(target.getValue());
      g.setStroke(SOLID);
      g.drawLine(x, y, x + 30, y);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString(target.getKey(), x + 38, y + 5);
      i++;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static Map<String, Color> legend() {
    Map<String, Color> colors = new LinkedHashMap<>();
    colors.put("direct-2026", new Color(0x1f77b4));
    colors.put("portcullis-2026", new Color(0xd62728));
    colors.put("portcullis-2026-notoken", new Color(0x9467bd));
    colors.put("portcullis-stdio", new Color(0xff7f0e));
    colors.put("direct-2025", new Color(0x6baed6));
    colors.put("portcullis-2025", new Color(0xff9896));
    colors.put("mcp-proxy", new Color(0x2ca02c));
    colors.put("supergateway", new Color(0x8c564b));
    colors.put("portcullis-stdio-2026", new Color(0xffbb78));
    colors.put("mcp-proxy-2026", new Color(0x98df8a));
    colors.put("supergateway-2026", new Color(0xc49c94));
    colors.put("relay-2026", new Color(0x7f7f7f));
    colors.put("socket-relay-2026", new Color(0xc7c7c7));
    return colors;
  }

  private static Map<String, List<RunResult>> rows(List<RunResult> table, String mode) {
    Map<String, List<RunResult>> out = new LinkedHashMap<>();
    table.stream().filter(r -> r.mode().equals(mode)).forEach(r ->
        out.computeIfAbsent(r.target(), k -> new ArrayList<>()).add(r));
    return out;
  }

  /** One plot area with categorical x (the load levels) and a linear or log y axis. */
  private record Panel(Graphics2D g, int left, int top, int width, int height, boolean log) {
    void title(String text) {
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(text, left, top - 18);
    }

    void plot(Map<String, List<RunResult>> series, ToDoubleFunction<RunResult> main, ToDoubleFunction<RunResult> second,
        String xLabel, String yLabel) {
      List<Integer> levels = series.values().stream().flatMap(List::stream).map(RunResult::level).distinct().sorted()
          .toList();
      double max = 0;
      double min = Double.MAX_VALUE;
      for (List<RunResult> rows : series.values()) {
        for (RunResult r : rows) {
          max = Math.max(max, Math.max(main.applyAsDouble(r), second == null ? 0 : second.applyAsDouble(r)));
          min = Math.min(min, main.applyAsDouble(r));
        }
      }
      double lo = log ? Math.pow(10, Math.floor(Math.log10(Math.max(1, min)))) : 0;
      double hi = log ? Math.pow(10, Math.ceil(Math.log10(Math.max(lo * 10, max)))) : niceCeil(max);
      axes(levels, lo, hi, xLabel, yLabel);
      for (Map.Entry<String, List<RunResult>> s : series.entrySet()) {
        g.setColor(COLORS.getOrDefault(s.getKey(), Color.GRAY));
        line(s.getValue(), levels, main, lo, hi, SOLID);
        if (second != null) {
          line(s.getValue(), levels, second, lo, hi, DASHED);
        }
      }
    }

    private void line(List<RunResult> rows, List<Integer> levels, ToDoubleFunction<RunResult> f, double lo, double hi,
        Stroke stroke) {
      g.setStroke(stroke);
      int px = -1;
      int py = -1;
      for (RunResult r : rows.stream().sorted(java.util.Comparator.comparingInt(RunResult::level)).toList()) {
        int x = x(levels.indexOf(r.level()), levels.size());
        int y = y(f.applyAsDouble(r), lo, hi);
        g.fillOval(x - 3, y - 3, 7, 7);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
    }

    private void axes(List<Integer> levels, double lo, double hi, String xLabel, String yLabel) {
      g.setStroke(new BasicStroke(1f));
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      List<Double> ticks = new ArrayList<>();
      if (log) {
        for (double t = lo; t <= hi * 1.0001; t *= 10) {
          ticks.add(t);
        }
      } else {
        for (int i = 0; i <= 5; i++) {
          ticks.add(lo + (hi - lo) * i / 5);
        }
      }
      for (double t : ticks) {
        int y = y(t, lo, hi);
        g.setColor(new Color(0xe5e5e5));
        g.drawLine(left, y, left + width, y);
        g.setColor(Color.DARK_GRAY);
        String label = t >= 1000 ? String.format(Locale.ROOT, "%,.0f", t) : String.format(Locale.ROOT, "%.0f", t);
        g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
      }
      for (int i = 0; i < levels.size(); i++) {
        String label = Integer.toString(levels.get(i));
        int x = x(i, levels.size());
        g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + height + 18);
      }
      g.setColor(Color.BLACK);
      g.drawRect(left, top, width, height);
      g.drawString(xLabel, left + width / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, top + height + 36);
      g.drawString(yLabel, left + 6, top + 16);
    }

    private int x(int index, int count) {
      return left + (int) ((index + 0.5) * width / count);
    }

    private int y(double v, double lo, double hi) {
      double f = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
          : (v - lo) / (hi - lo);
      return top + height - (int) Math.round(f * height);
    }

    private static double niceCeil(double v) {
      if (v <= 0) {
        return 1;
      }
      double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
      for (double step : new double[] {1, 2, 2.5, 5, 10}) {
        if (step * magnitude >= v) {
          return step * magnitude;
        }
      }
      return 10 * magnitude;
    }
  }
}
