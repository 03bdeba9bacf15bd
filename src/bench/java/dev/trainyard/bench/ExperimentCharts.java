package dev.trainyard.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

import javax.imageio.ImageIO;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Not a test: draws docs/EXPERIMENTS.md's figures from a finished memory-horizon sweep on a running server.
 * {@code horizon.png}: accuracy against N per model (log-2 axis, chance line, fall-off in the legend).
 * {@code grad-norm.png}: at one length, ‖∂loss/∂h(T−k)‖ against k per model, after the first and the last
 * epoch (log-log). Also prints the sweep's table as Markdown.
 * {@code java -cp target/classes:target/test-classes:target/bench-classes:$(cat target/cp.txt) dev.trainyard.bench.ExperimentCharts
 * http://localhost:8080 <sweep-id> <length for the gradient figure> docs/img}
 */
public final class ExperimentCharts {

    private static final Color[] COLORS = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x59a14f)};
    private static final int W = 900;
    private static final int H = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 130;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String server;

    private ExperimentCharts(String server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        var charts = new ExperimentCharts(args[0]);
        JsonNode sweep = charts.get("/api/v1/sweeps/" + args[1]);
        Path dir = Path.of(args[3]);
        Files.createDirectories(dir);
        charts.horizon(sweep, dir.resolve("horizon.png"));
        charts.gradients(sweep, Integer.parseInt(args[2]), dir.resolve("grad-norm.png"));
        charts.table(sweep);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(server + path)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + ": " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    private void horizon(JsonNode sweep, Path file) throws IOException {
        List<Integer> lengths = new ArrayList<>();
        sweep.get("lengths").forEach(n -> lengths.add(n.asInt()));
        double lo = log2(lengths.get(0)) - 0.5;
        double hi = log2(lengths.get(lengths.size() - 1)) + 0.5;
        var image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        DoubleUnaryOperator x = n -> LEFT + (log2(n) - lo) / (hi - lo) * (W - LEFT - RIGHT);
        DoubleUnaryOperator y = a -> TOP + (1.08 - a) / 1.08 * (H - TOP - BOTTOM);
        title(g, "Delayed recall: accuracy on the recall steps of held-out sequences");
        for (int i = 0; i <= 5; i++) {
            double a = i / 5.0;
            grid(g, (int) y.applyAsDouble(a), String.format(Locale.ROOT, "%.1f", a));
        }
        for (int n : lengths) {
            int px = (int) x.applyAsDouble(n);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(px, H - BOTTOM, px, H - BOTTOM + 5);
            centred(g, String.valueOf(n), px, H - BOTTOM + 20);
        }
        centred(g, "N: steps between a symbol and its recall (log scale)", (LEFT + W - RIGHT) / 2, H - BOTTOM + 42);
        axes(g, "accuracy");
        double chance = sweep.get("chance").asDouble();
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(LEFT, (int) y.applyAsDouble(chance), W - RIGHT, (int) y.applyAsDouble(chance));
        var legend = new LinkedHashMap<String, Color>();
        int m = 0;
        for (JsonNode curve : sweep.get("curves")) {
            Color color = COLORS[m % COLORS.length];
            int[] xs = new int[curve.get("points").size()];
            int[] ys = new int[xs.length];
            int i = 0;
            for (JsonNode p : curve.get("points")) {
                xs[i] = (int) x.applyAsDouble(p.get("length").asInt());
                ys[i] = (int) y.applyAsDouble(p.get("mean").asDouble());
                i++;
            }
            g.setColor(color);
            g.setStroke(new BasicStroke(2.5f));
            g.drawPolyline(xs, ys, xs.length);
            for (i = 0; i < xs.length; i++) {
                marker(g, m, xs[i], ys[i]);
            }
            String model = curve.get("model").asString();
            JsonNode fallOff = curve.get("fallOff");
            legend.put(model + (fallOff == null || fallOff.isNull() ? " · holds to N = " + lengths.get(lengths.size() - 1)
                    : " · falls off at N = " + fallOff.asInt()), color);
            m++;
        }
        legend.put(String.format(Locale.ROOT, "chance (%s)", trim(chance)), Color.GRAY);
        legend(g, legend);
        ImageIO.write(image, "png", file.toFile());
    }

    private void gradients(JsonNode sweep, int length, Path file) throws IOException, InterruptedException {
        // model → (first | last) → k → norm
        var series = new LinkedHashMap<String, Map<String, TreeMap<Integer, Double>>>();
        for (JsonNode row : sweep.get("table")) {
            if (row.get("length").asInt() != length || series.containsKey(row.get("model").asString())) {
                continue;
            }
            String run = row.get("runId").asString();
            var first = new TreeMap<Integer, Double>();
            var last = new TreeMap<Integer, Double>();
            for (JsonNode key : get("/api/v1/runs/" + run + "/metrics")) {
                String name = key.get("key").asString();
                if (!name.startsWith("grad_norm/k=")) {
                    continue;
                }
                int k = Integer.parseInt(name.substring("grad_norm/k=".length()));
                JsonNode points = get("/api/v1/runs/" + run + "/metrics/grad_norm/" + URLEncoder.encode("k=" + k,
                        StandardCharsets.UTF_8) + "?maxPoints=10000").get("points");
                first.put(k, points.get(0).get("value").asDouble());
                last.put(k, points.get(points.size() - 1).get("value").asDouble());
            }
            series.put(row.get("model").asString(), Map.of("first", first, "last", last));
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        int kMax = 1;
        for (var s : series.values()) {
            for (var curve : s.values()) {
                for (var e : curve.entrySet()) {
                    if (e.getValue() > 0) {
                        min = Math.min(min, e.getValue());
                        max = Math.max(max, e.getValue());
                    }
                    kMax = Math.max(kMax, e.getKey());
                }
            }
        }
        double lo = Math.floor(Math.log10(min));
        double hi = Math.ceil(Math.log10(max));
        double kHi = log2(kMax) + 0.3;
        var image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        DoubleUnaryOperator x = k -> LEFT + (log2(k) + 0.3) / (kHi + 0.3) * (W - LEFT - RIGHT);
        DoubleUnaryOperator y = v -> TOP + (hi - Math.log10(v)) / (hi - lo) * (H - TOP - BOTTOM);
        title(g, "recall:" + length + ": gradient reaching the hidden state k steps before the sequence's end");
        int step = Math.max(1, (int) Math.ceil((hi - lo) / 8));
        for (double e = lo; e <= hi; e += step) {
            grid(g, (int) y.applyAsDouble(Math.pow(10, e)), "1e" + (int) e);
        }
        for (int k = 1; k <= kMax; k *= 2) {
            int px = (int) x.applyAsDouble(k);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(px, H - BOTTOM, px, H - BOTTOM + 5);
            centred(g, String.valueOf(k), px, H - BOTTOM + 20);
        }
        centred(g, "k: steps back from the last step (log scale)", (LEFT + W - RIGHT) / 2, H - BOTTOM + 42);
        axes(g, "‖∂loss/∂h‖ (log scale)");
        var legend = new LinkedHashMap<String, Color>();
        int m = 0;
        Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0);
        for (var s : series.entrySet()) {
            Color color = COLORS[m % COLORS.length];
            for (String when : List.of("first", "last")) {
                TreeMap<Integer, Double> curve = s.getValue().get(when);
                int[] xs = new int[curve.size()];
                int[] ys = new int[curve.size()];
                int i = 0;
                for (var e : curve.entrySet()) {
                    xs[i] = (int) x.applyAsDouble(e.getKey());
                    ys[i] = (int) y.applyAsDouble(Math.max(e.getValue(), Math.pow(10, lo)));
                    i++;
                }
                g.setColor(when.equals("first") ? color.brighter() : color);
                g.setStroke(when.equals("first") ? dashed : new BasicStroke(2.5f));
                g.drawPolyline(xs, ys, xs.length);
                if (when.equals("last")) {
                    for (i = 0; i < xs.length; i++) {
                        marker(g, m, xs[i], ys[i]);
                    }
                }
            }
            legend.put(s.getKey() + " (solid: after training; dashed: first epoch)", color);
            m++;
        }
        legend(g, legend);
        ImageIO.write(image, "png", file.toFile());
    }

    private void table(JsonNode sweep) {
        var models = new ArrayList<String>();
        sweep.get("curves").forEach(c -> models.add(c.get("model").asString()));
        System.out.println("| N | " + String.join(" | ", models) + " |");
        System.out.println("|---|" + "---|".repeat(models.size()));
        for (JsonNode n : sweep.get("lengths")) {
            var cells = new ArrayList<String>();
            for (JsonNode curve : sweep.get("curves")) {
                String cell = "—";
                for (JsonNode p : curve.get("points")) {
                    if (p.get("length").asInt() == n.asInt()) {
                        cell = String.format(Locale.ROOT, "%.3f", p.get("mean").asDouble()) + (p.get("runs").asInt() > 1
                                ? String.format(Locale.ROOT, " ± %.3f", p.get("std").asDouble()) : "");
                    }
                }
                cells.add(cell);
            }
            System.out.println("| " + n.asInt() + " | " + String.join(" | ", cells) + " |");
        }
        sweep.get("curves").forEach(c -> System.out.println(c.get("model").asString() + " falls off at "
                + (c.get("fallOff") == null ? "—" : c.get("fallOff").asString())));
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        return g;
    }

    private static void title(Graphics2D g, String text) {
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 16f));
        centred(g, text, W / 2, 28);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 14f));
    }

    private static void grid(Graphics2D g, int py, String label) {
        g.setColor(new Color(0xe5e5e5));
        g.setStroke(new BasicStroke(1f));
        g.drawLine(LEFT, py, W - RIGHT, py);
        g.setColor(Color.DARK_GRAY);
        g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 5);
    }

    private static void axes(Graphics2D g, String yLabel) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.2f));
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        var saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centred(g, yLabel, -(TOP + H - BOTTOM) / 2, 22);
        g.setTransform(saved);
    }

    private static void legend(Graphics2D g, Map<String, Color> items) {
        int px = LEFT;
        int py = H - BOTTOM + 70;
        int i = 0;
        for (var item : items.entrySet()) {
            int width = 40 + g.getFontMetrics().stringWidth(item.getKey()) + 24;
            if (px + width > W - RIGHT) {
                px = LEFT;
                py += 22;
            }
            g.setColor(item.getValue());
            g.setStroke(item.getValue().equals(Color.GRAY)
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
                    : new BasicStroke(2.5f));
            g.drawLine(px, py - 5, px + 30, py - 5);
            if (!item.getValue().equals(Color.GRAY)) {
                marker(g, i, px + 15, py - 5);
            }
            g.setColor(Color.BLACK);
            g.drawString(item.getKey(), px + 38, py);
            px += width;
            i++;
        }
    }

    private static void marker(Graphics2D g, int kind, int x, int y) {
        switch (kind % 4) {
            case 0 -> g.fillOval(x - 5, y - 5, 10, 10);
            case 1 -> g.fillPolygon(new Polygon(new int[] {x, x - 6, x + 6}, new int[] {y - 6, y + 5, y + 5}, 3));
            case 2 -> g.fillRect(x - 5, y - 5, 10, 10);
            default -> g.fillPolygon(new Polygon(new int[] {x, x - 6, x, x + 6}, new int[] {y - 6, y, y + 6, y}, 4));
        }
    }

    private static void centred(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    private static double log2(double n) {
        return Math.log(n) / Math.log(2);
    }

    private static String trim(double value) {
        return String.valueOf(Double.parseDouble(String.format(Locale.ROOT, "%.3f", value)));
    }
}
