// Allure 3 (npm package "allure"): `npx allure generate reports/allure-results` renders reports/allure-report.
//
// - singleFile: one index.html with everything inlined: it opens from disk (file://) with no server;
// - areas in their number order: the tree is sorted by name ("01. …" … "13. …") instead of start time;
// - history and trend: each run is appended to reports/allure-history.jsonl (kept across runs);
// - the unit and contract tests come from pytest's JUnit XML (reports/allure-results/junit.xml, see
//   scripts/test.sh) as the suite «Модульные и контрактные тесты», one group per test module; the acceptance
//   scenarios are reported by allure-pytest-bdd, so their JUnit twins are left out here.
import { defineConfig } from "allure";

// Test modules whose results reach Allure another way than JUnit (no twin entries).
const REPORTED_ELSEWHERE = ["tests.acceptance.", "tests.web.test_screenshots"];

const junitTwin = (testResult) =>
  testResult.labels.some(
    (label) => label.name === "testClass" && REPORTED_ELSEWHERE.some((prefix) => label.value?.startsWith(prefix)),
  );

export default defineConfig({
  name: "CRM: отправка в WhatsApp из бизнес-процессов (Default)",
  // ALLURE_OUTPUT / ALLURE_HISTORY move them elsewhere (tests/web/test_report_from_disk.py renders a scratch report).
  output: process.env.ALLURE_OUTPUT ?? "./reports/allure-report",
  historyPath: process.env.ALLURE_HISTORY ?? "./reports/allure-history.jsonl",
  plugins: {
    awesome: {
      options: {
        reportName: "CRM: отправка в WhatsApp из бизнес-процессов (Default)",
        reportLanguage: "ru",
        singleFile: true,
        groupBy: ["epic", "story", "suite", "testClass"],
        defaultSortBy: "name,asc",
        filter: (testResult) => !junitTwin(testResult),
      },
    },
  },
});
