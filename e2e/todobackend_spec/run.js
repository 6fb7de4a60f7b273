// Run the specs against the root URL given as the page's query string; publish the figures for the test.
const root = decodeURIComponent(window.location.search.slice(1));
const result = document.getElementById("result");
if (root) {
  defineSpecsFor(root);
  const failures = [];
  const runner = mocha.run();
  runner.on("fail", (test, error) => failures.push({ title: test.fullTitle(), error: String(error) }));
  runner.on("end", () => {
    result.textContent = JSON.stringify({ ...runner.stats, failed: failures });
    result.dataset.done = "true";
  });
}
