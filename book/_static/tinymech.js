// Tiny Mechanisms: search result snippets without raw TeX.  Sphinx builds a snippet from the text of the
// page's HTML, where a formula is still its TeX source (MathJax typesets it only in the browser); each formula
// is replaced by an ellipsis before the text is taken.
(function () {
  function patch() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search.htmlToText.tinymech) return;
    const original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      const page = new DOMParser().parseFromString(htmlString, "text/html");
      page.querySelectorAll(".math, mjx-container").forEach(function (formula) {
        formula.replaceWith(page.createTextNode(" … "));
      });
      return original(page.documentElement.outerHTML, anchor);
    };
    Search.htmlToText.tinymech = true;
  }
  patch();
  document.addEventListener("DOMContentLoaded", patch);
})();

// An inline formula wider than its line scrolls inside itself (class tinymech-wide-math, tinymech.css) instead
// of pushing the page sideways; measured after MathJax has typeset the page, and again when the window resizes.
(function () {
  function markWideFormulas() {
    document.querySelectorAll('mjx-container:not([display="true"])').forEach(function (formula) {
      const math = formula.querySelector("mjx-math");
      const line = formula.parentElement && formula.parentElement.closest("p, li, td, th, dd, dt, div");
      if (!math || !line) return;
      const natural = math.getBoundingClientRect().width;
      formula.classList.toggle("tinymech-wide-math", natural > line.clientWidth - 2);
    });
  }
  window.addEventListener("load", function () {
    const typeset = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    if (typeset) typeset.then(markWideFormulas);
  });
  window.addEventListener("resize", markWideFormulas);
})();
