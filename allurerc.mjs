import { defineConfig } from "allure";

export default defineConfig({
  name: "CRM: отправка в WhatsApp из бизнес-процессов (Default)",
  output: "./reports/allure-report",
  historyPath: "./reports/allure-history.jsonl",
  plugins: {
    awesome: {
      options: {
        reportLanguage: "ru",
        groupBy: ["epic", "story"],
      },
    },
  },
});
