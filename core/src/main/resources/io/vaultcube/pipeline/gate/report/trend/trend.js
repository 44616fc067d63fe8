/*
 * Draws the trend charts of a vault trend model (schema vault-trend/1, TrendModel.java) with
 * Apache ECharts. The model is read from the data block <script type="application/json"
 * id="vault-trend-model"> and each chart is drawn into the element with id
 * "vault-trend-chart-" + chart.id. Used by `vault report trend` pages and the Jenkins job page.
 *
 * Tool values (run labels) reach ECharts only as data: axis labels and the tooltip are drawn on the
 * canvas (renderMode 'richText'), never put into the page as HTML.
 */
(function () {
  'use strict';

  function option(model, chart) {
    return {
      animation: false,
      grid: { left: 16, right: 48, top: 44, bottom: 8, containLabel: true },
      // Thin bars as legend marks: only the points are round, so a screenshot can count them.
      legend: { top: 4, icon: 'rect', itemWidth: 24, itemHeight: 4,
                data: chart.series.map(function (s) { return s.name; }) },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', boundaryGap: true, data: model.labels,
               axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: chart.unit || '', scale: true },
      series: chart.series.map(function (s) {
        return {
          name: s.name,
          type: 'line',
          data: s.data,
          connectNulls: false,
          symbol: 'circle',
          symbolSize: 12,
          showAllSymbol: true,
          itemStyle: { color: s.color },
          lineStyle: { color: s.color, width: 2 }
        };
      })
    };
  }

  function draw() {
    var holder = document.getElementById('vault-trend-model');
    if (!holder || typeof echarts === 'undefined') {
      return;
    }
    var model = JSON.parse(holder.textContent);
    var charts = [];
    model.charts.forEach(function (chart) {
      var element = document.getElementById('vault-trend-chart-' + chart.id);
      if (!element) {
        return;
      }
      var drawn = echarts.init(element, null, { renderer: 'canvas' });
      drawn.setOption(option(model, chart));
      element.setAttribute('data-drawn', 'true');
      charts.push(drawn);
    });
    window.addEventListener('resize', function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
}());
