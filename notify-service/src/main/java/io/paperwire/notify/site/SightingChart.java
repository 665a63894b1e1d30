package io.paperwire.notify.site;

import io.paperwire.notify.site.CatalogueClient.Sighting;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A paper's sightings as a small SVG chart, drawn on the server so the page needs no script: time across, upvotes up,
 * a colour per source with a legend. Every text in it is
 * escaped here, since the template inserts the drawing as it is; the page's table of sightings says the same in words.
 * Without upvotes, height is the listing's rank (first place on top).
 */
public final class SightingChart {

    static final int WIDTH = 640;
    static final int HEIGHT = 180;
    /** Drawn at most: the latest this many (the table lists them all). */
    static final int MAX_POINTS = 500;
    private static final int LEFT = 44;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 44;
    /** Colour-blind-safe (Okabe-Ito), each readable on white and on the dark theme's background. */
    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"};
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private SightingChart() {
    }

    /** The chart's SVG markup, or an empty string without sightings. */
    public static String svg(List<Sighting> all, String titleText) {
        List<Sighting> sightings = all.size() > MAX_POINTS ? all.subList(all.size() - MAX_POINTS, all.size()) : all;
        if (sightings.isEmpty()) {
            return "";
        }
        Map<String, String> colour = new LinkedHashMap<>();
        for (Sighting s : sightings) {
            colour.computeIfAbsent(s.source(), k -> COLOURS[colour.size() % COLOURS.length]);
        }
        boolean upvotes = sightings.stream().anyMatch(s -> s.upvotes() != null);
        // Without upvotes, the listing's rank tells how prominent it was: first place at the top.
        boolean ranks = !upvotes && sightings.stream().anyMatch(s -> s.rank() != null);
        int max = Math.max(1, sightings.stream().mapToInt(s -> upvotes ? (s.upvotes() == null ? 0 : s.upvotes())
                : (s.rank() == null ? 1 : s.rank())).max().orElse(0));
        Instant from = sightings.get(0).observedAt();
        Instant to = sightings.get(sightings.size() - 1).observedAt();
        long span = Math.max(1, Duration.between(from, to).toMillis());
        // Within a day and a half, the hour tells the sightings apart; beyond, the day.
        DateTimeFormatter axis = span < Duration.ofHours(36).toMillis() ? HOUR : DAY;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-labelledby=\"chart-title chart-desc\">");
        b.append("<title id=\"chart-title\">").append(esc(titleText)).append("</title>");
        b.append("<desc id=\"chart-desc\">").append(sightings.size()).append(" sightings from ").append(DAY.format(from))
                .append(" to ").append(DAY.format(to)).append(" on ").append(colour.size()).append(colour.size() == 1 ? " source" : " sources")
                .append(upvotes ? ", at most " + max + " upvotes" : ranks ? ", ranked between 1 and " + max : "")
                .append(". The table below lists each.</desc>");
        // Axes: a baseline, the upvote scale's top, the first and last day.
        b.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "axis"));
        b.append(line(LEFT, TOP, LEFT, TOP + plotH, "axis"));
        if (upvotes) {
            b.append(text(LEFT - 6, TOP + 4, "end", Integer.toString(max)));
            b.append(text(LEFT - 6, TOP + plotH, "end", "0"));
        } else if (ranks) {
            b.append(text(LEFT - 6, TOP + 4, "end", "#1"));
            b.append(text(LEFT - 6, TOP + plotH, "end", "#" + max));
        }
        b.append(text(LEFT, TOP + plotH + 16, "start", axis.format(from)));
        if (!axis.format(from).equals(axis.format(to))) {
            b.append(text(LEFT + plotW, TOP + plotH + 16, "end", axis.format(to)));
        }
        List<String> dots = new ArrayList<>();
        for (Sighting s : sightings) {
            double x = sightings.size() == 1 ? LEFT + plotW / 2.0
                    : LEFT + plotW * (Duration.between(from, s.observedAt()).toMillis() / (double) span);
            double y = upvotes ? TOP + plotH - plotH * ((s.upvotes() == null ? 0 : s.upvotes()) / (double) max)
                    : ranks && max > 1 ? TOP + plotH * (((s.rank() == null ? max : s.rank()) - 1) / (double) (max - 1))
                    : TOP + plotH / 2.0;
            dots.add("<circle cx=\"" + fmt(x) + "\" cy=\"" + fmt(y) + "\" r=\"4\" fill=\"" + colour.get(s.source()) + "\"><title>"
                    + esc(s.source() + ", " + DateTimeFormatter.ISO_INSTANT.format(s.observedAt())
                            + (s.rank() == null ? "" : ", rank " + s.rank()) + (s.upvotes() == null ? "" : ", " + s.upvotes() + " upvotes"))
                    + "</title></circle>");
        }
        dots.forEach(b::append);
        // The legend, one swatch per source along the bottom.
        int lx = LEFT;
        for (Map.Entry<String, String> e : colour.entrySet()) {
            b.append("<circle cx=\"").append(lx + 5).append("\" cy=\"").append(HEIGHT - 10).append("\" r=\"5\" fill=\"").append(e.getValue())
                    .append("\"/>");
            b.append(text(lx + 14, HEIGHT - 6, "start", e.getKey()));
            lx += 24 + Math.min(24, e.getKey().length()) * 7;
        }
        return b.append("</svg>").toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\"/>";
    }

    private static String text(double x, double y, String anchor, String s) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** XML text and attribute escaping. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
