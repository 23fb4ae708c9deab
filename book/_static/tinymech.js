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
