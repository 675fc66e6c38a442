// Renders every Vega-Lite spec on the page (elements with data-vega-spec naming the id of a
// json_script element) with vega-embed. Specs come from monitoring/charts.py.
document.addEventListener("DOMContentLoaded", () => {
  const german = {
    decimal: ",",
    thousands: ".",
    grouping: [3],
    currency: ["", "\u00a0€"],
  };
  for (const element of document.querySelectorAll("[data-vega-spec]")) {
    const source = document.getElementById(element.dataset.vegaSpec);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    vegaEmbed(element, spec, { actions: false, renderer: "svg", formatLocale: german })
      .then((result) => {
        // The figure carries the text alternative; the drawing itself is decoration for
        // screen readers, which read the data table instead.
        const svg = result.view.container().querySelector("svg");
        if (svg) svg.setAttribute("aria-hidden", "true");
        element.dataset.rendered = "true";
      })
      .catch((error) => {
        element.textContent = element.dataset.errorText || "Die Grafik konnte nicht gezeigt werden.";
        console.error(error);
      });
  }
});
