// Draw every Plotly figure on the page from the JSON embedded beside it (no inline script).
(function () {
  'use strict';
  var config = { responsive: true, displayModeBar: false, displaylogo: false };
  var phone = window.matchMedia('(max-width: 40.0525em)').matches;
  function draw(element) {
    var source = document.getElementById(element.getAttribute('data-figure'));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var variant = figure.layout.meta && figure.layout.meta.phone;
    if (phone && variant) {
      // A compact version the server made for phones (the regional heatmap): it fits the screen.
      figure.data[0].x = variant.x;
      figure.data[0].y = variant.y;
      figure.data[0].text = variant.text;
      figure.data[0].textfont.size = variant.font_size;
      figure.layout.yaxis.type = 'category';
      figure.layout.height = variant.height;
      element.classList.remove('digitrack-chart--wide');
    } else if (element.clientWidth < 600 && figure.data.length > 1) {
      // On a phone the legend wraps onto several lines: give it room instead of squashing the plot.
      figure.layout.height += 22 * Math.ceil(figure.data.length / 2);
    }
    // The element takes the figure's height, so nothing after it is overlapped when Plotly resizes.
    element.style.height = figure.layout.height + 'px';
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      // A cell that stands for trusts opens the list of them (the table below has the same links).
      element.on('plotly_click', function (event) {
        var point = event.points && event.points[0];
        if (point && typeof point.customdata === 'string' && point.customdata) {
          window.location.href = point.customdata;
        }
      });
    });
  }
  // One chart a task, in page order, so the first is on screen before the others are drawn.
  var elements = Array.prototype.slice.call(document.querySelectorAll('[data-figure]'));
  (function drawNext() {
    var element = elements.shift();
    if (!element) {
      return;
    }
    var folded = element.closest('details:not([open])');
    if (folded) {
      // A chart folded away (a long list, such as a region's heatmap) is drawn when first opened,
      // at the width it then has.
      folded.addEventListener('toggle', function () {
        if (folded.open && !element.classList.contains('js-plotly-plot')) {
          draw(element);
        }
      });
    } else {
      draw(element);
    }
    window.setTimeout(drawNext, 0);
  })();
})();
