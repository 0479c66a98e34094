// Lint rules. The determinism rule is the one that matters: below src/cli nothing may read the wall clock,
// use ambient randomness, schedule real timers or touch the process (docs/model.md, "Determinism").
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const processAndFiles = [
  { name: "node:process", message: "Only src/cli touches the process." },
  { name: "node:fs", message: "Only src/cli touches files." },
  { name: "node:fs/promises", message: "Only src/cli touches files." },
  { name: "node:perf_hooks", message: "No wall clock below src/cli." },
  { name: "node:timers", message: "No real timers below src/cli." },
];

const forbiddenBelowCli = {
  "no-restricted-globals": [
    "error",
    { name: "Date", message: "No wall clock below src/cli: use the simulator's virtual time." },
    { name: "performance", message: "No wall clock below src/cli." },
    { name: "setTimeout", message: "No real timers below src/cli: schedule an event on the simulator." },
    { name: "setInterval", message: "No real timers below src/cli: schedule an event on the simulator." },
    { name: "setImmediate", message: "No real timers below src/cli." },
    { name: "process", message: "Only src/cli touches the process." },
  ],
  "no-restricted-properties": [
    "error",
    { object: "Math", property: "random", message: "No ambient randomness: fork a seeded stream (engine/random)." },
  ],
  "no-restricted-imports": ["error", { paths: processAndFiles }],
};

export default tseslint.config(
  { ignores: ["scratch/**", "dist/**", "node_modules/**", "reports/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**"],
    rules: forbiddenBelowCli,
  },
  // Layering (which folder may import which) is checked by dependency-cruiser: .config/dependency-cruiser.mjs.
);
