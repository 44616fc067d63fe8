package io.vaultcube.jenkins.model;

import static io.vaultcube.pipeline.gate.report.Xml.escape;

import io.vaultcube.pipeline.gate.report.trend.TrendHtml;
import io.vaultcube.pipeline.gate.report.trend.TrendModel;
import java.util.List;

/**
 * The job page's trend charts as HTML made in Java: an element per chart and the model as a JSON
 * data block, which the core's {@code trend.js} (the script of {@code vault report trend}) hands to
 * ECharts. The same ids as {@link TrendHtml}, so the one script draws both pages.
 */
public final class TrendPageHtml {
    private TrendPageHtml() {
    }

    /**
     * @param model the trend
     * @param only the chart ids to show, or null for all
     * @param moreUrl a link to every chart, or null
     */
    public static String charts(TrendModel model, List<String> only, String moreUrl) {
        StringBuilder out = new StringBuilder(8 * 1024);
        out.append("<div class=\"vault-trend\">\n");
        for (TrendModel.Chart c : model.getCharts()) {
            if (only != null && !only.contains(c.id())) {
                continue;
            }
            out.append("<div class=\"vault-trend-chart-box\"><h3>").append(escape(c.title()))
                    .append(c.unit() == null ? "" : " (" + escape(c.unit()) + ")").append("</h3>\n<div class=\"vault-trend-chart\" id=\"")
                    .append(TrendHtml.CHART_ID_PREFIX).append(escape(c.id())).append("\" role=\"img\" aria-label=\"")
                    .append(escape(c.title())).append(" per build\"></div></div>\n");
        }
        if (moreUrl != null) {
            out.append("<p><a href=\"").append(escape(moreUrl)).append("\">Every trend chart</a></p>\n");
        }
        out.append("<script type=\"application/json\" id=\"").append(TrendHtml.MODEL_ID).append("\">")
                .append(TrendHtml.scriptSafeJson(model.toJson())).append("</script>\n</div>\n");
        return out.toString();
    }
}
