/* Dashboard charts: draws every [data-chart-source] element with Plotly (served locally from the
 * pinned PyPI package, /static/vendor/plotly.min.js, loaded with defer before this file).
 *
 * Progressive enhancement: the page carries each chart's figures as a table ("Xem dạng bảng") and
 * its Plotly figure as JSON (json_script); without JavaScript the chart stays hidden and the
 * tables say everything. With it, the chart appears with Plotly's own modebar, and the chart's
 * "Lưu ảnh" button saves it as a PNG (Plotly.downloadImage) with its title and period on it.
 */
(function () {
  "use strict";

  // Plotly's modebar and number format in Vietnamese (only when the page is in Vietnamese).
  var VI = {
    moduleType: "locale",
    name: "vi",
    dictionary: {
      "Download plot as a png": "Tải biểu đồ (PNG)",
      "Download plot": "Tải biểu đồ",
      Zoom: "Phóng to vùng chọn",
      Pan: "Kéo",
      "Box Select": "Chọn vùng",
      "Lasso Select": "Chọn tự do",
      "Zoom in": "Phóng to",
      "Zoom out": "Thu nhỏ",
      Autoscale: "Tự động co giãn",
      "Reset axes": "Đặt lại trục",
      "Toggle Spike Lines": "Bật/tắt đường gióng",
      "Show closest data on hover": "Hiện số liệu gần nhất",
      "Compare data on hover": "So sánh số liệu",
      "Produced with Plotly.js": "Vẽ bằng Plotly.js",
      "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
      "Taking snapshot - this may take a few seconds": "Đang chụp ảnh, xin chờ vài giây",
      "Snapshot succeeded": "Đã chụp ảnh",
      "Sorry, there was a problem downloading your snapshot!": "Không tải được ảnh biểu đồ."
    },
    format: {
      days: ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
      shortDays: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
      months: ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6",
               "Tháng 7", "Tháng 8", "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12"],
      shortMonths: ["Th1", "Th2", "Th3", "Th4", "Th5", "Th6", "Th7", "Th8", "Th9", "Th10", "Th11", "Th12"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "."
    }
  };

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function figureOf(element) {
    var source = document.getElementById(element.getAttribute("data-chart-source"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function saveButtonFor(element) {
    return document.querySelector('.chart-save[data-chart="' + element.id + '"]');
  }

  function draw(element, locale) {
    var figure = figureOf(element);
    if (!figure) {
      return;
    }
    element.hidden = false;
    var filename = element.getAttribute("data-filename") || element.id;
    window.Plotly.newPlot(element, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      locale: locale,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", filename: filename, scale: 2 }
    }).then(function () {
      element.setAttribute("data-rendered", "true");
      var button = saveButtonFor(element);
      if (button) {
        button.hidden = false;
      }
    });
  }

  // The saved image carries the chart's title and period, which the page shows outside the chart.
  function save(element) {
    var layout = Object.assign({}, element.layout, {
      title: { text: element.getAttribute("data-title") || "", x: 0.02, font: { size: 15 } },
      margin: Object.assign({}, element.layout.margin, { t: 56 })
    });
    return window.Plotly.downloadImage(
      { data: element.data, layout: layout },
      {
        format: "png",
        filename: element.getAttribute("data-filename") || element.id,
        width: Math.max(element.clientWidth, 640),
        height: Math.max(element.clientHeight, 360) + 40,
        scale: 2
      }
    );
  }

  ready(function () {
    if (!window.Plotly) {
      return; // the tables already carry the figures
    }
    var locale = (document.documentElement.lang || "vi").slice(0, 2) === "vi" ? "vi" : "en";
    if (locale === "vi") {
      window.Plotly.register(VI);
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart-source]"), function (element) {
      draw(element, locale);
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest(".chart-save");
      if (!button) {
        return;
      }
      var element = document.getElementById(button.getAttribute("data-chart"));
      if (element && element.getAttribute("data-rendered") === "true") {
        save(element);
      }
    });
  });
})();
